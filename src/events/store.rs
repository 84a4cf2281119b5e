//! The live events outbox's SQL, as one trait for both backends.

use super::{LiveEntity, LiveKind, StoredEvent};
use crate::impl_for_backends;
use chrono::{DateTime, Utc};
use std::future::Future;

/// The PostgreSQL channel events are sent on (the row as JSON, well under the 8000-byte limit).
pub const EVENTS_CHANNEL: &str = "crm_events";

/// An event to record; its id comes from the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub tenant_id: i64,
    pub user_id: Option<i64>,
    pub kind: &'static str,
    pub entity: Option<&'static str>,
    pub entity_id: Option<i64>,
    pub owner_id: Option<i64>,
}

const SELECT: &str =
    "SELECT id, tenant_id, user_id, kind, entity, entity_id, owner_id FROM live_events WHERE ";

pub trait EventStore {
    /// Writes the row (and on PostgreSQL sends it at commit); answers it with its id.
    fn insert_event(
        &mut self,
        event: &NewEvent,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<StoredEvent, sqlx::Error>> + Send;

    /// Records `kind` about the tenant's record `id`, with the record's owner as it is now in
    /// this transaction; `None` when there is no such record.
    fn insert_record_event(
        &mut self,
        kind: LiveKind,
        entity: LiveEntity,
        tenant_id: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<StoredEvent>, sqlx::Error>> + Send;

    /// The tenant's events after `after`, oldest first, at most `limit`.
    fn tenant_events_after(
        &mut self,
        tenant_id: i64,
        after: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<StoredEvent>, sqlx::Error>> + Send;

    /// Every tenant's events after `after` (the SQLite tailer), oldest first.
    fn events_after(
        &mut self,
        after: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<StoredEvent>, sqlx::Error>> + Send;

    /// The active users of a team, whose records a supervisor's stream follows.
    fn team_members(
        &mut self,
        tenant_id: i64,
        team_id: i64,
    ) -> impl Future<Output = Result<Vec<i64>, sqlx::Error>> + Send;

    /// The newest event's id, 0 when there is none.
    fn last_event_id(&mut self) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// Deletes events older than `before` (replay covers a reconnect, not a week offline).
    fn delete_events_before(
        &mut self,
        before: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl EventStore {
        async fn insert_event(
            &mut self,
            event: &NewEvent,
            now: DateTime<Utc>,
        ) -> Result<StoredEvent, sqlx::Error> {
            sqlx::query_as(
                "INSERT INTO live_events (tenant_id, user_id, kind, entity, entity_id, owner_id, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 RETURNING id, tenant_id, user_id, kind, entity, entity_id, owner_id",
            )
            .bind(event.tenant_id)
            .bind(event.user_id)
            .bind(event.kind)
            .bind(event.entity)
            .bind(event.entity_id)
            .bind(event.owner_id)
            .bind(now)
            .fetch_one(&mut *self)
            .await
        }

        async fn insert_record_event(
            &mut self,
            kind: LiveKind,
            entity: LiveEntity,
            tenant_id: i64,
            id: i64,
            now: DateTime<Utc>,
        ) -> Result<Option<StoredEvent>, sqlx::Error> {
            let table = match entity {
                LiveEntity::Contact => "contacts",
                LiveEntity::Company => "companies",
                LiveEntity::Deal => "deals",
            };
            sqlx::query_as(&format!(
                "INSERT INTO live_events (tenant_id, kind, entity, entity_id, owner_id, created_at)
                 SELECT tenant_id, $1, $2, id, owner_id, $3 FROM {table}
                 WHERE tenant_id = $4 AND id = $5
                 RETURNING id, tenant_id, user_id, kind, entity, entity_id, owner_id"
            ))
            .bind(kind.as_str())
            .bind(entity.as_str())
            .bind(now)
            .bind(tenant_id)
            .bind(id)
            .fetch_optional(&mut *self)
            .await
        }

        async fn tenant_events_after(
            &mut self,
            tenant_id: i64,
            after: i64,
            limit: i64,
        ) -> Result<Vec<StoredEvent>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT} tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3"))
                .bind(tenant_id)
                .bind(after)
                .bind(limit)
                .fetch_all(&mut *self)
                .await
        }

        async fn events_after(
            &mut self,
            after: i64,
            limit: i64,
        ) -> Result<Vec<StoredEvent>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT} id > $1 ORDER BY id LIMIT $2"))
                .bind(after)
                .bind(limit)
                .fetch_all(&mut *self)
                .await
        }

        async fn team_members(&mut self, tenant_id: i64, team_id: i64) -> Result<Vec<i64>, sqlx::Error> {
            sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1 AND team_id = $2")
                .bind(tenant_id)
                .bind(team_id)
                .fetch_all(&mut *self)
                .await
        }

        async fn last_event_id(&mut self) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM live_events")
                .fetch_one(&mut *self)
                .await
        }

        async fn delete_events_before(&mut self, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
            Ok(sqlx::query("DELETE FROM live_events WHERE created_at < $1")
                .bind(before)
                .execute(&mut *self)
                .await?
                .rows_affected())
        }
    }
}

/// Sends a recorded event to every instance once the writing transaction commits: on
/// PostgreSQL by NOTIFY (delivered at commit, in commit order, never after a rollback); SQLite
/// has one instance, whose tailer reads the outbox (its one writer commits in id order).
pub trait SendEvent {
    fn send_event(
        &mut self,
        event: &StoredEvent,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl SendEvent for sqlx::PgConnection {
    async fn send_event(&mut self, event: &StoredEvent) -> Result<(), sqlx::Error> {
        let payload = serde_json::to_string(event).unwrap_or_default();
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(EVENTS_CHANNEL)
            .bind(payload)
            .execute(&mut *self)
            .await
            .map(|_| ())
    }
}

impl SendEvent for sqlx::SqliteConnection {
    async fn send_event(&mut self, _event: &StoredEvent) -> Result<(), sqlx::Error> {
        Ok(())
    }
}
