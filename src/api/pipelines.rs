//! `/api/v1/pipelines` and `/api/v1/me`: what the caller works with.

use super::ApiCaller;
use crate::{
    auth::SessionUser, deals::Pipeline, error::AppError, pipelines::service, state::AppState,
};
use axum::{extract::State, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pipelines))
        .routes(routes!(me))
}

/// The tenant's pipelines with their stages in order.
#[utoipa::path(get, path = "/pipelines", tag = "pipelines",
    responses((status = 200, body = Vec<Pipeline>)))]
async fn list_pipelines(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<Pipeline>>, AppError> {
    Ok(Json(
        service::list_pipelines(&state.db, &caller.actor).await?,
    ))
}

/// The user the token acts for, with their role and permissions.
#[utoipa::path(get, path = "/me", tag = "me",
    responses((status = 200, body = SessionUser)))]
async fn me(caller: ApiCaller) -> Json<SessionUser> {
    Json(caller.actor.into())
}
