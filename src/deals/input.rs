//! A deal as the service takes it, parsed once at the door from a UI form or an API body:
//! amounts in minor units, ISO currencies, dates. The links (stage, contact, company, owner) and
//! the tenant's default currency are the service's to check.

use super::DealForm;
use crate::validation::{optional, parse_optional_id, Draft, FieldErrors};
use chrono::NaiveDate;
use serde_json::{json, Value};

/// The most decimals an ISO 4217 currency takes (the Chilean UF has four).
const MOST_DECIMALS: u16 = 4;

/// An amount in minor units (the API's `amount_minor`), or as a person typed it in major units
/// (`1250.50`), which takes the currency's decimals once the currency is known.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    Minor(i64),
    Typed(String),
}

/// A deal's own values, every one valid.
#[derive(Clone, Debug, PartialEq)]
pub struct DealInput {
    pub title: String,
    pub amount: Amount,
    /// The code and its decimals; the tenant's default currency when `None`.
    pub currency: Option<(String, u16)>,
    pub expected_close_on: Option<NaiveDate>,
    /// What it brings into its first stage (creating only).
    pub entry: StageEntry,
}

/// What a deal brings into a stage: a note and a follow-up date, which the stage's rules may
/// require.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageEntry {
    pub note: String,
    pub followup_on: Option<NaiveDate>,
}

impl StageEntry {
    /// From the form's `note` and `followup_on` (blank = none).
    pub fn parse(note: &str, followup_on: &str, errors: &mut FieldErrors) -> StageEntry {
        let note = note.trim().to_string();
        if note.chars().count() > 10_000 {
            errors.check::<()>("note", Err("must be at most 10,000 characters".into()));
        }
        let followup_on =
            optional(followup_on).and_then(|d| errors.check("followup_on", parse_date(d)));
        StageEntry { note, followup_on }
    }
}

/// The records a deal points to; the service checks them against the tenant.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DealLinks {
    /// The default pipeline's default stage when `None` (creating only: edits never move).
    pub stage_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    /// The actor when `None`.
    pub owner_id: Option<i64>,
}

pub type DealDraft = Draft<DealInput, DealLinks>;

/// A deal ready to store: its values resolved (amount in minor units, currency) and its links
/// checked.
#[derive(Clone, Debug, PartialEq)]
pub struct DealRecord {
    pub title: String,
    pub amount_minor: i64,
    pub currency: String,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub owner_id: i64,
    pub expected_close_on: Option<NaiveDate>,
}

impl DealRecord {
    /// The fields an edit's audit entry compares, in the order [`audit_fields_of`] gives them.
    pub fn audit_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("title", json!(self.title)),
            ("amount_minor", json!(self.amount_minor)),
            ("currency", json!(self.currency)),
            ("contact_id", json!(self.contact_id)),
            ("company_id", json!(self.company_id)),
            ("owner_id", json!(self.owner_id)),
            ("expected_close_on", json!(self.expected_close_on)),
        ]
    }
}

/// A stored deal's audited fields, to compare with an edit's.
pub fn audit_fields_of(d: &super::Deal) -> Vec<(&'static str, Value)> {
    vec![
        ("title", json!(d.title)),
        ("amount_minor", json!(d.amount_minor)),
        ("currency", json!(d.currency)),
        ("contact_id", json!(d.contact_id)),
        ("company_id", json!(d.company_id)),
        ("owner_id", json!(d.owner_id)),
        ("expected_close_on", json!(d.expected_close_on)),
    ]
}

/// The text fields as sent; blank optional ones are `None`.
pub struct DealText<'a> {
    pub title: &'a str,
    pub currency: Option<&'a str>,
    pub expected_close_on: Option<&'a str>,
}

impl DealInput {
    /// Parses the text fields beside `amount` and what the deal brings into its stage, adding to
    /// the `errors` of fields parsed before.
    pub fn parse(
        text: DealText<'_>,
        amount: Amount,
        entry: StageEntry,
        mut errors: FieldErrors,
    ) -> Result<DealInput, FieldErrors> {
        let title = text.title.trim().to_string();
        if title.is_empty() || title.chars().count() > 200 {
            errors.check::<()>("title", Err("is required, at most 200 characters".into()));
        }
        let currency = match text.currency.and_then(optional) {
            Some(c) => errors.check("currency", parse_currency(c)).map(Some),
            None => Some(None),
        };
        let amount = match amount {
            Amount::Minor(minor) => errors
                .check("amount_minor", check_minor(minor))
                .map(Amount::Minor),
            Amount::Typed(text) => match &currency {
                Some(Some((_, decimals))) => errors
                    .check("amount", parse_amount(&text, *decimals))
                    .map(Amount::Minor),
                // Its decimals wait for the tenant's currency; what no currency takes (a sign,
                // letters) is refused now, beside the other fields.
                _ => errors
                    .check("amount", parse_amount(&text, MOST_DECIMALS))
                    .map(|_| Amount::Typed(text)),
            },
        };
        let expected_close_on = match text.expected_close_on.and_then(optional) {
            None => Some(None),
            Some(d) => errors.check("expected_close_on", parse_date(d)).map(Some),
        };
        match (currency, amount, expected_close_on) {
            (Some(currency), Some(amount), Some(expected_close_on)) if errors.is_empty() => {
                Ok(DealInput {
                    title,
                    amount,
                    currency,
                    expected_close_on,
                    entry,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A form's optional id: a reason under `field` when it is not one.
fn form_id(errors: &mut FieldErrors, field: &str, value: &str) -> Option<i64> {
    errors.check(field, parse_optional_id(value)).flatten()
}

impl From<&DealForm> for DealDraft {
    fn from(form: &DealForm) -> Self {
        let mut errors = FieldErrors::default();
        let links = DealLinks {
            stage_id: form_id(&mut errors, "stage_id", &form.stage_id),
            contact_id: form_id(&mut errors, "contact_id", &form.contact_id),
            company_id: form_id(&mut errors, "company_id", &form.company_id),
            owner_id: errors
                .check(
                    "owner_id",
                    parse_optional_id(&form.owner_id)
                        .map_err(|_| "cannot be given to that user".into()),
                )
                .flatten(),
        };
        let amount = match form.amount_minor {
            Some(minor) => Amount::Minor(minor),
            None => Amount::Typed(form.amount.clone()),
        };
        let entry = StageEntry::parse(&form.note, &form.followup_on, &mut errors);
        let text = DealText {
            title: &form.title,
            currency: Some(&form.currency),
            expected_close_on: Some(&form.expected_close_on),
        };
        Draft {
            values: DealInput::parse(text, amount, entry, errors),
            links,
        }
    }
}

/// `1250.5` in a currency with 2 decimals → 125050 (cents). At most `decimals` decimals; no
/// negative amounts.
pub fn parse_amount(value: &str, decimals: u16) -> Result<i64, String> {
    let value = value.trim().replace([' ', '_'], "");
    if value.is_empty() {
        return Ok(0);
    }
    if value.starts_with('-') {
        return Err("must not be negative".into());
    }
    let reason = || match decimals {
        0 => "must be a whole amount such as 1250".to_string(),
        d => format!(
            "must be an amount such as 1250 or 1250.{}",
            "5".repeat(d.into())
        ),
    };
    let (whole, fraction) = value.split_once('.').unwrap_or((&value, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > usize::from(decimals)
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err(reason());
    }
    let scale = 10_i64.pow(decimals.into());
    let minor = format!("{fraction:0<width$}", width = usize::from(decimals));
    let minor = if minor.is_empty() {
        0
    } else {
        minor.parse::<i64>().map_err(|_| reason())?
    };
    whole
        .parse::<i64>()
        .ok()
        .and_then(|w| w.checked_mul(scale))
        .and_then(|w| w.checked_add(minor))
        .ok_or_else(|| "is too large".to_string())
}

/// An amount already in minor units (the REST API's `amount_minor`).
pub fn check_minor(amount: i64) -> Result<i64, String> {
    if amount < 0 {
        Err("must not be negative".into())
    } else {
        Ok(amount)
    }
}

/// An ISO 4217 currency that has minor units (not gold, not test codes), upper-cased, with the
/// number of decimals its amounts take.
pub fn parse_currency(value: &str) -> Result<(String, u16), String> {
    let code = value.trim().to_uppercase();
    iso_currency::Currency::from_code(&code)
        .and_then(|c| {
            c.exponent()
                .map(|decimals| (c.code().to_string(), decimals))
        })
        .ok_or_else(|| "must be an ISO 4217 currency code such as EUR or USD".into())
}

pub fn parse_date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| "must be a date such as 2026-12-31".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_become_minor_units() {
        assert_eq!(parse_amount("1250", 2), Ok(125_000));
        assert_eq!(parse_amount("1 250.5", 2), Ok(125_050));
        assert_eq!(parse_amount("0.07", 2), Ok(7));
        assert_eq!(parse_amount("", 2), Ok(0));
        assert_eq!(parse_amount("1250", 0), Ok(1250), "yen have no minor unit");
        assert_eq!(
            parse_amount("1.5", 3),
            Ok(1500),
            "dinars have three decimals"
        );
        assert_eq!(
            parse_amount("-5", 2),
            Err("must not be negative".to_string())
        );
        for bad in ["1.234", "12,50", "abc", ".5", "99999999999999999999"] {
            assert!(parse_amount(bad, 2).is_err(), "{bad}");
        }
        assert!(parse_amount("1.5", 0).is_err(), "no decimals in yen");
    }

    #[test]
    fn currencies_are_iso_4217_codes() {
        assert_eq!(parse_currency(" eur "), Ok(("EUR".into(), 2)));
        assert_eq!(parse_currency("JPY"), Ok(("JPY".into(), 0)));
        for bad in ["EURO", "€", "XYZ", "XAU", ""] {
            assert!(parse_currency(bad).is_err(), "{bad}");
        }
    }
}
