//! A new API token as the service takes it, parsed once at the door from the account page's form.

use crate::validation::FieldErrors;

/// The longest a token may live, in days (ten years).
pub const MAX_LIFETIME_DAYS: u32 = 3650;

/// A new token's values, every one valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenInput {
    /// Trimmed, 1 to 100 characters.
    pub name: String,
    /// `None`: the token never expires.
    pub expires_in_days: Option<u32>,
}

impl ApiTokenInput {
    /// The form's name and lifetime; `expires_in_days` is blank (never) or 1 to 3650.
    pub fn parse(name: &str, expires_in_days: &str) -> Result<ApiTokenInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.check::<()>("name", Err("is required, at most 100 characters".into()));
        }
        let expires_in_days = match expires_in_days.trim() {
            "" => None,
            days => errors.check(
                "expires_in_days",
                days.parse::<u32>()
                    .ok()
                    .filter(|d| (1..=MAX_LIFETIME_DAYS).contains(d))
                    .ok_or_else(|| "must be a number of days from 1 to 3650, or blank".to_string()),
            ),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ApiTokenInput {
            name: name.to_string(),
            expires_in_days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_lifetime_never_expires() {
        assert_eq!(
            ApiTokenInput::parse(" Zapier ", " ").ok(),
            Some(ApiTokenInput {
                name: "Zapier".into(),
                expires_in_days: None
            })
        );
        assert_eq!(
            ApiTokenInput::parse("Zapier", "30")
                .ok()
                .map(|t| t.expires_in_days),
            Some(Some(30))
        );
    }

    #[test]
    fn a_blank_name_and_a_lifetime_out_of_range_are_both_named() {
        let errors = ApiTokenInput::parse(" ", "9999")
            .expect_err("invalid")
            .into_inner();
        assert!(errors.contains_key("name"), "{errors:?}");
        assert!(errors.contains_key("expires_in_days"), "{errors:?}");
        for days in ["0", "-1", "x", "3651"] {
            assert!(ApiTokenInput::parse("ok", days).is_err(), "{days}");
        }
    }
}
