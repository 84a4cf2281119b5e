//! The SQL every owned record shares: one by id within the actor's scope, "exists in tenant",
//! and soft deletion. Runs on a connection or inside the caller's transaction.

use super::SoftDeletable;
use crate::{auth::scope::Visible, impl_for_backends};
use chrono::{DateTime, Utc};
use std::future::Future;

/// Rows that both backends can decode into `T`.
pub trait FromRows:
    Send
    + Unpin
    + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
{
}

impl<T> FromRows for T where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
{
}

/// A record a bulk action found, with what its timeline and notifications name.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OwnedRecord {
    pub id: i64,
    pub label: String,
    pub owner_id: i64,
    pub owner_name: Option<String>,
}

pub trait RecordStore {
    /// One record by id, if `visible` covers it: `select` ends in `WHERE `, `alias` names the
    /// record's table in it. Deleted rows are found only when `deleted` asks for them.
    fn visible_record<T: FromRows>(
        &mut self,
        select: &str,
        alias: &str,
        visible: Visible,
        id: i64,
        deleted: bool,
    ) -> impl Future<Output = Result<Option<T>, sqlx::Error>> + Send;

    /// Whether the tenant has a live record of `kind` with this id (a link target).
    fn record_exists(
        &mut self,
        kind: SoftDeletable,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// The owners (id and name) of the live records among `ids` that `visible` covers, by id.
    fn visible_owners(
        &mut self,
        kind: SoftDeletable,
        visible: Visible,
        ids: &[i64],
    ) -> impl Future<Output = Result<Vec<OwnedRecord>, sqlx::Error>> + Send;

    /// Gives the record a new owner (a deal a new version too, so open boards notice).
    fn set_owner(
        &mut self,
        kind: SoftDeletable,
        tenant_id: i64,
        id: i64,
        owner_id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Hides the row everywhere (kept for restore), or restores it.
    fn mark_deleted(
        &mut self,
        kind: SoftDeletable,
        tenant_id: i64,
        id: i64,
        deleted_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Rows of every tenant with a phone but no E.164 form yet (saved before phones were
    /// normalised), after `after_id` in id order: (id, phone as typed, the tenant's country).
    fn phones_without_e164(
        &mut self,
        kind: SoftDeletable,
        after_id: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<(i64, String, String)>, sqlx::Error>> + Send;

    fn set_phone_e164(
        &mut self,
        kind: SoftDeletable,
        id: i64,
        e164: &str,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl RecordStore {
        async fn visible_record<T: FromRows>(
            &mut self,
            select: &str,
            alias: &str,
            visible: Visible,
            id: i64,
            deleted: bool,
        ) -> Result<Option<T>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(select);
            query.push(format!("{alias}.id = ")).push_bind(id);
            query.push(format!(
                " AND {alias}.deleted_at IS {}NULL AND ",
                if deleted { "NOT " } else { "" }
            ));
            visible.push(&mut query, alias, "owner_id");
            query.build_query_as::<T>().fetch_optional(&mut *self).await
        }

        async fn record_exists(
            &mut self,
            kind: SoftDeletable,
            tenant_id: i64,
            id: i64,
        ) -> Result<bool, sqlx::Error> {
            let sql = format!(
                "SELECT COUNT(*) FROM {} WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL",
                kind.table()
            );
            let count: i64 = sqlx::query_scalar(&sql)
                .bind(id)
                .bind(tenant_id)
                .fetch_one(&mut *self)
                .await?;
            Ok(count > 0)
        }

        async fn visible_owners(
            &mut self,
            kind: SoftDeletable,
            visible: Visible,
            ids: &[i64],
        ) -> Result<Vec<OwnedRecord>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(format!(
                "SELECT r.id, r.{} AS label, r.owner_id, u.name AS owner_name
                FROM {} r LEFT JOIN users u ON u.id = r.owner_id
                WHERE r.id IN (",
                kind.label_column(),
                kind.table()
            ));
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            query.push(") AND r.deleted_at IS NULL AND ");
            visible.push(&mut query, "r", "owner_id");
            query.build_query_as().fetch_all(&mut *self).await
        }

        async fn set_owner(
            &mut self,
            kind: SoftDeletable,
            tenant_id: i64,
            id: i64,
            owner_id: i64,
            now: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            let bump = if kind == SoftDeletable::Deal {
                ", version = version + 1"
            } else {
                ""
            };
            let sql = format!(
                "UPDATE {} SET owner_id = $1, updated_at = $2{bump} WHERE id = $3 AND tenant_id = $4",
                kind.table()
            );
            sqlx::query(&sql)
                .bind(owner_id)
                .bind(now)
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn mark_deleted(
            &mut self,
            kind: SoftDeletable,
            tenant_id: i64,
            id: i64,
            deleted_at: Option<DateTime<Utc>>,
            now: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            let sql = format!(
                "UPDATE {} SET deleted_at = $1, updated_at = $2 WHERE id = $3 AND tenant_id = $4",
                kind.table()
            );
            sqlx::query(&sql)
                .bind(deleted_at)
                .bind(now)
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn phones_without_e164(
            &mut self,
            kind: SoftDeletable,
            after_id: i64,
            limit: i64,
        ) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
            let sql = format!(
                "SELECT r.id, r.phone, t.default_country FROM {} r JOIN tenants t ON t.id = r.tenant_id
                 WHERE r.phone IS NOT NULL AND r.phone_e164 IS NULL AND r.id > $1
                 ORDER BY r.id LIMIT $2",
                kind.table()
            );
            sqlx::query_as(&sql)
                .bind(after_id)
                .bind(limit)
                .fetch_all(&mut *self)
                .await
        }

        async fn set_phone_e164(
            &mut self,
            kind: SoftDeletable,
            id: i64,
            e164: &str,
        ) -> Result<(), sqlx::Error> {
            // Only where still unset: an edit saved meanwhile has its own, newer value.
            let sql = format!(
                "UPDATE {} SET phone_e164 = $1 WHERE id = $2 AND phone_e164 IS NULL",
                kind.table()
            );
            sqlx::query(&sql)
                .bind(e164)
                .bind(id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }
    }
}
