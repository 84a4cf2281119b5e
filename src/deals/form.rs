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

/// `1250.5` → 125050 (cents). At most two decimals; no negative amounts.
pub fn parse_amount(value: &str) -> Result<i64, String> {
    let value = value.trim().replace([' ', '_'], "");
    if value.is_empty() {
        return Ok(0);
    }
    let reason = || "must be an amount such as 1250 or 1250.50".to_string();
    let (whole, fraction) = value.split_once('.').unwrap_or((&value, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err(reason());
    }
    let cents = format!("{fraction:0<2}")
        .parse::<i64>()
        .map_err(|_| reason())?;
    whole
        .parse::<i64>()
        .ok()
        .and_then(|w| w.checked_mul(100))
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(|| "is too large".to_string())
}

fn parse_currency(value: &str) -> Result<String, String> {
    let value = value.trim().to_uppercase();
    if value.len() == 3 && value.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err("must be a three-letter currency code such as EUR".into())
    }
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
    Ok(on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(&sql).bind(id).bind(actor.tenant_id).fetch_one(pool).await? > 0
    }))
}

pub(super) async fn parse(db: &Db, actor: &Actor, form: &DealForm) -> Result<Parsed, AppError> {
    let mut errors = FieldErrors::default();
    let title = form.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        errors.check::<()>("title", Err("is required, at most 200 characters".into()));
    }
    let amount_minor = errors
        .check("amount", parse_amount(&form.amount))
        .unwrap_or_default();
    let currency = match optional(&form.currency) {
        Some(c) => errors
            .check("currency", parse_currency(c))
            .unwrap_or_default(),
        None => on_db!(db, pool => {
            sqlx::query_scalar::<_, String>("SELECT default_currency FROM tenants WHERE id = $1")
                .bind(actor.tenant_id)
                .fetch_one(pool)
                .await?
        }),
    };
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
        assert_eq!(parse_amount("1250"), Ok(125_000));
        assert_eq!(parse_amount("1 250.5"), Ok(125_050));
        assert_eq!(parse_amount("0.07"), Ok(7));
        assert_eq!(parse_amount(""), Ok(0));
        for bad in ["-5", "1.234", "12,50", "abc", ".5", "99999999999999999999"] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn currencies_are_three_letters() {
        assert_eq!(parse_currency(" eur ").as_deref(), Ok("EUR"));
        assert!(parse_currency("EURO").is_err());
        assert!(parse_currency("€").is_err());
    }
}
