//! What the tenant-owned records (contacts, companies, deals) share: soft deletion that
//! keeps the row and writes the audit entry in the same transaction, and bulk reassignment.

pub mod bulk;

use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
};
use chrono::Utc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoftDeletable {
    Contact,
    Company,
    Deal,
}

impl SoftDeletable {
    fn table(self) -> &'static str {
        match self {
            SoftDeletable::Contact => "contacts",
            SoftDeletable::Company => "companies",
            SoftDeletable::Deal => "deals",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            SoftDeletable::Contact => "contact",
            SoftDeletable::Company => "company",
            SoftDeletable::Deal => "deal",
        }
    }

    fn manage_permission(self) -> Permission {
        match self {
            // Companies are part of the contacts area; there is no separate permission.
            SoftDeletable::Contact | SoftDeletable::Company => Permission::ContactsManage,
            SoftDeletable::Deal => Permission::DealsManage,
        }
    }

    fn updated_action(self) -> &'static str {
        match self {
            SoftDeletable::Contact => "contact.updated",
            SoftDeletable::Company => "company.updated",
            SoftDeletable::Deal => "deal.updated",
        }
    }

    fn action(self, deleted: bool) -> &'static str {
        match (self, deleted) {
            (SoftDeletable::Contact, true) => "contact.deleted",
            (SoftDeletable::Contact, false) => "contact.restored",
            (SoftDeletable::Company, true) => "company.deleted",
            (SoftDeletable::Company, false) => "company.restored",
            (SoftDeletable::Deal, true) => "deal.deleted",
            (SoftDeletable::Deal, false) => "deal.restored",
        }
    }
}

/// One owned record by id, if the actor may see it: `select` ends in `WHERE `, `alias` names the
/// record's table in it. Deleted rows are found only when `deleted` asks for them (to restore).
pub async fn find_visible<T>(
    db: &Db,
    actor: &Actor,
    select: &str,
    alias: &str,
    id: i64,
    deleted: bool,
) -> Result<T, AppError>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    let visible = Visible::to(actor);
    let found: Option<T> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(select);
        query.push(format!("{alias}.id = ")).push_bind(id);
        query.push(format!(
            " AND {alias}.deleted_at IS {}NULL AND ",
            if deleted { "NOT " } else { "" }
        ));
        visible.push(&mut query, alias, "owner_id");
        query.build_query_as::<T>().fetch_optional(pool).await?
    });
    found.ok_or(AppError::NotFound)
}

/// For restores: a record the actor can see that is not deleted is restored already, so a
/// restore answers it as it is (and writes nothing); `None` when there is no such live record.
pub fn live_record<T>(found: Result<T, AppError>) -> Result<Option<T>, AppError> {
    match found {
        Ok(record) => Ok(Some(record)),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The most rows a list or timeline page holds, and how many it holds when `limit` is absent.
pub const MAX_PAGE: u32 = 200;
pub const DEFAULT_PAGE: u32 = 50;

/// A page's `limit`: 1 to [`MAX_PAGE`], [`DEFAULT_PAGE`] when absent. Out of range is refused
/// rather than clamped, so an API client learns its page is not the size it asked for.
pub fn page_limit(limit: Option<u32>) -> Result<u32, AppError> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(AppError::invalid(
            "limit",
            format!("must be from 1 to {MAX_PAGE}"),
        )),
    }
}

/// Marks the row deleted (hidden everywhere, kept for restore) or restores it. The caller has
/// already checked that the actor may see and change this row.
pub async fn set_deleted(
    db: &Db,
    actor: &Actor,
    kind: SoftDeletable,
    id: i64,
    deleted: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let now = Utc::now();
    let entry = AuditEntry::new(kind.action(deleted), kind.entity(), client)
        .tenant(actor.tenant_id)
        .actor(actor.user_id)
        .entity(id)
        .change("deleted", !deleted, deleted);
    let sql = format!(
        "UPDATE {} SET deleted_at = $1, updated_at = $2 WHERE id = $3 AND tenant_id = $4",
        kind.table()
    );
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(&sql)
            .bind(deleted.then_some(now))
            .bind(now)
            .bind(id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(())
}
