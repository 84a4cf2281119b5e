//! A task as the service takes it, parsed once at the door from the UI form or an API body, and
//! the status a change asks for. The links (assignee, contact, deal) are the service's to check.

use super::{TaskForm, TaskPriority};
use crate::validation::{optional, parse_optional_id, Draft, FieldErrors};
use chrono::{DateTime, NaiveDateTime, Utc};

/// When a task is due, as sent: an instant (RFC 3339, from the API), or a wall-clock time the
/// service reads in the user's own timezone (the UI's date-and-time field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueAt {
    At(DateTime<Utc>),
    Local(NaiveDateTime),
}

/// A new task's own values, every one valid.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskInput {
    /// Trimmed, 1 to 200 characters.
    pub title: String,
    /// Trimmed, at most 10,000 characters.
    pub notes: String,
    pub due_at: DueAt,
    pub priority: TaskPriority,
}

/// The records a task points to; the service checks them against what the actor may see.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TaskLinks {
    /// The actor when `None`.
    pub assignee_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub deal_id: Option<i64>,
}

pub type TaskDraft = Draft<TaskInput, TaskLinks>;

/// The text fields as sent.
pub struct TaskText<'a> {
    pub title: &'a str,
    pub notes: &'a str,
    /// RFC 3339, or `2026-11-24T09:00` in the user's timezone.
    pub due_at: &'a str,
}

impl TaskInput {
    /// Parses the text fields beside `priority` (`normal` when none is sent), adding to the
    /// `errors` of fields parsed before.
    pub fn parse(
        text: TaskText<'_>,
        priority: Result<TaskPriority, String>,
        mut errors: FieldErrors,
    ) -> Result<TaskInput, FieldErrors> {
        let title = text.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.check::<()>("title", Err("is required, at most 200 characters".into()));
        }
        if text.notes.chars().count() > 10_000 {
            errors.check::<()>("notes", Err("must be at most 10,000 characters".into()));
        }
        let due_at = errors.check("due_at", parse_due_at(text.due_at));
        let priority = errors.check("priority", priority);
        match (due_at, priority) {
            (Some(due_at), Some(priority)) if errors.is_empty() => Ok(TaskInput {
                title: title.to_string(),
                notes: text.notes.trim().to_string(),
                due_at,
                priority,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_due_at(text: &str) -> Result<DueAt, String> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(DueAt::At(at.with_timezone(&Utc)));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(DueAt::Local)
        .ok_or_else(|| {
            "must be a date and time such as 2026-11-24T09:00 (your timezone) or \
             2026-11-24T09:00:00+01:00"
                .to_string()
        })
}

impl From<&TaskForm> for TaskDraft {
    fn from(form: &TaskForm) -> Self {
        let mut errors = FieldErrors::default();
        let assignee_id = errors
            .check(
                "assignee_id",
                parse_optional_id(&form.assignee_id)
                    .map_err(|_| "cannot be given to that user".into()),
            )
            .flatten();
        let contact_id = errors
            .check("contact_id", parse_optional_id(&form.contact_id))
            .flatten();
        let deal_id = errors
            .check("deal_id", parse_optional_id(&form.deal_id))
            .flatten();
        let priority = match optional(&form.priority) {
            None => Ok(TaskPriority::Normal),
            Some(word) => {
                TaskPriority::parse(word).ok_or_else(|| "must be low, normal or high".to_string())
            }
        };
        let text = TaskText {
            title: &form.title,
            notes: &form.notes,
            due_at: &form.due_at,
        };
        Draft {
            values: TaskInput::parse(text, priority, errors),
            links: TaskLinks {
                assignee_id,
                contact_id,
                deal_id,
            },
        }
    }
}

/// Why a status word is none. The service gives the reason only once it has found the task, so
/// a task the actor cannot see answers "not found" whatever was sent.
pub fn status_reason() -> String {
    "must be completed, cancelled or pending".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        tasks::{TaskStatus, PRIORITIES},
        text_enum::Word,
    };

    fn form(title: &str, due_at: &str) -> TaskForm {
        TaskForm {
            title: title.into(),
            due_at: due_at.into(),
            ..TaskForm::default()
        }
    }

    #[test]
    fn the_select_words_are_the_enums_words() {
        assert_eq!(PRIORITIES, TaskPriority::ALL.map(TaskPriority::as_str));
    }

    #[test]
    fn a_form_is_trimmed_and_gets_normal_priority_and_no_links() {
        let draft = TaskDraft::from(&form(" Call back ", " 2026-12-01T09:00:00+01:00 "));
        let input = draft.values.expect("valid");
        assert_eq!(input.title, "Call back");
        let DueAt::At(at) = input.due_at else {
            panic!("an instant: {:?}", input.due_at)
        };
        assert_eq!(at.to_rfc3339(), "2026-12-01T08:00:00+00:00");
        let local = TaskDraft::from(&form("Call", "2026-12-01T09:30")).values;
        assert_eq!(
            local.expect("valid").due_at,
            DueAt::Local(
                chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
                    .and_then(|d| d.and_hms_opt(9, 30, 0))
                    .expect("a time")
            ),
            "a wall-clock time is kept for the user's timezone"
        );
        assert_eq!(input.priority, TaskPriority::Normal);
        assert_eq!(draft.links, TaskLinks::default());
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut bad = form("", "tomorrow");
        bad.priority = "urgent".into();
        bad.assignee_id = "x".into();
        bad.contact_id = "y".into();
        let errors = TaskDraft::from(&bad)
            .values
            .expect_err("invalid")
            .into_inner();
        for field in ["title", "due_at", "priority", "assignee_id", "contact_id"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        assert_eq!(errors["assignee_id"], "cannot be given to that user");
    }

    #[test]
    fn a_status_is_taken_exactly_as_sent() {
        let word =
            |w: &str| serde_json::from_value::<Word<TaskStatus>>(w.into()).expect("a string");
        assert_eq!(word("completed").parse(), Some(TaskStatus::Completed));
        assert_eq!(word(" completed").parse(), None);
        assert_eq!(word("done").parse(), None);
    }
}
