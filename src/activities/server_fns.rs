//! Activities for the client card: log one, read a timeline.

use super::{Activity, ActivityForm, TimelineOf, TimelinePage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "activities/log")]
pub async fn log_activity(form: ActivityForm) -> Result<Activity, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::ActivityDraft::from(&form);
        super::service::log_activity(&a.state.db, &a.actor, draft, &a.client).await
    })
    .await
}

#[server(endpoint = "activities/timeline")]
pub async fn timeline(
    of: TimelineOf,
    id: i64,
    #[server(default)] cursor: Option<String>,
    #[server(default)] limit: Option<u32>,
) -> Result<TimelinePage, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::timeline(&a.state.db, &a.actor, of, id, cursor.as_deref(), limit).await
    })
    .await
}
