//! Follow-up tasks: due dates, priorities, an assignee, links to a contact and a deal. "My tasks"
//! groups them overdue / today / upcoming in the user's own timezone, and a contact's
//! `next_followup_at` always equals its earliest pending task.

pub mod page;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: i64,
    pub title: String,
    pub notes: String,
    pub due_at: DateTime<Utc>,
    pub priority: String,
    pub status: String,
    pub assignee_id: i64,
    pub assignee_name: Option<String>,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub deal_id: Option<i64>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskForm {
    pub title: String,
    #[serde(default)]
    pub notes: String,
    /// RFC 3339, e.g. `2026-11-24T09:00:00+01:00`.
    pub due_at: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub assignee_id: String,
    #[serde(default)]
    pub contact_id: String,
    #[serde(default)]
    pub deal_id: String,
}

/// The signed-in user's pending tasks, grouped by when they are due in their timezone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MyTasks {
    pub timezone: String,
    pub overdue: Vec<Task>,
    pub today: Vec<Task>,
    pub upcoming: Vec<Task>,
}
