//! SQL for call dispositions. Every write runs in one transaction with its audit row; the tenant
//! always keeps exactly one default, names are unique per tenant (ignoring case), and the default
//! cannot be deleted.

use super::{Disposition, DispositionForm};
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::actor::Actor,
    db::Db,
    error::{AppError, ResultExt},
    on_db,
    records::check_order,
};
use serde_json::{json, Value};

const SELECT: &str =
    "SELECT id, name, sort_order, is_default, requires_note FROM call_dispositions WHERE tenant_id = $1";
const TAKEN: &str = "another disposition has this name";

fn audit(actor: &Actor, action: &'static str, id: i64, client: &ClientInfo) -> AuditEntry {
    AuditEntry::by(actor, action, "disposition", client).entity(id)
}

/// The tenant's dispositions in wrap-up order. Any signed-in user of the tenant may read them.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Disposition>, AppError> {
    Ok(on_db!(db, |pool| {
        sqlx::query_as(&format!("{SELECT} ORDER BY sort_order, id"))
            .bind(actor.tenant_id)
            .fetch_all(pool)
            .await?
    }))
}

async fn find(db: &Db, actor: &Actor, id: i64) -> Result<Disposition, AppError> {
    let found: Option<Disposition> = on_db!(db, |pool| {
        sqlx::query_as(&format!("{SELECT} AND id = $2"))
            .bind(actor.tenant_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    found.ok_or(AppError::NotFound)
}

/// A trimmed name of 1 to 100 characters that no other disposition of the tenant has.
async fn checked_name(
    db: &Db,
    actor: &Actor,
    name: &str,
    except: Option<i64>,
) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "is required"));
    }
    if name.chars().count() > 100 {
        return Err(AppError::invalid("name", "must be at most 100 characters"));
    }
    let taken = list(db, actor)
        .await?
        .into_iter()
        .any(|d| Some(d.id) != except && d.name.to_lowercase() == name.to_lowercase());
    if taken {
        return Err(AppError::invalid("name", TAKEN));
    }
    Ok(name.to_string())
}

pub async fn create(
    db: &Db,
    actor: &Actor,
    form: &DispositionForm,
    client: &ClientInfo,
) -> Result<Disposition, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let name = checked_name(db, actor, &form.name, None).await?;
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO call_dispositions (tenant_id, name, sort_order, is_default, requires_note)
             VALUES ($1, $2, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM call_dispositions WHERE tenant_id = $1),
                     FALSE, $3)
             RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(&name)
        .bind(form.requires_note)
        .fetch_one(&mut *tx)
        .await
        .on_unique_violation("name", TAKEN)?;
        let entry = audit(actor, "disposition.created", id, client)
            .change("name", Value::Null, name.as_str())
            .change("requires_note", Value::Null, form.requires_note);
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        id
    });
    find(db, actor, id).await
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
    let name = checked_name(db, actor, &form.name, Some(id)).await?;
    let mut entry = audit(actor, "disposition.updated", id, client);
    if before.name != name {
        entry = entry.change("name", before.name.as_str(), name.as_str());
    }
    if before.requires_note != form.requires_note {
        entry = entry.change("requires_note", before.requires_note, form.requires_note);
    }
    if entry.changes.is_empty() {
        return Ok(before);
    }
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE call_dispositions SET name = $1, requires_note = $2 WHERE id = $3 AND tenant_id = $4")
            .bind(&name)
            .bind(form.requires_note)
            .bind(id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await
            .on_unique_violation("name", TAKEN)?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    find(db, actor, id).await
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
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE call_dispositions SET is_default = (id = $1) WHERE tenant_id = $2")
            .bind(id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    find(db, actor, id).await
}

/// `ids`: every disposition of the tenant exactly once, in the new order.
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
    let mut entry = AuditEntry::by(actor, "disposition.reordered", "disposition", client);
    entry = entry.change("ids", json!(current), json!(order));
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        for (position, id) in (0_i32..).zip(order) {
            sqlx::query(
                "UPDATE call_dispositions SET sort_order = $1 WHERE id = $2 AND tenant_id = $3",
            )
            .bind(position)
            .bind(*id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    list(db, actor).await
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
        // `is_default = FALSE` re-checks inside the transaction: a concurrent set_default
        // cannot leave the tenant without a default.
        let deleted = sqlx::query(
            "DELETE FROM call_dispositions WHERE id = $1 AND tenant_id = $2 AND is_default = FALSE",
        )
        .bind(id)
        .bind(actor.tenant_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if deleted == 0 {
            return Err(AppError::Conflict(
                "The disposition changed meanwhile; reload and try again.".into(),
            ));
        }
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(())
}
