//! The notifications' SQL, as one trait for both backends. Writes run inside the transaction of
//! the change they tell about; the reminder queries span every tenant (the jobs' own sweep).

use super::{Notification, NotificationAbout, NotificationKind};
use crate::{auth::scope::Visible, impl_for_backends};
use chrono::{DateTime, Utc};
use sqlx::{Database, QueryBuilder};
use std::future::Future;

/// A notification to write for one user.
#[derive(Clone, Debug, PartialEq)]
pub struct NewNotification {
    pub tenant_id: i64,
    pub user_id: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub about: Option<(NotificationAbout, i64)>,
    /// A second notification with the same key for the same user is not written.
    pub dedup_key: Option<String>,
}

/// A pending follow-up coming due, across tenants, for the reminder job.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct DueTask {
    pub id: i64,
    pub tenant_id: i64,
    pub assignee_id: i64,
    pub title: String,
    pub due_at: DateTime<Utc>,
}

/// An active user of an active tenant and the timezone their day runs in.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct UserClock {
    pub user_id: i64,
    pub tenant_id: i64,
    pub timezone: String,
}

const SELECT: &str = "SELECT n.id, n.kind, n.title, n.body, n.link, n.created_at, n.read_at
    FROM notifications n WHERE ";

/// Appends the reader's own rows that are about nothing, or about a record `visible` covers.
fn push_readable<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    visible: Visible,
    tenant_id: i64,
    user_id: i64,
) where
    i64: 'a + sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query
        .push("n.tenant_id = ")
        .push_bind(tenant_id)
        .push(" AND n.user_id = ")
        .push_bind(user_id)
        .push(" AND (n.entity IS NULL");
    // (entity word, table, alias, owner column, has soft delete)
    let records = [
        (
            NotificationAbout::Contact,
            "contacts",
            "c",
            "owner_id",
            true,
        ),
        (NotificationAbout::Deal, "deals", "d", "owner_id", true),
        (NotificationAbout::Task, "tasks", "t", "assignee_id", false),
        (NotificationAbout::Call, "calls", "k", "user_id", false),
    ];
    for (about, table, alias, owner, soft_deleted) in records {
        query.push(format!(
            " OR (n.entity = '{}' AND EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.id = n.entity_id AND ",
            about.as_str()
        ));
        visible.push(query, alias, owner);
        if soft_deleted {
            query.push(format!(" AND {alias}.deleted_at IS NULL"));
        }
        query.push("))");
    }
    query.push(")");
}

pub trait NotificationStore {
    /// Writes it unless the user muted its kind or has one with its dedup key: `None` then.
    fn insert_notification(
        &mut self,
        notification: &NewNotification,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<i64>, sqlx::Error>> + Send;

    /// The user's newest notifications that `visible` (theirs) still lets them see.
    fn notifications_of(
        &mut self,
        visible: Visible,
        tenant_id: i64,
        user_id: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Notification>, sqlx::Error>> + Send;

    fn unread_count(
        &mut self,
        visible: Visible,
        tenant_id: i64,
        user_id: i64,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// Marks one of the user's own notifications read; false when it is not theirs.
    fn mark_read(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    fn mark_all_read(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    fn muted_kinds(
        &mut self,
        tenant_id: i64,
        user_id: i64,
    ) -> impl Future<Output = Result<Vec<String>, sqlx::Error>> + Send;

    fn set_muted(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        kind: NotificationKind,
        muted: bool,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Pending tasks of active tenants due in `[from, to)`, after `(due_at, id)`, soonest first.
    fn tasks_due_between(
        &mut self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: Option<(DateTime<Utc>, i64)>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<DueTask>, sqlx::Error>> + Send;

    /// Every active user of an active tenant, with their timezone (else the tenant's).
    fn active_user_clocks(
        &mut self,
    ) -> impl Future<Output = Result<Vec<UserClock>, sqlx::Error>> + Send;

    /// One user's, if they and their tenant are active.
    fn user_clock(
        &mut self,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<UserClock>, sqlx::Error>> + Send;
}

const CLOCKS: &str = "SELECT u.id AS user_id, u.tenant_id,
        COALESCE(NULLIF(u.timezone, ''), te.timezone) AS timezone
    FROM users u JOIN tenants te ON te.id = u.tenant_id
    WHERE u.is_active = TRUE AND te.status = 'active'";

impl_for_backends! {
    impl NotificationStore {
        async fn insert_notification(
            &mut self,
            n: &NewNotification,
            now: DateTime<Utc>,
        ) -> Result<Option<i64>, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO notifications
                     (tenant_id, user_id, kind, title, body, link, entity, entity_id, dedup_key, created_at)
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
                 WHERE NOT EXISTS (SELECT 1 FROM notification_mutes m
                                   WHERE m.user_id = $2 AND m.kind = $3)
                 ON CONFLICT (user_id, dedup_key) DO NOTHING
                 RETURNING id",
            )
            .bind(n.tenant_id)
            .bind(n.user_id)
            .bind(n.kind.as_str())
            .bind(&n.title)
            .bind(&n.body)
            .bind(&n.link)
            .bind(n.about.map(|(about, _)| about.as_str()))
            .bind(n.about.map(|(_, id)| id))
            .bind(&n.dedup_key)
            .bind(now)
            .fetch_optional(&mut *self)
            .await
        }

        async fn notifications_of(
            &mut self,
            visible: Visible,
            tenant_id: i64,
            user_id: i64,
            limit: i64,
        ) -> Result<Vec<Notification>, sqlx::Error> {
            let mut query = QueryBuilder::new(SELECT);
            push_readable(&mut query, visible, tenant_id, user_id);
            query.push(" ORDER BY n.id DESC LIMIT ").push_bind(limit);
            query.build_query_as().fetch_all(&mut *self).await
        }

        async fn unread_count(
            &mut self,
            visible: Visible,
            tenant_id: i64,
            user_id: i64,
        ) -> Result<i64, sqlx::Error> {
            let mut query = QueryBuilder::new("SELECT COUNT(*) FROM notifications n WHERE ");
            push_readable(&mut query, visible, tenant_id, user_id);
            query.push(" AND n.read_at IS NULL");
            query.build_query_scalar().fetch_one(&mut *self).await
        }

        async fn mark_read(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            id: i64,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            let done = sqlx::query(
                "UPDATE notifications SET read_at = COALESCE(read_at, $1)
                 WHERE id = $2 AND tenant_id = $3 AND user_id = $4",
            )
            .bind(now)
            .bind(id)
            .bind(tenant_id)
            .bind(user_id)
            .execute(&mut *self)
            .await?;
            Ok(done.rows_affected() == 1)
        }

        async fn mark_all_read(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            now: DateTime<Utc>,
        ) -> Result<u64, sqlx::Error> {
            let done = sqlx::query(
                "UPDATE notifications SET read_at = $1
                 WHERE tenant_id = $2 AND user_id = $3 AND read_at IS NULL",
            )
            .bind(now)
            .bind(tenant_id)
            .bind(user_id)
            .execute(&mut *self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn muted_kinds(
            &mut self,
            tenant_id: i64,
            user_id: i64,
        ) -> Result<Vec<String>, sqlx::Error> {
            sqlx::query_scalar(
                "SELECT kind FROM notification_mutes WHERE tenant_id = $1 AND user_id = $2
                 ORDER BY kind",
            )
            .bind(tenant_id)
            .bind(user_id)
            .fetch_all(&mut *self)
            .await
        }

        async fn set_muted(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            kind: NotificationKind,
            muted: bool,
        ) -> Result<(), sqlx::Error> {
            let statement = if muted {
                "INSERT INTO notification_mutes (tenant_id, user_id, kind) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id, kind) DO NOTHING"
            } else {
                "DELETE FROM notification_mutes WHERE tenant_id = $1 AND user_id = $2 AND kind = $3"
            };
            sqlx::query(statement)
                .bind(tenant_id)
                .bind(user_id)
                .bind(kind.as_str())
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn tasks_due_between(
            &mut self,
            from: DateTime<Utc>,
            to: DateTime<Utc>,
            after: Option<(DateTime<Utc>, i64)>,
            limit: i64,
        ) -> Result<Vec<DueTask>, sqlx::Error> {
            let (after_due, after_id) = after.unwrap_or((from, 0));
            sqlx::query_as(
                "SELECT t.id, t.tenant_id, t.assignee_id, t.title, t.due_at
                 FROM tasks t
                 JOIN tenants te ON te.id = t.tenant_id AND te.status = 'active'
                 JOIN users u ON u.id = t.assignee_id AND u.is_active = TRUE
                 WHERE t.status = 'pending' AND t.due_at >= $1 AND t.due_at < $2
                   AND (t.due_at, t.id) > ($3, $4)
                 ORDER BY t.due_at, t.id LIMIT $5",
            )
            .bind(from)
            .bind(to)
            .bind(after_due)
            .bind(after_id)
            .bind(limit)
            .fetch_all(&mut *self)
            .await
        }

        async fn active_user_clocks(&mut self) -> Result<Vec<UserClock>, sqlx::Error> {
            sqlx::query_as(&format!("{CLOCKS} ORDER BY u.id"))
                .fetch_all(&mut *self)
                .await
        }

        async fn user_clock(&mut self, user_id: i64) -> Result<Option<UserClock>, sqlx::Error> {
            sqlx::query_as(&format!("{CLOCKS} AND u.id = $1"))
                .bind(user_id)
                .fetch_optional(&mut *self)
                .await
        }
    }
}
