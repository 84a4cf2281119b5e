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

use crate::state::AppState;
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
        components.add_security_scheme(
            "pbx_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The tenant's PBX token, `pbx_…` (Settings → Calling): posts call records only",
                    ))
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
    /// `duplicate`, `stale_version`, `conflict`, `bad_request`, `unsupported_media_type`,
    /// `route_not_found`, `method_not_allowed`…
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
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(BASE, v1)
        .split_for_parts();
    common_errors(&mut doc);
    (router, doc)
}

/// The errors any operation of a given shape can answer, with when each happens. Added to every
/// operation from its shape (a token, a record id in the path, parameters, a JSON body) so that
/// no operation can forget one; statuses only some operations answer (409) stay on their
/// handlers.
const COMMON_ERRORS: [(&str, &str, &str); 7] = [
    (
        "400",
        "BadRequest",
        "The body is not valid JSON (or is too large to read).",
    ),
    (
        "401",
        "Unauthorized",
        "No `Authorization: Bearer` token, or one that is unknown, revoked or expired, or whose \
         user may no longer sign in.",
    ),
    (
        "403",
        "Forbidden",
        "The token's user may not do this: their role lacks the permission (or `api_tokens.manage`, \
         without which no token of theirs works).",
    ),
    (
        "404",
        "NotFound",
        "No record with this id that the caller may see (other tenants' records included).",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not sent as `Content-Type: application/json`.",
    ),
    (
        "422",
        "ValidationFailed",
        "A parameter or field was refused; `error.fields` says which and why.",
    ),
    (
        "429",
        "TooManyRequests",
        "The token made more than `api.requests_per_minute` requests (600 by default) within a \
         minute, counted across every instance; `Retry-After` says in how many seconds the next \
         one fits.",
    ),
];

fn common_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        header::Header, path::ParameterIn, ContentBuilder, Ref, RefOr, ResponseBuilder,
    };
    let components = doc.components.get_or_insert_with(Default::default);
    for (status, name, description) in COMMON_ERRORS {
        let mut response = ResponseBuilder::new().description(description).content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ApiError")))
                .build(),
        );
        if status == "429" {
            let mut retry = Header::new(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Integer)
                    .minimum(Some(1))
                    .build(),
            );
            retry.description = Some("Seconds until the next request fits.".into());
            response = response.header("Retry-After", retry);
        }
        if status == "401" {
            let mut challenge = Header::new(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .build(),
            );
            challenge.description = Some("`Bearer realm=\"crm\"`".into());
            response = response.header("WWW-Authenticate", challenge);
        }
        components
            .responses
            .insert(name.to_string(), RefOr::T(response.build()));
    }
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let takes = |place: ParameterIn| {
                operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
            };
            let (path, query) = (takes(ParameterIn::Path), takes(ParameterIn::Query));
            let body = operation.request_body.is_some();
            // An operation with its own credential (the PBX token) documents its own 401 and
            // has no roles to refuse with 403.
            let personal_token = operation.security.is_none();
            for (status, name, _) in COMMON_ERRORS {
                let answers = match status {
                    "401" | "403" => personal_token,
                    "429" => true,
                    "404" => path,
                    "400" | "415" => body,
                    "422" => body || query,
                    _ => false,
                };
                if answers {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
                }
            }
        }
    }
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
