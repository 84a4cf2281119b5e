//! What may be done with dispositions: every write runs in one transaction with its audit row
//! and reads its result back inside it; the tenant always keeps exactly one default.

use super::{input::DispositionInput, store::DispositionStore, Disposition, DispositionForm};
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, roles::Permission},
    db::{BeginWrite, Db},
    error::{AppError, ResultExt},
    on_db,
    records::check_order,
};
use serde_json::{json, Value};

const TAKEN: &str = "another disposition has this name";

fn audit(actor: &Actor, action: &'static str, id: i64, client: &ClientInfo) -> AuditEntry {
    AuditEntry::by(actor, action, "disposition", client).entity(id)
}

/// The tenant's dispositions in wrap-up order. Any signed-in user of the tenant may read them.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Disposition>, AppError> {
    Ok(on_db!(db, |pool| {
        pool.acquire().await?.dispositions(actor.tenant_id).await?
    }))
}

async fn find(db: &Db, actor: &Actor, id: i64) -> Result<Disposition, AppError> {
    let found = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .disposition(actor.tenant_id, id)
            .await?
    });
    found.ok_or(AppError::NotFound)
}

/// The form's values, with a name no other disposition of the tenant has (ignoring case).
async fn checked(
    db: &Db,
    actor: &Actor,
    form: &DispositionForm,
    except: Option<i64>,
) -> Result<DispositionInput, AppError> {
    let input = DispositionInput::try_from(form)
        .map_err(|(field, reason)| AppError::invalid(field, reason))?;
    let name = input.name.to_lowercase();
    let taken = list(db, actor)
        .await?
        .into_iter()
        .any(|d| Some(d.id) != except && d.name.to_lowercase() == name);
    if taken {
        return Err(AppError::invalid("name", TAKEN));
    }
    Ok(input)
}

pub async fn create(
    db: &Db,
    actor: &Actor,
    form: &DispositionForm,
    client: &ClientInfo,
) -> Result<Disposition, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let input = checked(db, actor, form, None).await?;
    let created = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx
            .insert_disposition(actor.tenant_id, &input)
            .await
            .on_unique_violation("name", TAKEN)?;
        let entry = audit(actor, "disposition.created", id, client)
            .change("name", Value::Null, input.name.as_str())
            .change("requires_note", Value::Null, input.requires_note);
        tx.insert_audit(&entry).await?;
        let created = tx.disposition(actor.tenant_id, id).await?;
        tx.commit().await?;
        created
    });
    created.ok_or(AppError::Internal)
}

/// Renames a disposition and sets its requires-note flag.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    form: &DispositionForm,
    client: &ClientInfo,
) -> Result<Disposition, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let before = find(db, actor, id).await?;
    let input = checked(db, actor, form, Some(id)).await?;
    let mut entry = audit(actor, "disposition.updated", id, client);
    if before.name != input.name {
        entry = entry.change("name", before.name.as_str(), input.name.as_str());
    }
    if before.requires_note != input.requires_note {
        entry = entry.change("requires_note", before.requires_note, input.requires_note);
    }
    if entry.changes.is_empty() {
        return Ok(before);
    }
    let updated = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.update_disposition(actor.tenant_id, id, &input)
            .await
            .on_unique_violation("name", TAKEN)?;
        tx.insert_audit(&entry).await?;
        let updated = tx.disposition(actor.tenant_id, id).await?;
        tx.commit().await?;
        updated
    });
    updated.ok_or(AppError::NotFound)
}

/// Makes `id` the default and every other disposition of the tenant not, in one transaction, so
/// there is never a moment with none or two.
pub async fn set_default(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<Disposition, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let target = find(db, actor, id).await?;
    if target.is_default {
        return Ok(target);
    }
    let previous = list(db, actor).await?.into_iter().find(|d| d.is_default);
    let entry = audit(actor, "disposition.default_changed", id, client).change(
        "default",
        previous
            .as_ref()
            .map(|d| json!({"id": d.id, "name": d.name}))
            .unwrap_or(Value::Null),
        json!({"id": id, "name": target.name}),
    );
    let updated = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.make_default_disposition(actor.tenant_id, id).await?;
        tx.insert_audit(&entry).await?;
        let updated = tx.disposition(actor.tenant_id, id).await?;
        tx.commit().await?;
        updated
    });
    updated.ok_or(AppError::NotFound)
}

/// `order`: every disposition of the tenant exactly once, in the new order.
pub async fn reorder(
    db: &Db,
    actor: &Actor,
    order: &[i64],
    client: &ClientInfo,
) -> Result<Vec<Disposition>, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let current: Vec<i64> = list(db, actor).await?.iter().map(|d| d.id).collect();
    check_order(
        order,
        &current,
        "ids",
        "must list every disposition exactly once",
    )?;
    let entry = AuditEntry::by(actor, "disposition.reordered", "disposition", client).change(
        "ids",
        json!(current),
        json!(order),
    );
    Ok(on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.set_disposition_order(actor.tenant_id, order).await?;
        tx.insert_audit(&entry).await?;
        let reordered = tx.dispositions(actor.tenant_id).await?;
        tx.commit().await?;
        reordered
    }))
}

/// Deletes a disposition; the default is refused (agents always need one preselected). Calls
/// logged with it keep its name in their own record.
pub async fn delete(db: &Db, actor: &Actor, id: i64, client: &ClientInfo) -> Result<(), AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let target = find(db, actor, id).await?;
    if target.is_default {
        return Err(AppError::Conflict(format!(
            "{} is the default disposition: make another one the default first.",
            target.name
        )));
    }
    let entry = audit(actor, "disposition.deleted", id, client).change(
        "name",
        target.name.as_str(),
        Value::Null,
    );
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        if !tx.delete_disposition(actor.tenant_id, id).await? {
            return Err(AppError::Conflict(
                "The disposition changed meanwhile; reload and try again.".into(),
            ));
        }
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(())
}
