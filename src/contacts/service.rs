//! What may be done with contacts: reads need `contacts.view`, writes `contacts.manage`, and
//! rows outside the actor's tenant or scope answer `NotFound`. Each write checks the contact's
//! links, writes it and its audit entry, and reads it back, in one transaction.

use super::{
    input::{audit_fields_of, ContactDraft, ContactRecord},
    store::{ContactCursor, ContactStore},
    Contact, ContactFilter, ContactPage,
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
        live_record,
        owner::owner_changed,
        service::{check_link, checked_owner, checked_phone, set_deleted, set_deleted_in},
        Keyset, SoftDeletable,
    },
    validation::FieldErrors,
};
use chrono::Utc;

pub async fn get_contact(db: &Db, actor: &Actor, id: i64) -> Result<Contact, AppError> {
    actor.require(Permission::ContactsView)?;
    find(db, actor, id, false).await
}

async fn find(db: &Db, actor: &Actor, id: i64, deleted: bool) -> Result<Contact, AppError> {
    let visible = Visible::to(actor);
    let found = on_db!(db, |pool| {
        pool.acquire().await?.contact(visible, id, deleted).await?
    });
    found.ok_or(AppError::NotFound)
}

/// The draft's values with its links checked: the company must be the tenant's, the owner one
/// the actor may give records to (the actor when none is named).
async fn checked(db: &Db, actor: &Actor, draft: ContactDraft) -> Result<ContactRecord, AppError> {
    let mut errors = FieldErrors::default();
    let company = ("company_id", "is not one of your companies");
    let links = draft.links;
    check_link(
        db,
        actor,
        SoftDeletable::Company,
        links.company_id,
        company,
        &mut errors,
    )
    .await?;
    let owner_id = checked_owner(db, actor, links.owner_id, &mut errors).await?;
    let typed_phone = draft.values.as_ref().ok().and_then(|v| v.phone.as_deref());
    let phone_e164 = checked_phone(db, actor, typed_phone, &mut errors).await?;
    let (input, links) = draft.accept(errors)?;
    Ok(ContactRecord {
        input,
        phone_e164,
        company_id: links.company_id,
        owner_id,
    })
}

/// The live contact that already has this record's email, other than `except`.
async fn email_owner(
    db: &Db,
    actor: &Actor,
    record: &ContactRecord,
    except: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let Some(email) = &record.input.email else {
        return Ok(None);
    };
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .contact_with_email(actor.tenant_id, email.as_str(), except)
            .await?
    }))
}

fn duplicate(existing_id: i64) -> AppError {
    AppError::Duplicate {
        field: "email".into(),
        message: format!("already belongs to contact #{existing_id}"),
        existing_id,
    }
}

/// A write's outcome: a unique violation means another request took the email between our
/// check and our write.
async fn written(
    db: &Db,
    actor: &Actor,
    record: &ContactRecord,
    except: Option<i64>,
    result: Result<Contact, sqlx::Error>,
) -> Result<Contact, AppError> {
    match result {
        Ok(contact) => Ok(contact),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let existing = email_owner(db, actor, record, except).await?;
            Err(existing.map(duplicate).unwrap_or(AppError::Internal))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_contact(
    db: &Db,
    actor: &Actor,
    draft: ContactDraft,
    client: &ClientInfo,
) -> Result<Contact, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let record = checked(db, actor, draft).await?;
    if let Some(existing) = email_owner(db, actor, &record, None).await? {
        return Err(duplicate(existing));
    }
    let visible = Visible::to(actor);
    let result = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            let id = tx
                .insert_contact(actor.tenant_id, &record, Utc::now())
                .await?;
            let entry = AuditEntry::by(actor, "contact.created", "contact", client)
                .entity(id)
                .created(record.audit_fields());
            tx.insert_audit(&entry).await?;
            let contact = tx.contact(visible, id, false).await?;
            tx.commit().await?;
            contact.ok_or(sqlx::Error::RowNotFound)
        }
        .await
    });
    written(db, actor, &record, None, result).await
}

pub async fn update_contact(
    db: &Db,
    actor: &Actor,
    id: i64,
    draft: ContactDraft,
    client: &ClientInfo,
) -> Result<Contact, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let before = find(db, actor, id, false).await?;
    let record = checked(db, actor, draft).await?;
    if let Some(existing) = email_owner(db, actor, &record, Some(id)).await? {
        return Err(duplicate(existing));
    }
    let entry = AuditEntry::by(actor, "contact.updated", "contact", client)
        .entity(id)
        .changed(audit_fields_of(&before), record.audit_fields());
    if entry.changes.is_empty() {
        return Ok(before);
    }
    let visible = Visible::to(actor);
    let result = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            tx.update_contact(actor.tenant_id, id, &record, Utc::now())
                .await?;
            tx.insert_audit(&entry).await?;
            let contact = tx.contact(visible, id, false).await?;
            if let Some(after) = &contact {
                let from = (before.owner_id, before.owner_name.as_deref());
                let to = (after.owner_id, after.owner_name.as_deref());
                let kind = (SoftDeletable::Contact, id);
                if let Some(entry) = owner_changed(actor, kind, from, to, after.updated_at) {
                    tx.insert_activity(&entry).await?;
                }
            }
            tx.commit().await?;
            contact.ok_or(sqlx::Error::RowNotFound)
        }
        .await
    });
    written(db, actor, &record, Some(id), result).await
}

/// Soft delete: the row stays, hidden from every list, until an admin restores it.
pub async fn delete_contact(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_write(Permission::ContactsManage)?;
    find(db, actor, id, false).await?;
    set_deleted(db, actor, SoftDeletable::Contact, id, true, client).await
}

pub async fn restore_contact(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<Contact, AppError> {
    actor.require_write(Permission::RecordsRestore)?;
    if let Some(live) = live_record(find(db, actor, id, false).await)? {
        return Ok(live);
    }
    let contact = find(db, actor, id, true).await?;
    let visible = Visible::to(actor);
    let restored: Option<Contact> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        if let Some(email) = &contact.email {
            if let Some(existing) = tx
                .contact_with_email(actor.tenant_id, email, Some(id))
                .await?
            {
                return Err(duplicate(existing));
            }
        }
        set_deleted_in(&mut *tx, actor, SoftDeletable::Contact, id, false, client).await?;
        let restored = tx.contact(visible, id, false).await?;
        tx.commit().await?;
        restored
    });
    restored.ok_or(AppError::NotFound)
}

pub async fn list_contacts(
    db: &Db,
    actor: &Actor,
    filter: &ContactFilter,
) -> Result<ContactPage, AppError> {
    actor.require(Permission::ContactsView)?;
    let keyset = Keyset::<ContactCursor>::parse(filter.cursor.as_deref(), filter.limit)?;
    let visible = Visible::to(actor);
    let rows = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .contact_page(visible, filter, keyset.after.as_ref(), keyset.fetch())
            .await?
    });
    let (items, next_cursor) = keyset.finish(rows, |last| ContactCursor::after(last, filter.sort));
    Ok(ContactPage { items, next_cursor })
}
