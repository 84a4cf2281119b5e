//! An activity someone logs by hand, parsed once at the door from the card's form or an API
//! body. The records it links to are the service's to check (and to complete: a deal brings its
//! contact and company).

use super::{ActivityForm, Direction, LoggableKind};
use crate::validation::{optional, parse_optional_id, Draft, FieldErrors};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

/// An activity's own values, every one valid; each kind has the fields it takes and no others.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityInput {
    pub kind: LoggableKind,
    /// Trimmed, at most 10,000 characters; a note's is never empty.
    pub body: String,
    /// Calls and emails.
    pub direction: Option<Direction>,
    /// Emails: at most 300 characters.
    pub subject: Option<String>,
    /// Calls, when given.
    pub duration_seconds: Option<u32>,
    /// At most a day ahead.
    pub happened_at: DateTime<Utc>,
}

/// The records an activity is about; at least one is needed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActivityLinks {
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
}

pub type ActivityDraft = Draft<ActivityInput, ActivityLinks>;

/// The fields as sent. One that only other kinds take is not read.
pub struct ActivityFields<'a> {
    pub kind: Result<LoggableKind, String>,
    pub body: &'a str,
    pub subject: Option<&'a str>,
    /// An unknown word reads as none: a call or an email is refused alike for either.
    pub direction: Option<Direction>,
    pub duration_seconds: Result<Option<u32>, String>,
    /// RFC 3339; `now` when blank.
    pub happened_at: &'a str,
}

impl ActivityInput {
    /// Parses the fields as of `now`, adding to the `errors` of fields parsed before.
    pub fn parse(
        fields: ActivityFields<'_>,
        now: DateTime<Utc>,
        mut errors: FieldErrors,
    ) -> Result<ActivityInput, FieldErrors> {
        let kind = errors.check("kind", fields.kind);
        let body = fields.body.trim();
        if body.chars().count() > 10_000 {
            errors.check::<()>("body", Err("must be at most 10,000 characters".into()));
        }
        if kind == Some(LoggableKind::Note) && body.is_empty() {
            errors.check::<()>("body", Err("is required for a note".into()));
        }
        let direction = match kind {
            Some(LoggableKind::Call | LoggableKind::Email) => errors.check(
                "direction",
                fields
                    .direction
                    .ok_or_else(|| "must be inbound or outbound".to_string()),
            ),
            _ => None,
        };
        let subject = match kind {
            Some(LoggableKind::Email) => errors.check("subject", subject(fields.subject)),
            _ => None,
        };
        let duration_seconds = match kind {
            Some(LoggableKind::Call) => errors
                .check("duration_seconds", fields.duration_seconds)
                .flatten(),
            _ => None,
        };
        let happened_at = match optional(fields.happened_at) {
            None => Some(now),
            Some(at) => errors.check("happened_at", happened_at(at, now)),
        };
        match (kind, happened_at) {
            (Some(kind), Some(happened_at)) if errors.is_empty() => Ok(ActivityInput {
                kind,
                body: body.to_string(),
                direction,
                subject,
                duration_seconds,
                happened_at,
            }),
            _ => Err(errors),
        }
    }

    /// What the timeline shows beside the body: the direction, subject and duration its kind
    /// takes.
    pub fn payload(&self) -> Value {
        let mut payload = Map::new();
        if let Some(direction) = self.direction {
            payload.insert("direction".into(), json!(direction.as_str()));
        }
        if let Some(subject) = &self.subject {
            payload.insert("subject".into(), json!(subject));
        }
        if let Some(seconds) = self.duration_seconds {
            payload.insert("duration_seconds".into(), json!(seconds));
        }
        Value::Object(payload)
    }
}

fn subject(text: Option<&str>) -> Result<String, String> {
    match text.and_then(optional) {
        Some(subject) if subject.chars().count() <= 300 => Ok(subject.to_string()),
        Some(_) => Err("must be at most 300 characters".into()),
        None => Err("is required for an email".into()),
    }
}

fn happened_at(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    match DateTime::parse_from_rfc3339(text) {
        Ok(at) if at.with_timezone(&Utc) <= now + Duration::days(1) => Ok(at.with_timezone(&Utc)),
        Ok(_) => Err("cannot be in the future".into()),
        Err(_) => Err("must be a date and time such as 2026-11-23T14:30:00Z".into()),
    }
}

impl From<&ActivityForm> for ActivityDraft {
    fn from(form: &ActivityForm) -> Self {
        let mut errors = FieldErrors::default();
        let mut id =
            |field: &str, text: &str| errors.check(field, parse_optional_id(text)).flatten();
        let links = ActivityLinks {
            contact_id: id("contact_id", &form.contact_id),
            company_id: id("company_id", &form.company_id),
            deal_id: id("deal_id", &form.deal_id),
        };
        let kind = LoggableKind::parse(form.kind.trim()).ok_or_else(|| {
            let kinds = LoggableKind::ALL.map(LoggableKind::as_str);
            format!("must be one of {}", kinds.join(", "))
        });
        let duration_seconds = optional(&form.duration_seconds)
            .map(str::parse::<u32>)
            .transpose()
            .map_err(|_| "must be a whole number of seconds".to_string());
        let fields = ActivityFields {
            kind,
            body: &form.body,
            subject: Some(&form.subject),
            direction: Direction::parse(form.direction.trim()),
            duration_seconds,
            happened_at: &form.happened_at,
        };
        Draft {
            values: ActivityInput::parse(fields, Utc::now(), errors),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str) -> ActivityForm {
        ActivityForm {
            kind: kind.into(),
            contact_id: "7".into(),
            ..ActivityForm::default()
        }
    }

    #[test]
    fn a_call_takes_its_direction_and_duration_and_nothing_an_email_takes() {
        let mut call = form(" call ");
        call.direction = "inbound".into();
        call.duration_seconds = "95".into();
        call.subject = "ignored".into();
        let draft = ActivityDraft::from(&call);
        let input = draft.values.expect("valid");
        assert_eq!(input.kind, LoggableKind::Call);
        assert_eq!(
            input.payload(),
            json!({"direction": "inbound", "duration_seconds": 95})
        );
        assert_eq!(draft.links.contact_id, Some(7));
    }

    #[test]
    fn fields_another_kind_takes_are_not_read() {
        let mut meeting = form("meeting");
        meeting.direction = "sideways".into();
        meeting.duration_seconds = "long".into();
        let input = ActivityDraft::from(&meeting).values.expect("valid");
        assert_eq!(input.payload(), json!({}));
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut email = form("email");
        email.direction = "sideways".into();
        email.happened_at = "2999-01-01T00:00:00Z".into();
        email.deal_id = "x".into();
        let errors = ActivityDraft::from(&email)
            .values
            .expect_err("invalid")
            .into_inner();
        for field in ["direction", "subject", "happened_at", "deal_id"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        let errors = ActivityDraft::from(&form("stage_change"))
            .values
            .expect_err("not loggable")
            .into_inner();
        assert_eq!(errors["kind"], "must be one of call, email, meeting, note");
    }
}
