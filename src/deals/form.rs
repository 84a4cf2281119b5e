//! Parsing a deal form: amounts in minor units, currencies, dates, and links that must belong
//! to the actor's tenant.

use super::{queries::stage_of_tenant, DealForm, Stage};
use crate::{
    auth::{actor::Actor, scope::may_assign_to},
    db::Db,
    error::AppError,
    on_db,
    validation::{optional, parse_optional_id, FieldErrors},
};
use chrono::NaiveDate;

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
fn check_minor(amount: i64) -> Result<i64, String> {
    if amount < 0 {
        Err("must not be negative".into())
    } else {
        Ok(amount)
    }
}

/// An ISO 4217 currency that has minor units (not gold, not test codes), upper-cased, with the
/// number of decimals its amounts take.
fn parse_currency(value: &str) -> Result<(String, u16), String> {
    let code = value.trim().to_uppercase();
    iso_currency::Currency::from_code(&code)
        .and_then(|c| {
            c.exponent()
                .map(|decimals| (c.code().to_string(), decimals))
        })
        .ok_or_else(|| "must be an ISO 4217 currency code such as EUR or USD".into())
}

pub(super) fn parse_date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| "must be a date such as 2026-12-31".into())
}

#[derive(Debug)]
pub(super) struct Parsed {
    pub title: String,
    pub amount_minor: i64,
    pub currency: String,
    pub stage: Option<Stage>,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub owner_id: i64,
    pub expected_close_on: Option<NaiveDate>,
}

async fn exists_in_tenant(db: &Db, actor: &Actor, table: &str, id: i64) -> Result<bool, AppError> {
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL"
    );
    Ok(on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(&sql)
            .bind(id)
            .bind(actor.tenant_id)
            .fetch_one(pool)
            .await?
            > 0
    }))
}

pub(super) async fn parse(db: &Db, actor: &Actor, form: &DealForm) -> Result<Parsed, AppError> {
    let mut errors = FieldErrors::default();
    let title = form.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        errors.check::<()>("title", Err("is required, at most 200 characters".into()));
    }
    let currency = match optional(&form.currency) {
        Some(c) => errors.check("currency", parse_currency(c)),
        None => {
            let code = on_db!(db, |pool| {
                sqlx::query_scalar::<_, String>(
                    "SELECT default_currency FROM tenants WHERE id = $1",
                )
                .bind(actor.tenant_id)
                .fetch_one(pool)
                .await?
            });
            Some(parse_currency(&code).unwrap_or((code, 2)))
        }
    };
    let (currency, decimals) = currency.unwrap_or_default();
    let amount_minor = match form.amount_minor {
        Some(minor) => errors.check("amount_minor", check_minor(minor)),
        None => errors.check("amount", parse_amount(&form.amount, decimals)),
    }
    .unwrap_or_default();
    let stage = match parse_optional_id(&form.stage_id) {
        Ok(None) => None,
        Ok(Some(id)) => match stage_of_tenant(db, actor, id).await? {
            Some(stage) => Some(stage),
            None => {
                errors.check::<()>("stage_id", Err("is not one of your stages".into()));
                None
            }
        },
        Err(reason) => {
            errors.check::<()>("stage_id", Err(reason));
            None
        }
    };
    let mut linked = |field: &str, result: Result<Option<i64>, String>, ok: bool| match result {
        Ok(id) if ok => id,
        Ok(_) => {
            errors.check::<()>(
                field,
                Err(format!(
                    "is not one of your {}",
                    field.trim_end_matches("_id")
                )),
            );
            None
        }
        Err(reason) => {
            errors.check::<()>(field, Err(reason));
            None
        }
    };
    let contact = parse_optional_id(&form.contact_id);
    let contact_ok = match contact {
        Ok(Some(id)) => exists_in_tenant(db, actor, "contacts", id).await?,
        _ => true,
    };
    let contact_id = linked("contact_id", contact, contact_ok);
    let company = parse_optional_id(&form.company_id);
    let company_ok = match company {
        Ok(Some(id)) => exists_in_tenant(db, actor, "companies", id).await?,
        _ => true,
    };
    let company_id = linked("company_id", company, company_ok);
    let owner_id = match parse_optional_id(&form.owner_id) {
        Ok(None) => actor.user_id,
        Ok(Some(id)) if may_assign_to(db, actor, id).await? => id,
        _ => {
            errors.check::<()>("owner_id", Err("cannot be given to that user".into()));
            actor.user_id
        }
    };
    let expected_close_on = match optional(&form.expected_close_on) {
        None => None,
        Some(d) => errors.check("expected_close_on", parse_date(d)),
    };
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    Ok(Parsed {
        title,
        amount_minor,
        currency,
        stage,
        contact_id,
        company_id,
        owner_id,
        expected_close_on,
    })
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
