//! Who is calling the REST API: the user behind the bearer token, as the same `Actor` the UI's
//! server functions use, so every query applies the same tenant and scope rules.

use crate::{
    api_tokens::service::authenticate,
    audit::ClientInfo,
    auth::{
        actor::{load_actor, Actor},
        request::client_info_of,
        roles::Permission,
    },
    db::rate_limit::{self, Decision, Limit},
    error::AppError,
    state::AppState,
};
use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use chrono::Utc;

pub struct ApiCaller {
    pub actor: Actor,
    pub client: ClientInfo,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let secret = bearer_secret(parts)
            .ok_or_else(|| unauthorized("Send an API token as `Authorization: Bearer <token>`."))?;
        if secret.starts_with(crate::pbx::service::SECRET_PREFIX) {
            return Err(unauthorized(
                "A PBX token can only post call records to /api/v1/pbx/cdr.",
            ));
        }
        let (token_id, auth) = authenticate(&state.db, secret)
            .await
            .map_err(IntoResponse::into_response)?
            .ok_or_else(|| unauthorized("The API token is unknown, revoked or expired."))?;
        within_rate_limit(state, &format!("api-token:{token_id}")).await?;
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

/// The `Authorization: Bearer` secret, if one was sent.
pub(super) fn bearer_secret(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Counts a request on a credential's bucket: `api.requests_per_minute` each, across instances.
pub(super) async fn within_rate_limit(state: &AppState, bucket: &str) -> Result<(), Response> {
    let limit = Limit {
        hits: state.settings.api.requests_per_minute,
        window_seconds: 60,
    };
    match rate_limit::hit(&state.db, bucket, limit, Utc::now()).await {
        Ok(Decision::Allowed) => Ok(()),
        Ok(Decision::Refused {
            retry_after_seconds,
        }) => Err(too_many_requests(retry_after_seconds)),
        Err(e) => Err(AppError::from(e).into_response()),
    }
}

/// 429 with `Retry-After` and the API's error body.
fn too_many_requests(retry_after_seconds: u32) -> Response {
    let body = serde_json::json!({
        "error": {
            "code": "too_many_requests",
            "message": format!("This token made too many requests. Try again in {retry_after_seconds} s."),
            "fields": {}
        }
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    response
}

/// 401 with the standard challenge and the API's error body.
pub(super) fn unauthorized(message: &str) -> Response {
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
