//! SQL for pipelines and deals. Reads need `deals.view`, writes `deals.manage`; deals outside
//! the actor's tenant or scope answer `NotFound`.

use super::{
    form::parse,
    stage_rules::{self, followup_task, FollowupOf},
    Deal, DealFilter, DealForm, DealPage, Pipeline, Stage,
};
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::{
    activities::queries::{ActivityLog, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
    records::{
        live_record,
        service::{find_visible, set_deleted},
        SoftDeletable,
    },
    tasks::queries::InsertTask,
    validation::FieldErrors,
};
use chrono::Utc;
use serde_json::{json, Value};

const SELECT: &str =
    "SELECT d.id, d.pipeline_id, d.stage_id, s.name AS stage_name, d.title, d.amount_minor,
        d.currency, d.contact_id, c.name AS contact_name, c.phone AS contact_phone, d.company_id, co.name AS company_name,
        d.owner_id, u.name AS owner_name, d.expected_close_on, d.closed_at, d.position, d.version,
        d.stage_entered_at,
        (SELECT MIN(t.due_at) FROM tasks t
          WHERE t.tenant_id = d.tenant_id AND t.deal_id = d.id AND t.status = 'pending') AS next_task_due_at,
        d.created_at, d.updated_at
    FROM deals d
    JOIN pipeline_stages s ON s.id = d.stage_id
    LEFT JOIN contacts c ON c.id = d.contact_id
    LEFT JOIN companies co ON co.id = d.company_id
    LEFT JOIN users u ON u.id = d.owner_id
    WHERE ";

const STAGE_COLUMNS: &str =
    "id, pipeline_id, name, color, sort_order, probability, is_default, is_won, is_lost,
        requires_note, requires_followup_date";

/// The tenant's pipelines and stages: the board needs them, and so does the settings editor.
pub async fn list_pipelines(db: &Db, actor: &Actor) -> Result<Vec<Pipeline>, AppError> {
    if !actor.has(Permission::SettingsManage) {
        actor.require(Permission::DealsView)?;
    }
    let (pipelines, stages): (Vec<(i64, String, bool)>, Vec<Stage>) = on_db!(db, |pool| {
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

pub async fn stage_of_tenant(
    db: &Db,
    actor: &Actor,
    stage_id: i64,
) -> Result<Option<Stage>, AppError> {
    Ok(on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "SELECT {STAGE_COLUMNS} FROM pipeline_stages WHERE id = $1 AND tenant_id = $2"
        ))
        .bind(stage_id)
        .bind(actor.tenant_id)
        .fetch_optional(pool)
        .await?
    }))
}

async fn default_stage(db: &Db, actor: &Actor) -> Result<Option<Stage>, AppError> {
    Ok(on_db!(db, |pool| {
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

pub(super) async fn find(db: &Db, actor: &Actor, id: i64) -> Result<Deal, AppError> {
    find_in(db, actor, id, false).await
}

async fn find_in(db: &Db, actor: &Actor, id: i64, deleted: bool) -> Result<Deal, AppError> {
    find_visible(db, actor, SELECT, "d", id, deleted).await
}

/// Soft delete: the deal leaves the board and lists until an admin restores it.
pub async fn delete_deal(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_write(Permission::DealsManage)?;
    find(db, actor, id).await?;
    set_deleted(db, actor, SoftDeletable::Deal, id, true, client).await
}

pub async fn restore_deal(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<Deal, AppError> {
    actor.require_write(Permission::RecordsRestore)?;
    if let Some(live) = live_record(find(db, actor, id).await)? {
        return Ok(live);
    }
    find_in(db, actor, id, true).await?;
    set_deleted(db, actor, SoftDeletable::Deal, id, false, client).await?;
    find(db, actor, id).await
}

pub async fn get_deal(db: &Db, actor: &Actor, id: i64) -> Result<Deal, AppError> {
    actor.require(Permission::DealsView)?;
    find(db, actor, id).await
}

/// The deals of a pipeline the actor may see, in board order (stage, then position).
pub async fn list_board(db: &Db, actor: &Actor, pipeline_id: i64) -> Result<Vec<Deal>, AppError> {
    actor.require(Permission::DealsView)?;
    let visible = Visible::to(actor);
    Ok(on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(SELECT);
        query
            .push("d.pipeline_id = ")
            .push_bind(pipeline_id)
            .push(" AND d.deleted_at IS NULL AND ");
        visible.push(&mut query, "d", "owner_id");
        query.push(" ORDER BY s.sort_order, d.position, d.id");
        query.build_query_as::<Deal>().fetch_all(pool).await?
    }))
}

/// Deals the actor may see, filtered, oldest first, in keyset pages.
pub async fn list_deals(db: &Db, actor: &Actor, filter: &DealFilter) -> Result<DealPage, AppError> {
    actor.require(Permission::DealsView)?;
    let limit = crate::records::page_limit(filter.limit)?;
    let after: Option<i64> = match &filter.cursor {
        None => None,
        // The id of the last deal of the page before: digits only, so every cursor the document
        // allows is one.
        Some(c) => Some(
            Some(c)
                .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| AppError::invalid("cursor", "is not a cursor from this list"))?,
        ),
    };
    let visible = Visible::to(actor);
    let mut items: Vec<Deal> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(SELECT);
        visible.push(&mut query, "d", "owner_id");
        query.push(" AND d.deleted_at IS NULL");
        let columns = [
            ("pipeline_id", filter.pipeline_id),
            ("stage_id", filter.stage_id),
            ("owner_id", filter.owner_id),
            ("contact_id", filter.contact_id),
            ("company_id", filter.company_id),
        ];
        for (column, value) in columns {
            if let Some(value) = value {
                query.push(format!(" AND d.{column} = ")).push_bind(value);
            }
        }
        if let Some(after) = after {
            query.push(" AND d.id > ").push_bind(after);
        }
        query
            .push(" ORDER BY d.id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        query.build_query_as::<Deal>().fetch_all(pool).await?
    });
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = more
        .then(|| items.last().map(|d| d.id.to_string()))
        .flatten();
    Ok(DealPage { items, next_cursor })
}

pub async fn create_deal(
    db: &Db,
    actor: &Actor,
    form: &DealForm,
    client: &ClientInfo,
) -> Result<Deal, AppError> {
    actor.require_write(Permission::DealsManage)?;
    let p = parse(db, actor, form).await?;
    let stage = match p.stage.clone() {
        Some(stage) => stage,
        None => default_stage(db, actor)
            .await?
            .ok_or_else(|| AppError::invalid("stage_id", "no pipeline exists yet"))?,
    };
    let mut errors = FieldErrors::default();
    let entering = stage_rules::check(&stage, true, &form.note, &form.followup_on, &mut errors);
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let timezone = match entering.followup_on {
        Some(_) => Some(stage_rules::tenant_timezone(db, actor.tenant_id).await?),
        None => None,
    };
    let now = Utc::now();
    let closed_at = (stage.is_won || stage.is_lost).then_some(now);
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
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
        let entry = AuditEntry::by(actor, "deal.created", "deal", client)
            .entity(id)
            .change("title", Value::Null, p.title.as_str())
            .change("amount_minor", Value::Null, p.amount_minor)
            .change("currency", Value::Null, p.currency.as_str())
            .change("stage_id", Value::Null, stage.id)
            .change("owner_id", Value::Null, p.owner_id);
        tx.insert_audit(&entry).await?;
        // What the stage asked for goes where a move would put it: the note on the timeline...
        if !entering.note.is_empty() || entering.followup_on.is_some() {
            let activity = NewActivity {
                tenant_id: actor.tenant_id,
                kind: "stage_change",
                body: entering.note.clone(),
                payload: json!({
                    "from": Value::Null,
                    "to": {"id": stage.id, "name": stage.name},
                    "followup_on": entering.followup_on,
                }),
                user_id: Some(actor.user_id),
                contact_id: p.contact_id,
                company_id: p.company_id,
                deal_id: Some(id),
                happened_at: now,
            };
            tx.insert_activity(&activity).await?;
        }
        // ...and the follow-up date becomes the owner's task.
        if let (Some(on), Some(tz)) = (entering.followup_on, timezone) {
            let of = FollowupOf {
                deal_id: id,
                title: &p.title,
                owner_id: Some(p.owner_id),
                contact_id: p.contact_id,
            };
            tx.insert_task(
                &followup_task(of, on, tz, actor.user_id, actor.tenant_id),
                client,
            )
            .await?;
        }
        tx.commit().await?;
        id
    });
    find(db, actor, id).await
}

pub(super) fn stale(current: &Deal) -> AppError {
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
    actor.require_write(Permission::DealsManage)?;
    let before = find(db, actor, id).await?;
    if before.version != version {
        return Err(stale(&before));
    }
    // An edit never changes the stage behind the stage's rules: that is a move.
    if !form.stage_id.trim().is_empty() && form.stage_id.trim() != before.stage_id.to_string() {
        return Err(AppError::invalid(
            "stage_id",
            "changes only by moving the deal, so the stage's rules apply",
        ));
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
    let mut entry = AuditEntry::by(actor, "deal.updated", "deal", client).entity(id);
    for (field, old, new) in pairs {
        if old != new {
            entry = entry.change(field, old, new);
        }
    }
    if entry.changes.is_empty() {
        return Ok(before);
    }
    let updated = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
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

pub use super::moving::move_deal;
