//! SQL for companies. Reads need `contacts.view`, writes `contacts.manage` (companies and
//! contacts are one area of the permission matrix); rows outside the actor's tenant or scope
//! answer `NotFound`.

use super::{Company, CompanyFilter, CompanyForm, CompanyPage};
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
    validation::{optional, parse_optional_id, parse_phone, FieldErrors, Name},
};
use chrono::Utc;
use serde_json::{json, Value};

const SELECT: &str = "SELECT co.id, co.name, co.domain, co.phone, co.address, co.notes, co.owner_id,
        u.name AS owner_name,
        (SELECT COUNT(*) FROM contacts c WHERE c.company_id = co.id AND c.deleted_at IS NULL) AS contact_count,
        co.created_at, co.updated_at, co.deleted_at
    FROM companies co
    LEFT JOIN users u ON u.id = co.owner_id
    WHERE ";

#[derive(Debug, Clone, PartialEq)]
struct Parsed {
    name: String,
    domain: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    notes: String,
    owner_id: i64,
}

impl Parsed {
    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("name", json!(self.name)),
            ("domain", json!(self.domain)),
            ("phone", json!(self.phone)),
            ("address", json!(self.address)),
            ("notes", json!(self.notes)),
            ("owner_id", json!(self.owner_id)),
        ]
    }

    fn of(c: &Company) -> Vec<(&'static str, Value)> {
        vec![
            ("name", json!(c.name)),
            ("domain", json!(c.domain)),
            ("phone", json!(c.phone)),
            ("address", json!(c.address)),
            ("notes", json!(c.notes)),
            ("owner_id", json!(c.owner_id)),
        ]
    }

    fn search_text(&self) -> String {
        search_text(
            &[Some(&self.name), self.domain.as_deref(), Some(&self.notes)],
            &[self.phone.as_deref()],
        )
    }
}

/// `Example.COM`, `https://www.example.com/x` → `example.com`.
fn parse_domain(value: &str) -> Result<String, String> {
    let value = value.trim().to_lowercase();
    let host = value
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let valid = host.contains('.')
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if valid {
        Ok(host)
    } else {
        Err("must be a domain such as example.com".into())
    }
}

async fn parse(db: &Db, actor: &Actor, form: &CompanyForm) -> Result<Parsed, AppError> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", Name::parse(&form.name));
    let domain = match optional(&form.domain) {
        None => Some(None),
        Some(d) => errors.check("domain", parse_domain(d)).map(Some),
    };
    let phone = match optional(&form.phone) {
        None => Some(None),
        Some(p) => errors.check("phone", parse_phone(p)).map(Some),
    };
    let address = optional(&form.address).map(str::to_string);
    if address.as_deref().is_some_and(|a| a.chars().count() > 500) {
        errors.check::<()>("address", Err("must be at most 500 characters".into()));
    }
    if form.notes.chars().count() > 10_000 {
        errors.check::<()>("notes", Err("must be at most 10,000 characters".into()));
    }
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
    match (name, domain, phone) {
        (Some(name), Some(domain), Some(phone)) => Ok(Parsed {
            name: name.as_str().to_string(),
            domain,
            phone,
            address,
            notes: form.notes.trim().to_string(),
            owner_id,
        }),
        _ => Err(AppError::Internal),
    }
}

async fn find(db: &Db, actor: &Actor, id: i64, deleted: bool) -> Result<Company, AppError> {
    find_visible(db, actor, SELECT, "co", id, deleted).await
}

pub async fn get_company(db: &Db, actor: &Actor, id: i64) -> Result<Company, AppError> {
    actor.require(Permission::ContactsView)?;
    find(db, actor, id, false).await
}

pub async fn create_company(
    db: &Db,
    actor: &Actor,
    form: &CompanyForm,
    client: &ClientInfo,
) -> Result<Company, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let p = parse(db, actor, form).await?;
    let now = Utc::now();
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO companies (tenant_id, name, domain, phone, address, notes, owner_id, sort_name,
                search_text, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(&p.name)
        .bind(&p.domain)
        .bind(&p.phone)
        .bind(&p.address)
        .bind(&p.notes)
        .bind(p.owner_id)
        .bind(fold(&p.name))
        .bind(p.search_text())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let mut entry = AuditEntry::by(actor, "company.created", "company", client).entity(id);
        for (field, value) in p.fields() {
            entry = entry.change(field, Value::Null, value);
        }
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        id
    });
    find(db, actor, id, false).await
}

pub async fn update_company(
    db: &Db,
    actor: &Actor,
    id: i64,
    form: &CompanyForm,
    client: &ClientInfo,
) -> Result<Company, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let before = find(db, actor, id, false).await?;
    let p = parse(db, actor, form).await?;
    let mut entry = AuditEntry::by(actor, "company.updated", "company", client).entity(id);
    for ((field, old), (_, new)) in Parsed::of(&before).into_iter().zip(p.fields()) {
        if old != new {
            entry = entry.change(field, old, new);
        }
    }
    if entry.changes.is_empty() {
        return Ok(before);
    }
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE companies SET name = $1, domain = $2, phone = $3, address = $4, notes = $5, owner_id = $6,
                sort_name = $7, search_text = $8, updated_at = $9
             WHERE id = $10 AND tenant_id = $11",
        )
        .bind(&p.name)
        .bind(&p.domain)
        .bind(&p.phone)
        .bind(&p.address)
        .bind(&p.notes)
        .bind(p.owner_id)
        .bind(fold(&p.name))
        .bind(p.search_text())
        .bind(Utc::now())
        .bind(id)
        .bind(actor.tenant_id)
        .execute(&mut *tx)
        .await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    find(db, actor, id, false).await
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
    actor.require_write(Permission::RecordsRestore)?;
    if let Some(live) = live_record(find(db, actor, id, false).await)? {
        return Ok(live);
    }
    find(db, actor, id, true).await?;
    set_deleted(db, actor, SoftDeletable::Company, id, false, client).await?;
    find(db, actor, id, false).await
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Cursor {
    name: String,
    id: i64,
}

/// Companies by name, in keyset pages.
pub async fn list_companies(
    db: &Db,
    actor: &Actor,
    filter: &CompanyFilter,
) -> Result<CompanyPage, AppError> {
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
    let pattern = optional(&filter.q).map(contains_pattern);
    let mut items: Vec<Company> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(SELECT);
        visible.push(&mut query, "co", "owner_id");
        query.push(" AND co.deleted_at IS NULL");
        if let Some(pattern) = &pattern {
            query
                .push(" AND co.search_text LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        if let Some(owner) = filter.owner_id {
            query.push(" AND co.owner_id = ").push_bind(owner);
        }
        if let Some(c) = &cursor {
            query
                .push(" AND (co.sort_name > ")
                .push_bind(c.name.clone())
                .push(" OR (co.sort_name = ")
                .push_bind(c.name.clone())
                .push(" AND co.id > ")
                .push_bind(c.id)
                .push("))");
        }
        query
            .push(" ORDER BY co.sort_name, co.id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        query.build_query_as::<Company>().fetch_all(pool).await?
    });
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = more.then(|| items.last()).flatten().map(|last| {
        serde_json::to_string(&Cursor {
            name: fold(&last.name),
            id: last.id,
        })
        .unwrap_or_default()
    });
    Ok(CompanyPage { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::parse_domain;

    #[test]
    fn domains_are_reduced_to_the_host() {
        assert_eq!(
            parse_domain("https://www.Example.com/about").as_deref(),
            Ok("example.com")
        );
        assert_eq!(
            parse_domain("sub.example.co.uk").as_deref(),
            Ok("sub.example.co.uk")
        );
        assert!(parse_domain("not a domain").is_err());
        assert!(parse_domain("localhost").is_err());
    }
}
