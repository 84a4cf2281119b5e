//! SQL for contacts. Every function takes the `Actor`: reads need `contacts.view`, writes
//! `contacts.manage`, and rows outside the actor's tenant or scope answer `NotFound`.

use super::{Contact, ContactFilter, ContactForm, ContactPage, ContactSort, SCORES, STATUSES};
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        scope::{may_assign_to, Visible},
    },
    db::Db,
    error::AppError,
    on_db,
    records::{
        live_record,
        service::{find_visible, set_deleted},
        SoftDeletable,
    },
    search::{contains_pattern, fold, search_text},
    validation::{optional, parse_optional_id, parse_phone, Email, FieldErrors, Name},
};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

const SELECT: &str = "SELECT c.id, c.name, c.email, c.phone, c.source, c.notes, c.status, c.score,
        c.company_id, co.name AS company_name, c.owner_id, u.name AS owner_name,
        c.last_contacted_at, c.next_followup_at, c.created_at, c.updated_at, c.deleted_at
    FROM contacts c
    LEFT JOIN companies co ON co.id = c.company_id
    LEFT JOIN users u ON u.id = c.owner_id
    WHERE ";

/// A contact form after parsing: every value valid, ids checked against the tenant.
#[derive(Debug, Clone, PartialEq)]
struct Parsed {
    name: String,
    email: Option<String>,
    phone: Option<String>,
    source: Option<String>,
    notes: String,
    status: String,
    score: String,
    company_id: Option<i64>,
    owner_id: i64,
}

async fn parse(db: &Db, actor: &Actor, form: &ContactForm) -> Result<Parsed, AppError> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", Name::parse(&form.name));
    let email = match optional(&form.email) {
        None => Some(None),
        Some(e) => errors
            .check("email", Email::parse(e))
            .map(|e| Some(e.as_str().to_string())),
    };
    let phone = match optional(&form.phone) {
        None => Some(None),
        Some(p) => errors.check("phone", parse_phone(p)).map(Some),
    };
    let source = optional(&form.source).map(str::to_string);
    if source.as_deref().is_some_and(|s| s.chars().count() > 100) {
        errors.check::<()>("source", Err("must be at most 100 characters".into()));
    }
    if form.notes.chars().count() > 10_000 {
        errors.check::<()>("notes", Err("must be at most 10,000 characters".into()));
    }
    let status = optional(&form.status).unwrap_or("New").to_string();
    if !STATUSES.contains(&status.as_str()) {
        errors.check::<()>(
            "status",
            Err(format!("must be one of {}", STATUSES.join(", "))),
        );
    }
    let score = optional(&form.score).unwrap_or("warm").to_string();
    if !SCORES.contains(&score.as_str()) {
        errors.check::<()>(
            "score",
            Err(format!("must be one of {}", SCORES.join(", "))),
        );
    }
    let company_id = match parse_optional_id(&form.company_id) {
        Ok(None) => None,
        Ok(Some(id)) if company_of_tenant(db, actor, id).await? => Some(id),
        _ => {
            errors.check::<()>("company_id", Err("is not one of your companies".into()));
            None
        }
    };
    let owner_id = match parse_optional_id(&form.owner_id) {
        Ok(None) => actor.user_id,
        Ok(Some(id)) if may_assign_to(db, actor, id).await? => id,
        _ => {
            errors.check::<()>("owner_id", Err("cannot be given to that user".into()));
            actor.user_id
        }
    };
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    match (name, email, phone) {
        (Some(name), Some(email), Some(phone)) => Ok(Parsed {
            name: name.as_str().to_string(),
            email,
            phone,
            source,
            notes: form.notes.trim().to_string(),
            status,
            score,
            company_id,
            owner_id,
        }),
        _ => Err(AppError::Internal),
    }
}

async fn company_of_tenant(db: &Db, actor: &Actor, id: i64) -> Result<bool, AppError> {
    Ok(on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM companies WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL")
            .bind(id)
            .bind(actor.tenant_id)
            .fetch_one(pool)
            .await? > 0
    }))
}

/// The live contact of this tenant that already has `email`, other than `except`.
async fn contact_with_email(
    db: &Db,
    tenant_id: i64,
    email: &str,
    except: Option<i64>,
) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM contacts WHERE tenant_id = $1 AND email = $2 AND deleted_at IS NULL AND id <> $3",
        )
        .bind(tenant_id)
        .bind(email)
        .bind(except.unwrap_or(0))
        .fetch_optional(pool)
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

fn searchable(p: &Parsed) -> String {
    search_text(
        &[Some(&p.name), p.email.as_deref(), Some(&p.notes)],
        &[p.phone.as_deref()],
    )
}

pub async fn create_contact(
    db: &Db,
    actor: &Actor,
    form: &ContactForm,
    client: &ClientInfo,
) -> Result<Contact, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let p = parse(db, actor, form).await?;
    if let Some(email) = &p.email {
        if let Some(existing) = contact_with_email(db, actor.tenant_id, email, None).await? {
            return Err(duplicate(existing));
        }
    }
    let now = Utc::now();
    let search = searchable(&p);
    let inserted: Result<i64, sqlx::Error> = on_db!(db, |pool| {
        async {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contacts (tenant_id, company_id, name, email, phone, source, notes, status, score,
                owner_id, search_text, sort_name, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(p.company_id)
        .bind(&p.name)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(&p.source)
        .bind(&p.notes)
        .bind(&p.status)
        .bind(&p.score)
        .bind(p.owner_id)
        .bind(&search)
        .bind(fold(&p.name))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let mut entry = AuditEntry::by(actor, "contact.created", "contact", client)
            .entity(id);
        for (field, value) in fields_of(&p) {
            entry = entry.change(field, Value::Null, value);
        }
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        Ok(id)
    }
    .await
    });
    let id = match inserted {
        Ok(id) => id,
        // Another request added the same email between our check and our insert.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let email = p.email.as_deref().unwrap_or_default();
            let existing = contact_with_email(db, actor.tenant_id, email, None).await?;
            return Err(existing.map(duplicate).unwrap_or(AppError::Internal));
        }
        Err(e) => return Err(e.into()),
    };
    get_contact(db, actor, id).await
}

fn fields_of(p: &Parsed) -> Vec<(&'static str, Value)> {
    vec![
        ("name", json!(p.name)),
        ("email", json!(p.email)),
        ("phone", json!(p.phone)),
        ("source", json!(p.source)),
        ("notes", json!(p.notes)),
        ("status", json!(p.status)),
        ("score", json!(p.score)),
        ("company_id", json!(p.company_id)),
        ("owner_id", json!(p.owner_id)),
    ]
}

fn fields_of_contact(c: &Contact) -> Vec<(&'static str, Value)> {
    vec![
        ("name", json!(c.name)),
        ("email", json!(c.email)),
        ("phone", json!(c.phone)),
        ("source", json!(c.source)),
        ("notes", json!(c.notes)),
        ("status", json!(c.status)),
        ("score", json!(c.score)),
        ("company_id", json!(c.company_id)),
        ("owner_id", json!(c.owner_id)),
    ]
}

async fn find(db: &Db, actor: &Actor, id: i64, deleted: bool) -> Result<Contact, AppError> {
    find_visible(db, actor, SELECT, "c", id, deleted).await
}

pub async fn get_contact(db: &Db, actor: &Actor, id: i64) -> Result<Contact, AppError> {
    actor.require(Permission::ContactsView)?;
    find(db, actor, id, false).await
}

pub async fn update_contact(
    db: &Db,
    actor: &Actor,
    id: i64,
    form: &ContactForm,
    client: &ClientInfo,
) -> Result<Contact, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let before = find(db, actor, id, false).await?;
    let p = parse(db, actor, form).await?;
    if let Some(email) = &p.email {
        if let Some(existing) = contact_with_email(db, actor.tenant_id, email, Some(id)).await? {
            return Err(duplicate(existing));
        }
    }
    let mut entry = AuditEntry::by(actor, "contact.updated", "contact", client).entity(id);
    for ((field, old), (_, new)) in fields_of_contact(&before).into_iter().zip(fields_of(&p)) {
        if old != new {
            entry = entry.change(field, old, new);
        }
    }
    if entry.changes.is_empty() {
        return Ok(before);
    }
    let search = searchable(&p);
    let now = Utc::now();
    let updated: Result<(), sqlx::Error> = on_db!(db, |pool| {
        async {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE contacts SET company_id = $1, name = $2, email = $3, phone = $4, source = $5, notes = $6,
                status = $7, score = $8, owner_id = $9, search_text = $10, sort_name = $11, updated_at = $12
             WHERE id = $13 AND tenant_id = $14",
        )
        .bind(p.company_id)
        .bind(&p.name)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(&p.source)
        .bind(&p.notes)
        .bind(&p.status)
        .bind(&p.score)
        .bind(p.owner_id)
        .bind(&search)
        .bind(fold(&p.name))
        .bind(now)
        .bind(id)
        .bind(actor.tenant_id)
        .execute(&mut *tx)
        .await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await
    }
    .await
    });
    match updated {
        Ok(()) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let email = p.email.as_deref().unwrap_or_default();
            let existing = contact_with_email(db, actor.tenant_id, email, Some(id)).await?;
            return Err(existing.map(duplicate).unwrap_or(AppError::Internal));
        }
        Err(e) => return Err(e.into()),
    }
    find(db, actor, id, false).await
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
    if let Some(email) = &contact.email {
        if let Some(existing) = contact_with_email(db, actor.tenant_id, email, Some(id)).await? {
            return Err(duplicate(existing));
        }
    }
    set_deleted(db, actor, SoftDeletable::Contact, id, false, client).await?;
    find(db, actor, id, false).await
}

/// Where the previous page ended: the sort value (folded name or creation time) and id of its
/// last row.
#[derive(serde::Serialize, serde::Deserialize)]
struct Cursor {
    name: Option<String>,
    created_at: Option<DateTime<Utc>>,
    id: i64,
}

pub async fn list_contacts(
    db: &Db,
    actor: &Actor,
    filter: &ContactFilter,
) -> Result<ContactPage, AppError> {
    actor.require(Permission::ContactsView)?;
    let limit = crate::records::page_limit(filter.limit)?;
    let cursor: Option<Cursor> = match &filter.cursor {
        None => None,
        Some(c) => Some(
            serde_json::from_str(c)
                .map_err(|_| AppError::invalid("cursor", "is not a cursor from this list"))?,
        ),
    };
    let visible = Visible::to(actor);
    let pattern = Some(filter.q.trim())
        .filter(|q| !q.is_empty())
        .map(contains_pattern);
    let mut items: Vec<Contact> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(SELECT);
        visible.push(&mut query, "c", "owner_id");
        query.push(" AND c.deleted_at IS NULL");
        if let Some(pattern) = &pattern {
            query
                .push(" AND c.search_text LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        if let Some(owner) = filter.owner_id {
            query.push(" AND c.owner_id = ").push_bind(owner);
        }
        if let Some(status) = &filter.status {
            query.push(" AND c.status = ").push_bind(status.clone());
        }
        if let Some(score) = &filter.score {
            query.push(" AND c.score = ").push_bind(score.clone());
        }
        if let Some(company) = filter.company_id {
            query.push(" AND c.company_id = ").push_bind(company);
        }
        if let Some(from) = filter.created_from {
            query.push(" AND c.created_at >= ").push_bind(from);
        }
        if let Some(to) = filter.created_to {
            query.push(" AND c.created_at < ").push_bind(to);
        }
        match (filter.sort, &cursor) {
            (ContactSort::Name, Some(c)) => {
                let name = c.name.clone().unwrap_or_default();
                query
                    .push(" AND (c.sort_name > ")
                    .push_bind(name.clone())
                    .push(" OR (c.sort_name = ")
                    .push_bind(name)
                    .push(" AND c.id > ")
                    .push_bind(c.id)
                    .push("))");
            }
            (ContactSort::Newest, Some(c)) => {
                let at = c.created_at.unwrap_or_else(Utc::now);
                query
                    .push(" AND (c.created_at < ")
                    .push_bind(at)
                    .push(" OR (c.created_at = ")
                    .push_bind(at)
                    .push(" AND c.id < ")
                    .push_bind(c.id)
                    .push("))");
            }
            (_, None) => {}
        }
        query.push(match filter.sort {
            ContactSort::Name => " ORDER BY c.sort_name, c.id",
            ContactSort::Newest => " ORDER BY c.created_at DESC, c.id DESC",
        });
        query.push(" LIMIT ").push_bind(i64::from(limit) + 1);
        query.build_query_as::<Contact>().fetch_all(pool).await?
    });
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = if more {
        items.last().map(|last| {
            let cursor = Cursor {
                name: (filter.sort == ContactSort::Name).then(|| fold(&last.name)),
                created_at: (filter.sort == ContactSort::Newest).then_some(last.created_at),
                id: last.id,
            };
            serde_json::to_string(&cursor).unwrap_or_default()
        })
    } else {
        None
    };
    Ok(ContactPage { items, next_cursor })
}
