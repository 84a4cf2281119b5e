//! What may be done with pipelines and stages: everyone who works deals reads them, admins
//! with `settings.manage` change them. Each change writes its audit entry and reads the result
//! back in one transaction.

use super::{
    input::{audit_fields_of, StageInput},
    store::PipelineStore,
    StageForm,
};
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, roles::Permission},
    db::Db,
    deals::{Pipeline, Stage},
    error::{AppError, ResultExt},
    on_db,
    records::check_order,
    validation::Name,
};
use chrono::Utc;
use serde_json::Value;

const TAKEN: &str = "a pipeline with this name exists";

/// The tenant's pipelines and stages: the board needs them, and so does the settings editor.
pub async fn list_pipelines(db: &Db, actor: &Actor) -> Result<Vec<Pipeline>, AppError> {
    if !actor.has(Permission::SettingsManage) {
        actor.require(Permission::DealsView)?;
    }
    Ok(on_db!(db, |pool| {
        pool.acquire().await?.pipelines(actor.tenant_id).await?
    }))
}

pub async fn stage_of_tenant(
    db: &Db,
    actor: &Actor,
    stage_id: i64,
) -> Result<Option<Stage>, AppError> {
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .stage(actor.tenant_id, stage_id)
            .await?
    }))
}

async fn pipeline(db: &Db, actor: &Actor, id: i64) -> Result<Pipeline, AppError> {
    one_of(list_pipelines(db, actor).await?, id)
}

fn one_of(pipelines: Vec<Pipeline>, id: i64) -> Result<Pipeline, AppError> {
    pipelines
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)
}

fn stage_input(form: &StageForm) -> Result<StageInput, AppError> {
    StageInput::try_from(form).map_err(|errors| {
        AppError::from_field_errors(errors.into_inner()).unwrap_or(AppError::Internal)
    })
}

pub async fn create_pipeline(
    db: &Db,
    actor: &Actor,
    name: &str,
    client: &ClientInfo,
) -> Result<Pipeline, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let name = Name::parse(name).map_err(|reason| AppError::invalid("name", reason))?;
    let tenant_id = actor.tenant_id;
    let pipelines = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx
            .insert_pipeline(tenant_id, name.as_str(), Utc::now())
            .await
            .on_unique_violation("name", TAKEN)?;
        let entry = AuditEntry::by(actor, "pipeline.created", "pipeline", client)
            .entity(id)
            .change("name", Value::Null, name.as_str());
        tx.insert_audit(&entry).await?;
        let pipelines = tx.pipelines(tenant_id).await?;
        tx.commit().await?;
        (pipelines, id)
    });
    one_of(pipelines.0, pipelines.1)
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
    let tenant_id = actor.tenant_id;
    let pipelines = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.rename_pipeline(tenant_id, id, name.as_str())
            .await
            .on_unique_violation("name", TAKEN)?;
        tx.insert_audit(&entry).await?;
        let pipelines = tx.pipelines(tenant_id).await?;
        tx.commit().await?;
        pipelines
    });
    one_of(pipelines, id)
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
    let stage = stage_input(form)?;
    let tenant_id = actor.tenant_id;
    let created: Option<Stage> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx.insert_stage(tenant_id, pipeline_id, &stage).await?;
        if stage.is_default {
            tx.set_default_stage(tenant_id, pipeline_id, id, true)
                .await?;
        }
        let entry = AuditEntry::by(actor, "stage.created", "stage", client)
            .entity(id)
            .change("name", Value::Null, stage.name.as_str());
        tx.insert_audit(&entry).await?;
        let created = tx.stage(tenant_id, id).await?;
        tx.commit().await?;
        created
    });
    created.ok_or(AppError::Internal)
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
    let stage = stage_input(form)?;
    let entry = AuditEntry::by(actor, "stage.updated", "stage", client)
        .entity(id)
        .changed(audit_fields_of(&before), stage.audit_fields());
    let tenant_id = actor.tenant_id;
    let updated: Option<Stage> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.update_stage(tenant_id, id, &stage).await?;
        let closed = stage.is_won || stage.is_lost;
        if closed != (before.is_won || before.is_lost) {
            tx.close_or_reopen_deals(tenant_id, id, closed).await?;
        }
        if stage.is_default || before.is_default {
            tx.set_default_stage(tenant_id, before.pipeline_id, id, stage.is_default)
                .await?;
        }
        if !entry.changes.is_empty() {
            tx.insert_audit(&entry).await?;
        }
        let updated = tx.stage(tenant_id, id).await?;
        tx.commit().await?;
        updated
    });
    updated.ok_or(AppError::Internal)
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
        .change("stage_ids", old, order.to_vec());
    let tenant_id = actor.tenant_id;
    let pipelines = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.set_stage_order(tenant_id, order).await?;
        tx.insert_audit(&entry).await?;
        let pipelines = tx.pipelines(tenant_id).await?;
        tx.commit().await?;
        pipelines
    });
    one_of(pipelines, pipeline_id)
}

/// Only an empty stage goes (deleted deals still point at it), and never a pipeline's last.
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
    let entry = AuditEntry::by(actor, "stage.deleted", "stage", client)
        .entity(id)
        .change("name", stage.name.as_str(), Value::Null);
    let tenant_id = actor.tenant_id;
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let (deals, siblings) = tx.stage_usage(tenant_id, &stage).await?;
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
        tx.delete_stage(tenant_id, id).await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(())
}
