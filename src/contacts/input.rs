//! A contact as the service takes it, parsed once at the door from a UI form or an API body.

use super::{Contact, ContactForm, ContactScore, ContactStatus, SCORES, STATUSES};
use crate::validation::{
    optional, parse_optional_id, parse_phone, Draft, Email, FieldErrors, Name,
};

/// A contact's own values, every one valid.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactInput {
    pub name: Name,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub source: Option<String>,
    pub notes: String,
    pub status: ContactStatus,
    pub score: ContactScore,
}

/// The records a contact points to; the service checks them against the tenant.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ContactLinks {
    pub company_id: Option<i64>,
    /// The actor when `None`.
    pub owner_id: Option<i64>,
}

pub type ContactDraft = Draft<ContactInput, ContactLinks>;

/// A contact ready to store: its values and its checked links.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRecord {
    pub input: ContactInput,
    /// The phone read with the tenant's default country.
    pub phone_e164: Option<String>,
    pub company_id: Option<i64>,
    pub owner_id: i64,
}

/// The text fields as sent; blank optional ones are `None`.
pub struct ContactText<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub source: Option<&'a str>,
    pub notes: &'a str,
}

impl ContactInput {
    /// Parses the text fields beside `status` and `score` (already typed, or the reason they are
    /// not), adding to the `errors` of fields parsed before.
    pub fn parse(
        text: ContactText<'_>,
        status: Result<ContactStatus, String>,
        score: Result<ContactScore, String>,
        mut errors: FieldErrors,
    ) -> Result<ContactInput, FieldErrors> {
        let name = errors.check("name", Name::parse(text.name));
        let email = match text.email.and_then(optional) {
            None => Some(None),
            Some(e) => errors.check("email", Email::parse(e)).map(Some),
        };
        let phone = match text.phone.and_then(optional) {
            None => Some(None),
            Some(p) => errors.check("phone", parse_phone(p)).map(Some),
        };
        let source = text.source.and_then(optional).map(str::to_string);
        if source.as_deref().is_some_and(|s| s.chars().count() > 100) {
            errors.check::<()>("source", Err("must be at most 100 characters".into()));
        }
        if text.notes.chars().count() > 10_000 {
            errors.check::<()>("notes", Err("must be at most 10,000 characters".into()));
        }
        let status = errors.check("status", status);
        let score = errors.check("score", score);
        match (name, email, phone, status, score) {
            (Some(name), Some(email), Some(phone), Some(status), Some(score))
                if errors.is_empty() =>
            {
                Ok(ContactInput {
                    name,
                    email,
                    phone,
                    source,
                    notes: text.notes.trim().to_string(),
                    status,
                    score,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A select field's word, its default when blank.
fn chosen<T>(
    value: &str,
    default: T,
    parse: fn(&str) -> Option<T>,
    words: &[&str],
) -> Result<T, String> {
    match optional(value) {
        None => Ok(default),
        Some(word) => parse(word).ok_or_else(|| format!("must be one of {}", words.join(", "))),
    }
}

impl From<&ContactForm> for ContactDraft {
    fn from(form: &ContactForm) -> Self {
        let mut errors = FieldErrors::default();
        let company_id = errors
            .check(
                "company_id",
                parse_optional_id(&form.company_id)
                    .map_err(|_| "is not one of your companies".into()),
            )
            .flatten();
        let owner_id = errors
            .check(
                "owner_id",
                parse_optional_id(&form.owner_id)
                    .map_err(|_| "cannot be given to that user".into()),
            )
            .flatten();
        let text = ContactText {
            name: &form.name,
            email: Some(&form.email),
            phone: Some(&form.phone),
            source: Some(&form.source),
            notes: &form.notes,
        };
        let status = chosen(
            &form.status,
            ContactStatus::New,
            ContactStatus::parse,
            &STATUSES,
        );
        let score = chosen(
            &form.score,
            ContactScore::Warm,
            ContactScore::parse,
            &SCORES,
        );
        Draft {
            values: ContactInput::parse(text, status, score, errors),
            links: ContactLinks {
                company_id,
                owner_id,
            },
        }
    }
}

impl ContactRecord {
    /// The fields an audit entry records, in the order [`audit_fields_of`] gives them.
    pub fn audit_fields(&self) -> Vec<(&'static str, serde_json::Value)> {
        let i = &self.input;
        use serde_json::json;
        vec![
            ("name", json!(i.name.as_str())),
            ("email", json!(i.email.as_ref().map(Email::as_str))),
            ("phone", json!(i.phone)),
            ("source", json!(i.source)),
            ("notes", json!(i.notes)),
            ("status", json!(i.status.as_str())),
            ("score", json!(i.score.as_str())),
            ("company_id", json!(self.company_id)),
            ("owner_id", json!(self.owner_id)),
        ]
    }
}

/// A stored contact's audited fields, to compare with an update's.
pub fn audit_fields_of(c: &Contact) -> Vec<(&'static str, serde_json::Value)> {
    use serde_json::json;
    vec![
        ("name", json!(c.name)),
        ("email", json!(c.email)),
        ("phone", json!(c.phone)),
        ("source", json!(c.source)),
        ("notes", json!(c.notes)),
        ("status", json!(c.status)),
        ("score", json!(c.score)),
        ("company_id", json!(c.company_id)),
        ("owner_id", json!(c.owner_id)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_select_words_are_the_enums_words() {
        assert_eq!(STATUSES, ContactStatus::ALL.map(ContactStatus::as_str));
        assert_eq!(SCORES, ContactScore::ALL.map(ContactScore::as_str));
    }

    #[test]
    fn a_form_with_blank_selects_gets_the_defaults() {
        let form = ContactForm {
            name: " Ada ".into(),
            ..ContactForm::default()
        };
        let draft = ContactDraft::from(&form);
        let input = draft.values.expect("valid");
        assert_eq!(input.name.as_str(), "Ada");
        assert_eq!(
            (input.status, input.score),
            (ContactStatus::New, ContactScore::Warm)
        );
        assert_eq!(draft.links, ContactLinks::default());
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = ContactForm {
            name: " ".into(),
            email: "nope".into(),
            status: "Warm".into(),
            company_id: "x".into(),
            ..ContactForm::default()
        };
        let errors = ContactDraft::from(&form)
            .values
            .expect_err("invalid")
            .into_inner();
        for field in ["name", "email", "status", "company_id"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }
}
