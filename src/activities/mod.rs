//! The activity timeline: calls, emails, meetings, notes, stage changes, follow-ups. Immutable
//! (the schema refuses UPDATE and DELETE); each row links to any of a contact, company and deal,
//! so every card's timeline is one indexed query.

pub mod input;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod timeline_view;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: i64,
    pub kind: String,
    pub body: String,
    #[cfg_attr(feature = "ssr", sqlx(json))]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub payload: serde_json::Value,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub happened_at: DateTime<Utc>,
}

crate::text_enum! {
    /// What kind of activity.
    #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
    // The kinds a person logs by hand; `stage_change` and `followup` activities are written by
    // the deal moves and tasks they record. Named `ActivityKind` in the API document.
    #[cfg_attr(feature = "ssr", schema(as = ActivityKind))]
    pub enum LoggableKind("activity kind") {
        Call = "call",
        Email = "email",
        Meeting = "meeting",
        Note = "note",
    }
}

impl LoggableKind {
    /// Whether logging it sets the contact's `last_contacted_at` (a note does not).
    pub fn marks_contacted(self) -> bool {
        self != LoggableKind::Note
    }
}

crate::text_enum! {
    /// Which way a call or email went.
    #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
    pub enum Direction("direction") {
        Inbound = "inbound",
        Outbound = "outbound",
    }
}

/// What the "add activity" form sends. Blank optional fields are empty strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityForm {
    /// `call`, `email`, `meeting` or `note`.
    pub kind: String,
    #[serde(default)]
    pub body: String,
    /// Emails: the subject line.
    #[serde(default)]
    pub subject: String,
    /// Calls and emails: `inbound` or `outbound`.
    #[serde(default)]
    pub direction: String,
    /// Calls: how long it took, in seconds.
    #[serde(default)]
    pub duration_seconds: String,
    /// RFC 3339; now when blank.
    #[serde(default)]
    pub happened_at: String,
    #[serde(default)]
    pub contact_id: String,
    #[serde(default)]
    pub company_id: String,
    #[serde(default)]
    pub deal_id: String,
}

/// Whose timeline to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineOf {
    Contact,
    Company,
    Deal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelinePage {
    pub items: Vec<Activity>,
    pub next_cursor: Option<String>,
}
