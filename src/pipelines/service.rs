//! Pipelines and stages: checks, the SQL and the audit entry of each change, in one transaction.

use super::StageForm;
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::deals::{Pipeline, Stage};
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::actor::Actor,
    db::Db,
    deals::service::{list_pipelines, stage_of_tenant},
    error::{AppError, ResultExt},
    on_db,
    records::check_order,
    validation::{optional, FieldErrors, Name},
};
use chrono::Utc;
use serde_json::{json, Value};

/// Makes `$1` the one default stage of pipeline `$3`: new deals start there.
const MAKE_DEFAULT: &str =
    "UPDATE pipeline_stages SET is_default = (id = $1) WHERE tenant_id = $2 AND pipeline_id = $3";

struct Parsed {
    name: String,
    color: String,
    probability: i32,
    form: StageForm,
}

fn parse(form: &StageForm) -> Result<Parsed, AppError> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", Name::parse(&form.name));
    if name
        .as_ref()
        .is_some_and(|n| n.as_str().chars().count() > 100)
    {
        errors.check::<()>("name", Err("must be at most 100 characters".into()));
    }
    let color = optional(&form.color).unwrap_or("#6b7280").to_lowercase();
    let hex = color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !hex {
        errors.check::<()>("color", Err("must be a colour such as #1f5fbf".into()));
    }
    let probability = match optional(&form.probability) {
        None => 0,
        Some(p) => match p.parse::<i32>() {
            Ok(p) if (0..=100).contains(&p) => p,
            _ => {
                errors.check::<()>(
                    "probability",
                    Err("must be a whole number from 0 to 100".into()),
                );
                0
            }
        },
    };
    if form.is_won && form.is_lost {
        errors.check::<()>("is_lost", Err("a stage cannot be both won and lost".into()));
    }
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let name = name.ok_or(AppError::Internal)?.as_str().to_string();
    Ok(Parsed {
        name,
        color,
        probability,
        form: form.clone(),
    })
}

async fn pipeline(db: &Db, actor: &Actor, id: i64) -> Result<Pipeline, AppError> {
    list_pipelines(db, actor)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn create_pipeline(
    db: &Db,
    actor: &Actor,
    name: &str,
    client: &ClientInfo,
) -> Result<Pipeline, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let name = Name::parse(name).map_err(|reason| AppError::invalid("name", reason))?;
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pipelines (tenant_id, name, is_default, sort_order, created_at)
             VALUES ($1, $2, FALSE, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM pipelines WHERE tenant_id = $1), $3)
             RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(name.as_str())
        .bind(Utc::now())
        .fetch_one(&mut *tx)
        .await
        .on_unique_violation("name", "a pipeline with this name exists")?;
        tx.insert_audit(
            &AuditEntry::by(actor, "pipeline.created", "pipeline", client)
                .entity(id)
                .change("name", Value::Null, name.as_str()),
        )
        .await?;
        tx.commit().await?;
        id
    });
    pipeline(db, actor, id).await
}

pub async fn rename_pipeline(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: &str,
    client: &ClientInfo,
) -> Result<Pipeline, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let before = pipeline(db, actor, id).await?;
    let name = Name::parse(name).map_err(|reason| AppError::invalid("name", reason))?;
    if before.name == name.as_str() {
        return Ok(before);
    }
    let entry = AuditEntry::by(actor, "pipeline.renamed", "pipeline", client)
        .entity(id)
        .change("name", before.name.as_str(), name.as_str());
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE pipelines SET name = $1 WHERE id = $2 AND tenant_id = $3")
            .bind(name.as_str())
            .bind(id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await
            .on_unique_violation("name", "a pipeline with this name exists")?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    pipeline(db, actor, id).await
}

pub async fn create_stage(
    db: &Db,
    actor: &Actor,
    pipeline_id: i64,
    form: &StageForm,
    client: &ClientInfo,
) -> Result<Stage, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    pipeline(db, actor, pipeline_id).await?;
    let p = parse(form)?;
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, color, sort_order, probability, is_default,
                is_won, is_lost, requires_note, requires_followup_date)
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM pipeline_stages WHERE pipeline_id = $2),
                $5, FALSE, $6, $7, $8, $9)
             RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(pipeline_id)
        .bind(&p.name)
        .bind(&p.color)
        .bind(p.probability)
        .bind(p.form.is_won)
        .bind(p.form.is_lost)
        .bind(p.form.requires_note)
        .bind(p.form.requires_followup_date)
        .fetch_one(&mut *tx)
        .await?;
        if p.form.is_default {
            sqlx::query(MAKE_DEFAULT)
                .bind(id)
                .bind(actor.tenant_id)
                .bind(pipeline_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.insert_audit(
            &AuditEntry::by(actor, "stage.created", "stage", client)
                .entity(id)
                .change("name", Value::Null, p.name.as_str()),
        )
        .await?;
        tx.commit().await?;
        id
    });
    stage_of_tenant(db, actor, id)
        .await?
        .ok_or(AppError::Internal)
}

pub async fn update_stage(
    db: &Db,
    actor: &Actor,
    id: i64,
    form: &StageForm,
    client: &ClientInfo,
) -> Result<Stage, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let before = stage_of_tenant(db, actor, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = parse(form)?;
    let pairs = [
        ("name", json!(before.name), json!(p.name)),
        ("color", json!(before.color), json!(p.color)),
        (
            "probability",
            json!(before.probability),
            json!(p.probability),
        ),
        (
            "is_default",
            json!(before.is_default),
            json!(p.form.is_default),
        ),
        ("is_won", json!(before.is_won), json!(p.form.is_won)),
        ("is_lost", json!(before.is_lost), json!(p.form.is_lost)),
        (
            "requires_note",
            json!(before.requires_note),
            json!(p.form.requires_note),
        ),
        (
            "requires_followup_date",
            json!(before.requires_followup_date),
            json!(p.form.requires_followup_date),
        ),
    ];
    let mut entry = AuditEntry::by(actor, "stage.updated", "stage", client).entity(id);
    for (field, old, new) in pairs {
        if old != new {
            entry = entry.change(field, old, new);
        }
    }
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE pipeline_stages SET name = $1, color = $2, probability = $3, is_won = $4, is_lost = $5,
                requires_note = $6, requires_followup_date = $7
             WHERE id = $8 AND tenant_id = $9",
        )
        .bind(&p.name)
        .bind(&p.color)
        .bind(p.probability)
        .bind(p.form.is_won)
        .bind(p.form.is_lost)
        .bind(p.form.requires_note)
        .bind(p.form.requires_followup_date)
        .bind(id)
        .bind(actor.tenant_id)
        .execute(&mut *tx)
        .await?;
        if p.form.is_default {
            sqlx::query(MAKE_DEFAULT)
                .bind(id)
                .bind(actor.tenant_id)
                .bind(before.pipeline_id)
                .execute(&mut *tx)
                .await?;
        } else if before.is_default {
            sqlx::query(
                "UPDATE pipeline_stages SET is_default = FALSE WHERE id = $1 AND tenant_id = $2",
            )
            .bind(id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        }
        if !entry.changes.is_empty() {
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
    });
    stage_of_tenant(db, actor, id)
        .await?
        .ok_or(AppError::Internal)
}

pub async fn reorder_stages(
    db: &Db,
    actor: &Actor,
    pipeline_id: i64,
    order: &[i64],
    client: &ClientInfo,
) -> Result<Pipeline, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let current = pipeline(db, actor, pipeline_id).await?;
    let old: Vec<i64> = current.stages.iter().map(|s| s.id).collect();
    let reason = "must list every stage of the pipeline exactly once";
    check_order(order, &old, "stage_ids", reason)?;
    let entry = AuditEntry::by(actor, "pipeline.stages_reordered", "pipeline", client)
        .entity(pipeline_id)
        .change("stage_ids", json!(old), json!(order));
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        for (position, stage_id) in (0_i32..).zip(order) {
            sqlx::query(
                "UPDATE pipeline_stages SET sort_order = $1 WHERE id = $2 AND tenant_id = $3",
            )
            .bind(position)
            .bind(*stage_id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    pipeline(db, actor, pipeline_id).await
}

pub async fn delete_stage(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let stage = stage_of_tenant(db, actor, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (deals, siblings): (i64, i64) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM deals WHERE tenant_id = $1 AND stage_id = $2),
                    (SELECT COUNT(*) FROM pipeline_stages WHERE tenant_id = $1 AND pipeline_id = $3)",
        )
        .bind(actor.tenant_id)
        .bind(id)
        .bind(stage.pipeline_id)
        .fetch_one(pool)
        .await?
    });
    if deals > 0 {
        return Err(AppError::Conflict(format!(
            "The stage {} holds {deals} deal(s), deleted ones included: move them to another stage first.",
            stage.name
        )));
    }
    if siblings <= 1 {
        return Err(AppError::Conflict(
            "A pipeline needs at least one stage.".into(),
        ));
    }
    let entry = AuditEntry::by(actor, "stage.deleted", "stage", client)
        .entity(id)
        .change("name", stage.name.as_str(), Value::Null);
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM pipeline_stages WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(())
}
