//! SQL for pipelines and deals. Reads need `deals.view`, writes `deals.manage`; deals outside
//! the actor's tenant or scope answer `NotFound`.

use super::{Deal, DealForm, DealMove, MovedDeal, Pipeline, Stage};
use crate::{
    activities::queries::{ActivityLog, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        scope::{may_assign_to, Visible},
    },
    db::Db,
    error::AppError,
    on_db,
    validation::{optional, parse_optional_id, FieldErrors},
};
use chrono::{NaiveDate, Utc};
use serde_json::{json, Value};

const SELECT: &str =
    "SELECT d.id, d.pipeline_id, d.stage_id, s.name AS stage_name, d.title, d.amount_minor,
        d.currency, d.contact_id, c.name AS contact_name, d.company_id, co.name AS company_name,
        d.owner_id, u.name AS owner_name, d.expected_close_on, d.closed_at, d.position, d.version,
        d.stage_entered_at, d.created_at, d.updated_at
    FROM deals d
    JOIN pipeline_stages s ON s.id = d.stage_id
    LEFT JOIN contacts c ON c.id = d.contact_id
    LEFT JOIN companies co ON co.id = d.company_id
    LEFT JOIN users u ON u.id = d.owner_id
    WHERE ";

const STAGE_COLUMNS: &str =
    "id, pipeline_id, name, color, sort_order, probability, is_default, is_won, is_lost,
        requires_note, requires_followup_date";

pub async fn list_pipelines(db: &Db, actor: &Actor) -> Result<Vec<Pipeline>, AppError> {
    actor.require("deals.view")?;
    let (pipelines, stages): (Vec<(i64, String, bool)>, Vec<Stage>) = on_db!(db, pool => {
        let pipelines = sqlx::query_as("SELECT id, name, is_default FROM pipelines WHERE tenant_id = $1 ORDER BY sort_order, id")
            .bind(actor.tenant_id)
            .fetch_all(pool)
            .await?;
        let stages = sqlx::query_as(&format!(
            "SELECT {STAGE_COLUMNS} FROM pipeline_stages WHERE tenant_id = $1 ORDER BY pipeline_id, sort_order, id"
        ))
        .bind(actor.tenant_id)
        .fetch_all(pool)
        .await?;
        (pipelines, stages)
    });
    Ok(pipelines
        .into_iter()
        .map(|(id, name, is_default)| Pipeline {
            id,
            name,
            is_default,
            stages: stages
                .iter()
                .filter(|s| s.pipeline_id == id)
                .cloned()
                .collect(),
        })
        .collect())
}

async fn stage_of_tenant(db: &Db, actor: &Actor, stage_id: i64) -> Result<Option<Stage>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as(&format!("SELECT {STAGE_COLUMNS} FROM pipeline_stages WHERE id = $1 AND tenant_id = $2"))
            .bind(stage_id)
            .bind(actor.tenant_id)
            .fetch_optional(pool)
            .await?
    }))
}

async fn default_stage(db: &Db, actor: &Actor) -> Result<Option<Stage>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as(&format!(
            "SELECT {STAGE_COLUMNS} FROM pipeline_stages WHERE tenant_id = $1 AND pipeline_id =
                (SELECT id FROM pipelines WHERE tenant_id = $1 ORDER BY is_default DESC, sort_order, id LIMIT 1)
             ORDER BY is_default DESC, sort_order, id LIMIT 1"
        ))
        .bind(actor.tenant_id)
        .fetch_optional(pool)
        .await?
    }))
}

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

fn parse_date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| "must be a date such as 2026-12-31".into())
}

#[derive(Debug)]
struct Parsed {
    title: String,
    amount_minor: i64,
    currency: String,
    stage: Option<Stage>,
    contact_id: Option<i64>,
    company_id: Option<i64>,
    owner_id: i64,
    expected_close_on: Option<NaiveDate>,
}

async fn exists_in_tenant(db: &Db, actor: &Actor, table: &str, id: i64) -> Result<bool, AppError> {
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL"
    );
    Ok(on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(&sql).bind(id).bind(actor.tenant_id).fetch_one(pool).await? > 0
    }))
}

async fn parse(db: &Db, actor: &Actor, form: &DealForm) -> Result<Parsed, AppError> {
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

async fn find(db: &Db, actor: &Actor, id: i64) -> Result<Deal, AppError> {
    let visible = Visible::to(actor);
    let deal: Option<Deal> = on_db!(db, pool => {
        let mut query = sqlx::QueryBuilder::new(SELECT);
        query.push("d.id = ").push_bind(id).push(" AND d.deleted_at IS NULL AND ");
        visible.push(&mut query, "d", "owner_id");
        query.build_query_as::<Deal>().fetch_optional(pool).await?
    });
    deal.ok_or(AppError::NotFound)
}

pub async fn get_deal(db: &Db, actor: &Actor, id: i64) -> Result<Deal, AppError> {
    actor.require("deals.view")?;
    find(db, actor, id).await
}

/// The deals of a pipeline the actor may see, in board order (stage, then position).
pub async fn list_board(db: &Db, actor: &Actor, pipeline_id: i64) -> Result<Vec<Deal>, AppError> {
    actor.require("deals.view")?;
    let visible = Visible::to(actor);
    Ok(on_db!(db, pool => {
        let mut query = sqlx::QueryBuilder::new(SELECT);
        query.push("d.pipeline_id = ").push_bind(pipeline_id).push(" AND d.deleted_at IS NULL AND ");
        visible.push(&mut query, "d", "owner_id");
        query.push(" ORDER BY s.sort_order, d.position, d.id");
        query.build_query_as::<Deal>().fetch_all(pool).await?
    }))
}

pub async fn create_deal(
    db: &Db,
    actor: &Actor,
    form: &DealForm,
    client: &ClientInfo,
) -> Result<Deal, AppError> {
    actor.require_write("deals.manage")?;
    let p = parse(db, actor, form).await?;
    let stage = match p.stage.clone() {
        Some(stage) => stage,
        None => default_stage(db, actor)
            .await?
            .ok_or_else(|| AppError::invalid("stage_id", "no pipeline exists yet"))?,
    };
    let now = Utc::now();
    let closed_at = (stage.is_won || stage.is_lost).then_some(now);
    let id = on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        let position: i32 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM deals WHERE tenant_id = $1 AND stage_id = $2 AND deleted_at IS NULL",
        )
        .bind(actor.tenant_id)
        .bind(stage.id)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO deals (tenant_id, pipeline_id, stage_id, contact_id, company_id, title, amount_minor, currency,
                owner_id, expected_close_on, closed_at, position, version, stage_entered_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13, $13) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(stage.pipeline_id)
        .bind(stage.id)
        .bind(p.contact_id)
        .bind(p.company_id)
        .bind(&p.title)
        .bind(p.amount_minor)
        .bind(&p.currency)
        .bind(p.owner_id)
        .bind(p.expected_close_on)
        .bind(closed_at)
        .bind(position)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let entry = AuditEntry::new("deal.created", "deal", client)
            .tenant(actor.tenant_id)
            .actor(actor.user_id)
            .entity(id)
            .change("title", Value::Null, p.title.as_str())
            .change("amount_minor", Value::Null, p.amount_minor)
            .change("currency", Value::Null, p.currency.as_str())
            .change("stage_id", Value::Null, stage.id)
            .change("owner_id", Value::Null, p.owner_id);
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        id
    });
    find(db, actor, id).await
}

fn stale(current: &Deal) -> AppError {
    AppError::Stale {
        message: "This deal was changed by someone else meanwhile. Here it is as it is now.".into(),
        current: serde_json::to_value(current).unwrap_or(Value::Null),
    }
}

/// Edits title, amount, links, owner and expected close date (moves go through `move_deal`).
pub async fn update_deal(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    form: &DealForm,
    client: &ClientInfo,
) -> Result<Deal, AppError> {
    actor.require_write("deals.manage")?;
    let before = find(db, actor, id).await?;
    if before.version != version {
        return Err(stale(&before));
    }
    let p = parse(db, actor, form).await?;
    let pairs = [
        ("title", json!(before.title), json!(p.title)),
        (
            "amount_minor",
            json!(before.amount_minor),
            json!(p.amount_minor),
        ),
        ("currency", json!(before.currency), json!(p.currency)),
        ("contact_id", json!(before.contact_id), json!(p.contact_id)),
        ("company_id", json!(before.company_id), json!(p.company_id)),
        ("owner_id", json!(before.owner_id), json!(p.owner_id)),
        (
            "expected_close_on",
            json!(before.expected_close_on),
            json!(p.expected_close_on),
        ),
    ];
    let mut entry = AuditEntry::new("deal.updated", "deal", client)
        .tenant(actor.tenant_id)
        .actor(actor.user_id)
        .entity(id);
    for (field, old, new) in pairs {
        if old != new {
            entry = entry.change(field, old, new);
        }
    }
    if entry.changes.is_empty() {
        return Ok(before);
    }
    let updated = on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        let rows = sqlx::query(
            "UPDATE deals SET title = $1, amount_minor = $2, currency = $3, contact_id = $4, company_id = $5,
                owner_id = $6, expected_close_on = $7, version = version + 1, updated_at = $8
             WHERE id = $9 AND tenant_id = $10 AND version = $11",
        )
        .bind(&p.title)
        .bind(p.amount_minor)
        .bind(&p.currency)
        .bind(p.contact_id)
        .bind(p.company_id)
        .bind(p.owner_id)
        .bind(p.expected_close_on)
        .bind(Utc::now())
        .bind(id)
        .bind(actor.tenant_id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if rows == 1 {
            tx.insert_audit(&entry).await?;
            tx.commit().await?;
        }
        rows == 1
    });
    let now = find(db, actor, id).await?;
    if updated {
        Ok(now)
    } else {
        Err(stale(&now))
    }
}

pub async fn move_deal(
    db: &Db,
    actor: &Actor,
    id: i64,
    request: &DealMove,
    client: &ClientInfo,
) -> Result<MovedDeal, AppError> {
    actor.require_write("deals.manage")?;
    let before = find(db, actor, id).await?;
    if before.version != request.version {
        return Err(stale(&before));
    }
    let target = stage_of_tenant(db, actor, request.stage_id)
        .await?
        .ok_or_else(|| AppError::invalid("stage_id", "is not one of your stages"))?;
    let mut errors = FieldErrors::default();
    let note = request.note.trim().to_string();
    let changes_stage = target.id != before.stage_id;
    if changes_stage && target.requires_note && note.is_empty() {
        errors.check::<()>(
            "note",
            Err(format!("is required to move a deal to {}", target.name)),
        );
    }
    let followup_on = match optional(&request.followup_on) {
        Some(d) => errors.check("followup_on", parse_date(d)),
        None if changes_stage && target.requires_followup_date => {
            errors.check::<()>(
                "followup_on",
                Err(format!("is required to move a deal to {}", target.name)),
            );
            None
        }
        None => None,
    };
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }

    let now = Utc::now();
    let closes = target.is_won || target.is_lost;
    let closed_at = match (closes, changes_stage) {
        (true, true) => Some(now),
        (true, false) => before.closed_at.or(Some(now)),
        (false, _) => None,
    };
    let stage_entered_at = if changes_stage {
        now
    } else {
        before.stage_entered_at
    };
    let activity = changes_stage.then(|| NewActivity {
        tenant_id: actor.tenant_id,
        kind: "stage_change",
        body: note.clone(),
        payload: json!({
            "from": {"id": before.stage_id, "name": before.stage_name},
            "to": {"id": target.id, "name": target.name},
            "followup_on": followup_on,
        }),
        user_id: Some(actor.user_id),
        contact_id: before.contact_id,
        company_id: before.company_id,
        deal_id: Some(id),
        happened_at: now,
    });
    let audit = AuditEntry::new("deal.moved", "deal", client)
        .tenant(actor.tenant_id)
        .actor(actor.user_id)
        .entity(id)
        .change("stage_id", before.stage_id, target.id)
        .change(
            "position",
            before.position,
            request.position.unwrap_or(i32::MAX),
        );

    let moved: Option<Option<i64>> = on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        let rows = sqlx::query(
            "UPDATE deals SET stage_id = $1, pipeline_id = $2, closed_at = $3, stage_entered_at = $4,
                version = version + 1, updated_at = $5
             WHERE id = $6 AND tenant_id = $7 AND version = $8",
        )
        .bind(target.id)
        .bind(target.pipeline_id)
        .bind(closed_at)
        .bind(stage_entered_at)
        .bind(now)
        .bind(id)
        .bind(actor.tenant_id)
        .bind(request.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if rows == 1 {
            // Renumber the target column with the deal at its requested place.
            let mut column: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM deals WHERE tenant_id = $1 AND stage_id = $2 AND deleted_at IS NULL AND id <> $3
                 ORDER BY position, id",
            )
            .bind(actor.tenant_id)
            .bind(target.id)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let at = request.position.map_or(column.len(), |p| usize::try_from(p).unwrap_or(0).min(column.len()));
            column.insert(at, id);
            for (position, deal_id) in (0_i32..).zip(&column) {
                sqlx::query("UPDATE deals SET position = $1 WHERE id = $2 AND tenant_id = $3")
                    .bind(position)
                    .bind(*deal_id)
                    .bind(actor.tenant_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let activity_id = match &activity {
                Some(a) => Some(tx.insert_activity(a).await?),
                None => None,
            };
            tx.insert_audit(&audit).await?;
            tx.commit().await?;
            Some(activity_id)
        } else {
            None
        }
    });
    let deal = find(db, actor, id).await?;
    let Some(activity_id) = moved else {
        return Err(stale(&deal));
    };
    let activity = match activity_id {
        Some(activity_id) => on_db!(db, pool => {
            let mut conn = pool.acquire().await?;
            conn.deal_timeline(actor.tenant_id, id, 50).await?.into_iter().find(|a| a.id == activity_id)
        }),
        None => None,
    };
    Ok(MovedDeal { deal, activity })
}

pub async fn deal_timeline(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> Result<Vec<crate::activities::Activity>, AppError> {
    actor.require("deals.view")?;
    find(db, actor, id).await?;
    Ok(on_db!(db, pool => {
        let mut conn = pool.acquire().await?;
        conn.deal_timeline(actor.tenant_id, id, 100).await?
    }))
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
