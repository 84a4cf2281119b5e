//! The bell's and the muting panel's server functions; each acts on the caller's own inbox.

use super::{Inbox, KindSetting, NotificationKind};
use crate::{error::AppError, text_enum::Word};
use leptos::prelude::*;

#[server(endpoint = "notifications/inbox")]
pub async fn load_inbox() -> Result<Inbox, AppError> {
    crate::auth::request::acting(
        |a| async move { super::service::inbox(&a.state.db, &a.actor).await },
    )
    .await
}

#[server(endpoint = "notifications/mark_read")]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::mark_read(&a.state.db, &a.actor, id).await
    })
    .await
}

/// Answers how many were unread.
#[server(endpoint = "notifications/mark_all_read")]
pub async fn mark_all_notifications_read() -> Result<u64, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::mark_all_read(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "notifications/kinds")]
pub async fn load_notification_kinds() -> Result<Vec<KindSetting>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::kind_settings(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "notifications/set_muted")]
pub async fn set_notification_muted(
    kind: Word<NotificationKind>,
    muted: bool,
) -> Result<Vec<KindSetting>, AppError> {
    crate::auth::request::acting(|a| async move {
        let kind = kind.parse().ok_or_else(|| {
            AppError::invalid(
                "kind",
                format!(
                    "must be one of {}",
                    NotificationKind::ALL.map(|k| k.as_str()).join(", ")
                ),
            )
        })?;
        super::service::set_muted(&a.state.db, &a.actor, kind, muted).await
    })
    .await
}
