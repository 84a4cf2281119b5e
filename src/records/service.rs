//! Finding a record the actor may see, and soft deletion with its audit entry in one transaction.

use super::SoftDeletable;
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
};
use chrono::Utc;

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
    let entry = AuditEntry::by(actor, kind.action(deleted), kind.entity(), client)
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
