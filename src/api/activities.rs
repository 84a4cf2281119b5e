//! `/api/v1/activities`: log a call, email, meeting or note. Activities are immutable: there is
//! no route to change or delete one.

use super::{body::ApiJson, deals::PageQuery, ApiCaller, ApiError};
use crate::{
    activities::{logging, Activity, ActivityForm, TimelineOf, TimelinePage},
    error::AppError,
    server::AppState,
};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(log_activity))
}

/// An activity to log, linked to at least one of a contact, company and deal.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    /// `call`, `email`, `meeting` or `note`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub body: String,
    /// Emails: the subject line.
    #[serde(default)]
    pub subject: Option<String>,
    /// Calls and emails: `inbound` or `outbound`.
    #[serde(default)]
    pub direction: Option<String>,
    /// Calls: how long it took.
    #[serde(default)]
    pub duration_seconds: Option<u32>,
    /// RFC 3339; now when absent.
    #[serde(default)]
    #[schema(example = "2026-11-23T10:30:00Z")]
    pub happened_at: Option<String>,
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub company_id: Option<i64>,
    #[serde(default)]
    pub deal_id: Option<i64>,
}

/// Logging a call, email or meeting also sets the contact's `last_contacted_at`.
#[utoipa::path(post, path = "/activities", tag = "activities", request_body = NewActivity,
    responses((status = 201, body = Activity), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn log_activity(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(new): ApiJson<NewActivity>,
) -> Result<(StatusCode, Json<Activity>), AppError> {
    let text = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
    let form = ActivityForm {
        kind: new.kind,
        body: new.body,
        subject: new.subject.unwrap_or_default(),
        direction: new.direction.unwrap_or_default(),
        duration_seconds: new
            .duration_seconds
            .map(|s| s.to_string())
            .unwrap_or_default(),
        happened_at: new.happened_at.unwrap_or_default(),
        contact_id: text(new.contact_id),
        company_id: text(new.company_id),
        deal_id: text(new.deal_id),
    };
    let activity = logging::log_activity(&state.db, &caller.actor, &form, &caller.client).await?;
    Ok((StatusCode::CREATED, Json(activity)))
}

/// A card's timeline, for the contact, company and deal routes.
pub async fn timeline_of(
    state: &AppState,
    caller: &ApiCaller,
    of: TimelineOf,
    id: i64,
    page: PageQuery,
) -> Result<Json<TimelinePage>, AppError> {
    let page = logging::timeline(
        &state.db,
        &caller.actor,
        of,
        id,
        page.cursor.as_deref(),
        page.limit,
    )
    .await?;
    Ok(Json(page))
}
