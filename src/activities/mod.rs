//! The activity timeline: calls, emails, meetings, notes, stage changes, follow-ups. Immutable
//! (the schema refuses UPDATE and DELETE); each row links to any of a contact, company and deal,
//! so every card's timeline is one indexed query.

#[cfg(feature = "ssr")]
pub mod queries;

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

#[cfg(feature = "ssr")]
pub mod logging;
pub mod server_fns;
pub mod timeline_view;

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
