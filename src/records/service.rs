//! Finding a record the actor may see, and soft deletion with its audit entry in one transaction.

use super::{
    live_record,
    store::{FromRows, RecordStore},
    SoftDeletable,
};
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        roles::Permission,
        scope::{may_assign_to, Visible},
    },
    db::Db,
    error::AppError,
    events::service::{deal_changed, Publish},
    on_db,
    validation::FieldErrors,
};
use chrono::Utc;

/// One owned record by id, if the actor may see it (see [`RecordStore::visible_record`]).
pub async fn find_visible<T: FromRows>(
    db: &Db,
    actor: &Actor,
    select: &str,
    alias: &str,
    id: i64,
    deleted: bool,
) -> Result<T, AppError> {
    let visible = Visible::to(actor);
    let found: Option<T> = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        conn.visible_record(select, alias, visible, id, deleted)
            .await?
    });
    found.ok_or(AppError::NotFound)
}

/// Marks the row deleted (hidden everywhere, kept for restore) or restores it, with its audit
/// entry, inside the caller's transaction. The caller has checked that the actor may.
pub async fn set_deleted_in<C: RecordStore + AuditLog + Publish>(
    conn: &mut C,
    actor: &Actor,
    kind: SoftDeletable,
    id: i64,
    deleted: bool,
    client: &ClientInfo,
) -> Result<(), sqlx::Error> {
    let now = Utc::now();
    conn.mark_deleted(kind, actor.tenant_id, id, deleted.then_some(now), now)
        .await?;
    if kind == SoftDeletable::Deal {
        deal_changed(conn, actor.tenant_id, id, now).await?;
    }
    let entry = AuditEntry::by(actor, kind.action(deleted), kind.entity(), client)
        .entity(id)
        .change("deleted", !deleted, deleted);
    conn.insert_audit(&entry).await
}

/// [`set_deleted_in`] in a transaction of its own.
pub async fn set_deleted(
    db: &Db,
    actor: &Actor,
    kind: SoftDeletable,
    id: i64,
    deleted: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        set_deleted_in(&mut *tx, actor, kind, id, deleted, client).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Restores a soft-deleted record the actor may see (`select`/`alias` as in
/// [`RecordStore::visible_record`]) and answers it as read back in the restoring transaction.
/// A record that is not deleted is answered as it is, and nothing is written.
pub async fn restore<T: FromRows>(
    db: &Db,
    actor: &Actor,
    kind: SoftDeletable,
    (select, alias): (&str, &str),
    id: i64,
    client: &ClientInfo,
) -> Result<T, AppError> {
    actor.require_write(Permission::RecordsRestore)?;
    if let Some(live) = live_record(find_visible(db, actor, select, alias, id, false).await)? {
        return Ok(live);
    }
    find_visible::<T>(db, actor, select, alias, id, true).await?;
    let visible = Visible::to(actor);
    let restored: Option<T> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        set_deleted_in(&mut *tx, actor, kind, id, false, client).await?;
        let restored = tx.visible_record(select, alias, visible, id, false).await?;
        tx.commit().await?;
        restored
    });
    restored.ok_or(AppError::NotFound)
}

/// Whether the actor's tenant has a live record of `kind` with this id, whoever owns it.
pub async fn exists_in_tenant(
    db: &Db,
    actor: &Actor,
    kind: SoftDeletable,
    id: i64,
) -> Result<bool, AppError> {
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .record_exists(kind, actor.tenant_id, id)
            .await?
    }))
}

/// A link to a record of `kind` must name a live one of the actor's tenant; `reason` goes into
/// `errors` under `field` otherwise.
pub async fn check_link(
    db: &Db,
    actor: &Actor,
    kind: SoftDeletable,
    id: Option<i64>,
    (field, reason): (&str, &str),
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    let Some(id) = id else { return Ok(()) };
    if !exists_in_tenant(db, actor, kind, id).await? {
        errors.check::<()>(field, Err(reason.into()));
    }
    Ok(())
}

/// The owner a record is given: the one named if the actor may give records to them (an error
/// under `owner_id` otherwise), the actor when none is.
pub async fn checked_owner(
    db: &Db,
    actor: &Actor,
    owner_id: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<i64, AppError> {
    let owner_id = owner_id.unwrap_or(actor.user_id);
    if !may_assign_to(db, actor, owner_id).await? {
        errors.check::<()>("owner_id", Err("cannot be given to that user".into()));
    }
    Ok(owner_id)
}

/// A record's typed phone in E.164, read with the tenant's default country; `None` (and the
/// reason under `phone`, naming the number and the country) when it is no number there.
pub async fn checked_phone(
    db: &Db,
    actor: &Actor,
    typed: Option<&str>,
    errors: &mut FieldErrors,
) -> Result<Option<String>, AppError> {
    let Some(typed) = typed else {
        return Ok(None);
    };
    let country = crate::calls::country::default_country(db, actor).await?;
    Ok(errors.check("phone", crate::calls::phone::to_e164(typed, &country)))
}

/// What [`normalise_saved_phones`] did: numbers it wrote in E.164, and typed phones that are no
/// number in their tenant's country (left as typed, without an E.164 form).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhonesNormalised {
    pub written: u64,
    pub unreadable: u64,
}

/// Fills in the E.164 form of contact and company phones saved before phones were normalised,
/// each read with its tenant's default country. Run at start-up; idempotent, and safe with
/// several instances starting at once (a row is only written while still unset).
pub async fn normalise_saved_phones(db: &Db) -> Result<PhonesNormalised, AppError> {
    let mut done = PhonesNormalised::default();
    for kind in [SoftDeletable::Contact, SoftDeletable::Company] {
        let mut after_id = 0;
        loop {
            let rows = on_db!(db, |pool| {
                pool.acquire()
                    .await?
                    .phones_without_e164(kind, after_id, 500)
                    .await?
            });
            let Some(&(last, _, _)) = rows.last() else {
                break;
            };
            after_id = last;
            let fetched = rows.len() as u64;
            let readable: Vec<(i64, String)> = rows
                .into_iter()
                .filter_map(|(id, phone, country)| {
                    crate::calls::phone::to_e164(&phone, &country)
                        .ok()
                        .map(|e164| (id, e164))
                })
                .collect();
            done.unreadable += fetched - readable.len() as u64;
            on_db!(db, |pool| {
                let mut tx = pool.begin_write().await?;
                for (id, e164) in &readable {
                    tx.set_phone_e164(kind, *id, e164).await?;
                }
                tx.commit().await?;
            });
            done.written += readable.len() as u64;
        }
    }
    Ok(done)
}
