//! REST API v1 for integrations: `/api/v1/…`, authenticated by personal API tokens, JSON in and
//! out, errors as `{"error": {"code", "message", "fields"}}`. Handlers call the same domain
//! functions as the UI's server functions. Routes and the OpenAPI document are built from one
//! list (utoipa-axum), so `/api/v1/openapi.json` describes exactly what is served.

mod activities;
mod body;
mod caller;
mod companies;
mod contacts;
mod deals;
mod pbx;
mod pipelines;
mod tasks;

use crate::server::AppState;
use axum::{
    http::{header, StatusCode},
    response::IntoResponse,
    routing::{any, get},
    Router,
};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi, ToSchema,
};
use utoipa_axum::router::OpenApiRouter;

pub use caller::ApiCaller;

/// Where the API lives.
pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CRM REST API",
        version = "1",
        description = "Contacts, companies, deals in pipelines, activities and tasks. Authenticate \
            with a personal API token (Account page) as `Authorization: Bearer <token>`; a token \
            can do what its user can do. List endpoints page with `cursor` (the `next_cursor` of \
            the page before) and `limit`."
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
    components(schemas(ApiError, ApiErrorDetail))
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token, `crm_…`"))
                    .build(),
            ),
        );
    }
}

/// Every error the API answers.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    pub error: ApiErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ApiErrorDetail {
    /// Stable, for programs: `unauthorized`, `forbidden`, `not_found`, `validation_failed`,
    /// `duplicate`, `stale_version`, `conflict`, `bad_request`, `internal`…
    pub code: String,
    /// For people.
    pub message: String,
    /// Per field: why its value was refused.
    pub fields: BTreeMap<String, String>,
    /// `stale_version` only: the record as it is now.
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
    /// `duplicate` only: the record that already has the value.
    pub existing_id: Option<i64>,
}

/// The API's routes and its OpenAPI document, from the same handlers.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(deals::routes())
        .merge(contacts::routes())
        .merge(companies::routes())
        .merge(activities::routes())
        .merge(tasks::routes())
        .merge(pipelines::routes())
        .merge(pbx::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(BASE, v1)
        .split_for_parts()
}

/// The API mounted on the app: its routes, the document, and JSON answers for unknown paths
/// and methods.
pub fn router() -> Router<AppState> {
    let (routes, doc) = routes();
    let document = doc.to_json().unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not serialise the OpenAPI document");
        "{}".into()
    });
    routes
        .route(
            &format!("{BASE}/openapi.json"),
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], document) }),
        )
        .route(BASE, any(not_found))
        .route(&format!("{BASE}/{{*rest}}"), any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

/// A path the API does not have. Its own code, so a client (and the drift test) can tell it from
/// a record that does not exist.
async fn not_found() -> impl IntoResponse {
    routing_error(
        StatusCode::NOT_FOUND,
        "route_not_found",
        "The API has no such path; see /api/v1/openapi.json.",
    )
}

async fn method_not_allowed() -> impl IntoResponse {
    routing_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This path does not take that method.",
    )
}

fn routing_error(status: StatusCode, code: &str, message: &str) -> impl IntoResponse {
    let body = serde_json::json!({ "error": { "code": code, "message": message, "fields": {} } });
    (status, axum::Json(body))
}
