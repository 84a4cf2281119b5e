//! "Parse, don't validate": values that cannot hold invalid input. Each `parse` returns the
//! reason a person would read next to the form field. Shared with the browser so forms can check
//! before sending; the server always parses again.

pub mod draft;
pub mod money;

pub use draft::Draft;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A lower-cased, trimmed email address of plausible shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err("is required".into());
        }
        if value.chars().count() > 254 {
            return Err("must be at most 254 characters".into());
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err("must look like name@example.com".into());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty()
            || !domain_ok
            || domain.contains('@')
            || value.chars().any(char::is_whitespace)
        {
            return Err("must look like name@example.com".into());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A timezone by its IANA name (`Europe/Berlin`), trimmed. Server only: the zone database
/// stays out of the browser's bundle.
#[cfg(feature = "ssr")]
pub fn parse_timezone(value: &str) -> Result<chrono_tz::Tz, String> {
    value.trim().parse().map_err(|_| {
        "is not a time zone: use its IANA name, such as Europe/Berlin or America/New_York".into()
    })
}

/// A person's or a company's name: trimmed, 1 to 200 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name(String);

impl Name {
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        if value.is_empty() {
            return Err("is required".into());
        }
        if value.chars().count() > 200 {
            return Err("must be at most 200 characters".into());
        }
        if value.chars().any(char::is_control) {
            return Err("must not contain control characters".into());
        }
        Ok(Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password someone is choosing: at least 10 characters and not their email address.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

pub const PASSWORD_RULE: &str = "at least 10 characters, and not your email address";

impl NewPassword {
    pub fn parse(input: &str, email: Option<&Email>) -> Result<Self, String> {
        let length = input.chars().count();
        if length < 10 {
            return Err(format!("must be {PASSWORD_RULE}"));
        }
        // Argon2 accepts any length; a cap keeps a single request from costing much.
        if length > 256 {
            return Err("must be at most 256 characters".into());
        }
        if email.is_some_and(|e| input.trim().eq_ignore_ascii_case(e.as_str())) {
            return Err(format!("must be {PASSWORD_RULE}"));
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A trimmed form value, or `None` when the field was left blank.
pub fn optional(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|v| !v.is_empty())
}

/// A phone number as people write it: digits with `+ ( ) - . /` and spaces, 5 to 20 digits.
pub fn parse_phone(value: &str) -> Result<String, String> {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-./".contains(c));
    if allowed && (5..=20).contains(&digits) {
        Ok(value.trim().to_string())
    } else {
        Err("must be a phone number such as +49 30 1234567".into())
    }
}

/// An optional record id from a form field ("" = none).
pub fn parse_optional_id(value: &str) -> Result<Option<i64>, String> {
    match optional(value) {
        None => Ok(None),
        // A picker sends what was typed when nothing was chosen: say so in its words.
        Some(v) => v.parse().map(Some).map_err(|_| {
            format!("“{v}” is not one of the choices: pick one from the list, or leave it empty")
        }),
    }
}

/// Collects per-field reasons while parsing a form, so all problems are reported at once.
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(reason) => {
                self.0.insert(field.to_string(), reason);
                None
            }
        }
    }

    pub fn into_inner(self) -> BTreeMap<String, String> {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds `other`'s reasons; a field it also names keeps `other`'s.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ana@Example.COM ").map(|e| e.0),
            Ok("ana@example.com".into())
        );
    }

    #[test]
    fn malformed_emails_are_rejected_with_a_reason() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@@example.com",
            "a na@example.com",
            "ana@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(Email::parse("").expect_err("empty"), "is required");
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::parse("  Zoë  ").map(|n| n.0), Ok("Zoë".into()));
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse(&"x".repeat(201)).is_err());
        assert!(Name::parse("a\u{0007}b").is_err());
    }

    #[test]
    fn password_rule_is_length_and_not_the_email() {
        let email = Email::parse("ana@example.com").ok();
        assert!(NewPassword::parse("short", email.as_ref()).is_err());
        assert!(NewPassword::parse("ANA@example.com", email.as_ref()).is_err());
        assert!(NewPassword::parse("a long enough pass", email.as_ref()).is_ok());
        assert!(NewPassword::parse(&"p".repeat(257), None).is_err());
    }

    #[test]
    fn phones_ids_and_blanks() {
        assert_eq!(optional("  "), None);
        assert_eq!(optional(" x "), Some("x"));
        assert!(parse_phone("+49 (30) 1234-567").is_ok());
        assert!(parse_phone("call me").is_err());
        assert!(parse_phone("123").is_err());
        assert_eq!(parse_optional_id(""), Ok(None));
        assert_eq!(parse_optional_id("42"), Ok(Some(42)));
        assert!(parse_optional_id("4x").is_err());
    }

    #[test]
    fn password_never_shows_in_debug_output() {
        let p = NewPassword::parse("a very secret one", None).expect("valid");
        assert!(!format!("{p:?}").contains("secret"));
    }
}
