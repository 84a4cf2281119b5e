//! Who is calling the REST API: the user behind the bearer token, as the same `Actor` the UI's
//! server functions use, so every query applies the same tenant and scope rules.

use crate::{
    api_tokens::queries::authenticate,
    audit::ClientInfo,
    auth::{
        actor::{load_actor, Actor},
        request::client_info_of,
        roles::Permission,
    },
    error::AppError,
    server::AppState,
};
use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

pub struct ApiCaller {
    pub actor: Actor,
    pub client: ClientInfo,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| unauthorized("Send an API token as `Authorization: Bearer <token>`."))?;
        let auth = authenticate(&state.db, secret)
            .await
            .map_err(IntoResponse::into_response)?
            .ok_or_else(|| unauthorized("The API token is unknown, revoked or expired."))?;
        // The user may have been deactivated, or the tenant suspended, since the token was made.
        let actor = load_actor(&state.db, &auth)
            .await
            .map_err(|e| AppError::from(e).into_response())?
            .ok_or_else(|| unauthorized("The API token's user may no longer sign in."))?;
        // Taking the permission away from a role switches its tokens off until it is granted back.
        actor
            .require(Permission::ApiTokensManage)
            .map_err(IntoResponse::into_response)?;
        let client = client_info_of(parts, state.settings.server.behind_proxy);
        Ok(ApiCaller { actor, client })
    }
}

/// 401 with the standard challenge and the API's error body.
fn unauthorized(message: &str) -> Response {
    let body = serde_json::json!({
        "error": { "code": "unauthorized", "message": message, "fields": {} }
    });
    let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"crm\""),
    );
    response
}
