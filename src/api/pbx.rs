//! `/api/v1/pbx/cdr`: the PBX's call detail records (talk time, recording link). Authenticated
//! like the rest of the API, with the token of a user who may manage settings.

use super::{body::ApiJson, ApiCaller};
use crate::{
    calls::cdr::{self, Cdr, CdrOutcome},
    error::AppError,
    server::AppState,
};
use axum::{extract::State, http::StatusCode, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive_cdr))
}

/// Attaches a call record to its call: the one already carrying `pbx_call_id`, else `call_id`.
/// Sending the same record again changes nothing. A record that matches no call is stored as
/// unmatched and answered with 202.
#[utoipa::path(post, path = "/pbx/cdr", tag = "pbx", request_body = Cdr,
    responses((status = 200, body = CdrOutcome), (status = 202, body = CdrOutcome)))]
async fn receive_cdr(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(record): ApiJson<Cdr>,
) -> Result<(StatusCode, Json<CdrOutcome>), AppError> {
    let outcome = cdr::attach(&state.db, &caller.actor, &record, &caller.client).await?;
    let status = match outcome {
        CdrOutcome::Attached { .. } => StatusCode::OK,
        CdrOutcome::Unmatched { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(outcome)))
}
