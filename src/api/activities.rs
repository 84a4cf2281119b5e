//! `/api/v1/activities`: log a call, email, meeting or note. Activities are immutable: there is
//! no route to change or delete one.

use super::{
    body::{date_text, ApiJson, PageQuery},
    ApiCaller,
};
use crate::{
    activities::{
        input::{ActivityDraft, ActivityFields, ActivityInput, ActivityLinks},
        service, Activity, Direction, LoggableKind, TimelineOf, TimelinePage,
    },
    error::AppError,
    state::AppState,
    validation::{Draft, FieldErrors},
};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(log_activity))
}

/// An activity to log, linked to at least one of a contact, company and deal. A call and an
/// email need a `direction`, an email a `subject`, a note a `body`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    pub kind: LoggableKind,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub body: String,
    /// Emails: the subject line.
    #[serde(default)]
    #[schema(max_length = 300)]
    pub subject: Option<String>,
    /// Calls and emails.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Calls: how long it took.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 4294967295.0)]
    pub duration_seconds: Option<u32>,
    /// RFC 3339, at most a day ahead; now when absent.
    #[serde(default)]
    #[schema(format = DateTime, example = "2026-11-23T10:30:00Z")]
    pub happened_at: Option<String>,
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub company_id: Option<i64>,
    #[serde(default)]
    pub deal_id: Option<i64>,
}

impl TryFrom<NewActivity> for ActivityDraft {
    type Error = AppError;

    /// A `happened_at` sent blank is refused outright (`date_text`), before the other fields.
    fn try_from(new: NewActivity) -> Result<Self, AppError> {
        let happened_at = date_text("happened_at", new.happened_at)?;
        let fields = ActivityFields {
            kind: Ok(new.kind),
            body: &new.body,
            subject: new.subject.as_deref(),
            direction: new.direction,
            duration_seconds: Ok(new.duration_seconds),
            happened_at: &happened_at,
        };
        Ok(Draft {
            values: ActivityInput::parse(fields, chrono::Utc::now(), FieldErrors::default()),
            links: ActivityLinks {
                contact_id: new.contact_id,
                company_id: new.company_id,
                deal_id: new.deal_id,
            },
        })
    }
}

/// Logging a call, email or meeting also sets the contact's `last_contacted_at`.
#[utoipa::path(post, path = "/activities", tag = "activities", request_body = NewActivity,
    responses((status = 201, body = Activity)))]
async fn log_activity(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(new): ApiJson<NewActivity>,
) -> Result<(StatusCode, Json<Activity>), AppError> {
    let draft = ActivityDraft::try_from(new)?;
    let activity = service::log_activity(&state.db, &caller.actor, draft, &caller.client).await?;
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
    let page = service::timeline(
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
