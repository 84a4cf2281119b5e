//! Follow-up tasks: due dates, priorities, an assignee, links to a contact and a deal. "My tasks"
//! groups them overdue / today / upcoming in the user's own timezone, and a contact's
//! `next_followup_at` always equals its earliest pending task.

pub mod input;
pub mod open_tasks_view;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod task_form;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The words of [`TaskPriority`], for the form's select field.
pub const PRIORITIES: [&str; 3] = ["low", "normal", "high"];

crate::text_enum! {
    /// How urgent a task is.
    #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
    // Its name in the API document, which predates this type.
    #[cfg_attr(feature = "ssr", schema(as = Priority))]
    pub enum TaskPriority("task priority") {
        Low = "low",
        Normal = "normal",
        High = "high",
    }
}

crate::text_enum! {
    /// Where a task stands: `pending` reopens it.
    #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
    // Its name in the API document, which predates this type.
    #[cfg_attr(feature = "ssr", schema(as = TaskState))]
    pub enum TaskStatus("task status") {
        Pending = "pending",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

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
    pub deal_title: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    /// `due_at` on the user's own clock (their timezone, else the tenant's), as a date-and-time
    /// field shows it: `2026-11-24T09:00`.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default)]
    pub due_local: String,
}

impl Task {
    /// `due_local` for reading: `2026-11-24 09:00`.
    pub fn due_text(&self) -> String {
        self.due_local.replacen('T', " ", 1)
    }
}

/// Which records' open tasks a card lists: one of the three.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskLink {
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub deal_id: Option<i64>,
    /// Tasks of the company's contacts and deals.
    #[serde(default)]
    pub company_id: Option<i64>,
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
