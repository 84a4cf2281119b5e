//! What may be done with companies. Reads need `contacts.view`, writes `contacts.manage`
//! (companies and contacts are one area of the permission matrix); rows outside the actor's
//! tenant or scope answer `NotFound`. Each write stores the company and its audit entry and
//! reads it back in one transaction.

use super::{
    input::{audit_fields_of, CompanyDraft, CompanyRecord},
    store::{self, CompanyCursor, CompanyStore},
    Company, CompanyFilter, CompanyPage,
};
use crate::db::BeginWrite;
use crate::{
    activities::store::ActivityStore,
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, roles::Permission, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
    records::{
        owner::owner_changed,
        service::{checked_owner, checked_phone, restore, set_deleted},
        Keyset, SoftDeletable,
    },
    validation::FieldErrors,
};
use chrono::Utc;

pub async fn get_company(db: &Db, actor: &Actor, id: i64) -> Result<Company, AppError> {
    actor.require(Permission::ContactsView)?;
    find(db, actor, id, false).await
}

async fn find(db: &Db, actor: &Actor, id: i64, deleted: bool) -> Result<Company, AppError> {
    let visible = Visible::to(actor);
    let found = on_db!(db, |pool| {
        pool.acquire().await?.company(visible, id, deleted).await?
    });
    found.ok_or(AppError::NotFound)
}

async fn checked(db: &Db, actor: &Actor, draft: CompanyDraft) -> Result<CompanyRecord, AppError> {
    let mut errors = FieldErrors::default();
    let owner_id = checked_owner(db, actor, draft.links, &mut errors).await?;
    let typed_phone = draft.values.as_ref().ok().and_then(|v| v.phone.as_deref());
    let phone_e164 = checked_phone(db, actor, typed_phone, &mut errors).await?;
    let (input, _) = draft.accept(errors)?;
    Ok(CompanyRecord {
        input,
        phone_e164,
        owner_id,
    })
}

pub async fn create_company(
    db: &Db,
    actor: &Actor,
    draft: CompanyDraft,
    client: &ClientInfo,
) -> Result<Company, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let record = checked(db, actor, draft).await?;
    let visible = Visible::to(actor);
    let created: Option<Company> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx
            .insert_company(actor.tenant_id, &record, Utc::now())
            .await?;
        let entry = AuditEntry::by(actor, "company.created", "company", client)
            .entity(id)
            .created(record.audit_fields());
        tx.insert_audit(&entry).await?;
        let company = tx.company(visible, id, false).await?;
        tx.commit().await?;
        company
    });
    created.ok_or(AppError::NotFound)
}

pub async fn update_company(
    db: &Db,
    actor: &Actor,
    id: i64,
    draft: CompanyDraft,
    client: &ClientInfo,
) -> Result<Company, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let before = find(db, actor, id, false).await?;
    let record = checked(db, actor, draft).await?;
    let entry = AuditEntry::by(actor, "company.updated", "company", client)
        .entity(id)
        .changed(audit_fields_of(&before), record.audit_fields());
    if entry.changes.is_empty() {
        return Ok(before);
    }
    let visible = Visible::to(actor);
    let updated: Option<Company> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.update_company(actor.tenant_id, id, &record, Utc::now())
            .await?;
        tx.insert_audit(&entry).await?;
        let company = tx.company(visible, id, false).await?;
        if let Some(after) = &company {
            let from = (before.owner_id, before.owner_name.as_deref());
            let to = (after.owner_id, after.owner_name.as_deref());
            let kind = (SoftDeletable::Company, id);
            if let Some(entry) = owner_changed(actor, kind, from, to, after.updated_at) {
                tx.insert_activity(&entry).await?;
            }
        }
        tx.commit().await?;
        company
    });
    updated.ok_or(AppError::NotFound)
}

pub async fn delete_company(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_write(Permission::ContactsManage)?;
    find(db, actor, id, false).await?;
    set_deleted(db, actor, SoftDeletable::Company, id, true, client).await
}

pub async fn restore_company(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<Company, AppError> {
    let select = (store::SELECT, "co");
    restore(db, actor, SoftDeletable::Company, select, id, client).await
}

/// Companies by name, in keyset pages.
pub async fn list_companies(
    db: &Db,
    actor: &Actor,
    filter: &CompanyFilter,
) -> Result<CompanyPage, AppError> {
    actor.require(Permission::ContactsView)?;
    let keyset = Keyset::<CompanyCursor>::parse(filter.cursor.as_deref(), filter.limit)?;
    let visible = Visible::to(actor);
    let rows = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .company_page(visible, filter, keyset.after.as_ref(), keyset.fetch())
            .await?
    });
    let (items, next_cursor) = keyset.finish(rows, CompanyCursor::after);
    Ok(CompanyPage { items, next_cursor })
}
