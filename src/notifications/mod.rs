//! Notifications: what a user is told — a deal or task given to them, a follow-up coming due,
//! the morning digest, a call they missed. Each is a row written in the transaction of the change
//! that causes it (so a rolled-back change tells nobody), unless the user muted its kind. The
//! inbox hides a notification about a record its reader may no longer see.

pub mod bell;
pub mod mute_panel;
#[cfg(feature = "ssr")]
pub mod reminders;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What a notification says happened; users mute by kind.
    pub enum NotificationKind("notification kind") {
        DealAssigned = "deal_assigned",
        TaskAssigned = "task_assigned",
        TaskDue = "task_due",
        DailyDigest = "daily_digest",
        CallMissed = "call_missed",
    }
}

impl NotificationKind {
    /// What the muting panel calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::DealAssigned => "A deal is given to me",
            Self::TaskAssigned => "A task is given to me",
            Self::TaskDue => "A follow-up is due in 15 minutes",
            Self::DailyDigest => "My follow-ups each morning at 08:00",
            Self::CallMissed => "I missed an incoming call",
        }
    }
}

crate::text_enum! {
    /// The kind of record a notification is about, for the reader's visibility.
    pub enum NotificationAbout("notification record") {
        Contact = "contact",
        Deal = "deal",
        Task = "task",
        Call = "call",
    }
}

/// One notification as the bell lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Where clicking it goes, e.g. `/deals/7`.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// The bell's contents: the unread count over everything the user may see, and the newest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub unread: i64,
    pub items: Vec<Notification>,
}

/// One row of the muting panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindSetting {
    pub kind: NotificationKind,
    pub label: String,
    pub muted: bool,
}
