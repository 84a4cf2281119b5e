//! The tenant settings form parsed once, at the door: every field valid, or each bad one with
//! its reason.

use super::TenantSettingsForm;
use crate::{
    error::AppError,
    validation::{parse_timezone, FieldErrors, Name},
};
use serde_json::{json, Value};

/// Settings ready to store: a name, a known IANA timezone and an ISO 4217 currency code,
/// upper-cased.
#[derive(Debug, PartialEq, Eq)]
pub struct TenantSettingsInput {
    pub name: Name,
    pub timezone: chrono_tz::Tz,
    pub currency: String,
}

fn parse_currency(value: &str) -> Result<String, String> {
    let code = value.trim().to_ascii_uppercase();
    match iso_currency::Currency::from_code(&code) {
        Some(_) => Ok(code),
        None => Err("is not a currency: use its three-letter code, such as EUR, USD or GBP".into()),
    }
}

impl TryFrom<&TenantSettingsForm> for TenantSettingsInput {
    type Error = AppError;

    fn try_from(form: &TenantSettingsForm) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", Name::parse(&form.name));
        let timezone = errors.check("timezone", parse_timezone(&form.timezone));
        let currency = errors.check("default_currency", parse_currency(&form.default_currency));
        match (name, timezone, currency) {
            (Some(name), Some(timezone), Some(currency)) => Ok(Self {
                name,
                timezone,
                currency,
            }),
            _ => {
                Err(AppError::from_field_errors(errors.into_inner()).unwrap_or(AppError::Internal))
            }
        }
    }
}

/// The fields the audit entry compares, under the names the form uses.
pub fn audit_fields(settings: &super::TenantSettings) -> Vec<(&'static str, Value)> {
    vec![
        ("name", json!(settings.name)),
        ("timezone", json!(settings.timezone)),
        ("default_currency", json!(settings.default_currency)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, timezone: &str, currency: &str) -> TenantSettingsForm {
        TenantSettingsForm {
            name: name.into(),
            timezone: timezone.into(),
            default_currency: currency.into(),
        }
    }

    #[test]
    fn codes_are_trimmed_and_upper_cased() {
        let input = TenantSettingsInput::try_from(&form(" Acme ", " America/New_York", " usd"))
            .expect("valid");
        assert_eq!(input.name.as_str(), "Acme");
        assert_eq!(input.timezone, chrono_tz::America::New_York);
        assert_eq!(input.currency, "USD");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err =
            TenantSettingsInput::try_from(&form("", "Mars/Olympus", "EURO")).expect_err("invalid");
        assert_eq!(err.status(), 422);
        for field in ["name", "timezone", "default_currency"] {
            assert!(err.field(field).is_some(), "{field}: {err:?}");
        }
        assert!(err
            .field("timezone")
            .is_some_and(|r| r.contains("Europe/Berlin")));
    }
}
