//! `/api/v1/pbx/cdr`: the PBX's call detail records (talk time, recording link). Authenticated
//! with the tenant's PBX token (Settings → Calling), which can do nothing else; a personal API
//! token is refused here, so the PBX never holds a person's rights.

use super::{
    body::ApiJson,
    caller::{bearer_secret, unauthorized, within_rate_limit},
};
use crate::{
    audit::ClientInfo,
    auth::request::client_info_of,
    error::AppError,
    pbx::{
        service::{self, PbxCaller, SECRET_PREFIX},
        Cdr, CdrOutcome,
    },
    state::AppState,
};
use axum::{
    extract::{FromRequestParts, State},
    http::{request::Parts, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive_cdr))
}

/// The PBX behind a request: its token's tenant, counted against the API's rate limit per token.
pub struct Pbx {
    pub caller: PbxCaller,
    pub client: ClientInfo,
}

impl FromRequestParts<AppState> for Pbx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let secret = bearer_secret(parts).ok_or_else(|| {
            unauthorized("Send the tenant's PBX token as `Authorization: Bearer pbx_…`.")
        })?;
        if !secret.starts_with(SECRET_PREFIX) {
            return Err(unauthorized(
                "This operation takes the tenant's PBX token (Settings → Calling), not a personal API token.",
            ));
        }
        let caller = service::authenticate(&state.db, secret)
            .await
            .map_err(IntoResponse::into_response)?
            .ok_or_else(|| unauthorized("The PBX token is unknown, replaced or revoked."))?;
        within_rate_limit(state, &format!("pbx-token:{}", caller.token_id)).await?;
        let client = client_info_of(parts, state.settings.server.behind_proxy);
        Ok(Pbx { caller, client })
    }
}

/// Attaches a call record to its call: the one already carrying `pbx_call_id`, else `call_id`.
/// Sending the same record again changes nothing. A record that matches no call of the token's
/// tenant is stored as unmatched and answered with 202.
#[utoipa::path(post, path = "/pbx/cdr", tag = "pbx", request_body = Cdr,
    security(("pbx_token" = [])),
    responses(
        (status = 200, body = CdrOutcome),
        (status = 202, body = CdrOutcome),
        (status = 401, body = super::ApiError, description = "No `Authorization: Bearer pbx_…` \
            token, or one that is unknown, replaced more than a day ago, or revoked, or whose \
            tenant is suspended; a personal API token is refused here too."),
    ))]
async fn receive_cdr(
    State(state): State<AppState>,
    pbx: Pbx,
    ApiJson(record): ApiJson<Cdr>,
) -> Result<(StatusCode, Json<CdrOutcome>), AppError> {
    let outcome = service::attach(&state.db, &pbx.caller, &record, &pbx.client).await?;
    let status = match outcome {
        CdrOutcome::Attached { .. } => StatusCode::OK,
        CdrOutcome::Unmatched { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(outcome)))
}
