//! Raising live events: each is recorded (and on PostgreSQL sent) inside the caller's
//! transaction, so an event exists exactly when its change committed.

use super::{
    store::{EventStore, NewEvent, SendEvent},
    LiveEntity, LiveKind,
};
use chrono::{DateTime, Utc};

/// What a transaction needs to raise events.
pub trait Publish: EventStore + SendEvent {}
impl<T: EventStore + SendEvent> Publish for T {}

/// A deal was created, moved, given, edited, deleted or restored.
pub async fn deal_changed<C: Publish>(
    conn: &mut C,
    tenant_id: i64,
    deal_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    record_event(
        conn,
        LiveKind::Deal,
        LiveEntity::Deal,
        tenant_id,
        deal_id,
        now,
    )
    .await
}

/// A deal given away: its new owner's streams hear [`deal_changed`]; this tells the old owner's,
/// which the row no longer names.
pub async fn deal_left<C: Publish>(
    conn: &mut C,
    tenant_id: i64,
    deal_id: i64,
    old_owner: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let event = NewEvent {
        tenant_id,
        user_id: None,
        kind: LiveKind::Deal.as_str(),
        entity: Some(LiveEntity::Deal.as_str()),
        entity_id: Some(deal_id),
        owner_id: old_owner,
    };
    let stored = conn.insert_event(&event, now).await?;
    conn.send_event(&stored).await
}

/// A timeline entry was added to each of these records.
pub async fn timeline_added<C: Publish>(
    conn: &mut C,
    tenant_id: i64,
    records: [(LiveEntity, Option<i64>); 3],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for (entity, id) in records {
        if let Some(id) = id {
            record_event(conn, LiveKind::Timeline, entity, tenant_id, id, now).await?;
        }
    }
    Ok(())
}

/// The user has a new notification.
pub async fn notified<C: Publish>(
    conn: &mut C,
    tenant_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let event = NewEvent {
        tenant_id,
        user_id: Some(user_id),
        kind: LiveKind::Notification.as_str(),
        entity: None,
        entity_id: None,
        owner_id: None,
    };
    let stored = conn.insert_event(&event, now).await?;
    conn.send_event(&stored).await
}

async fn record_event<C: Publish>(
    conn: &mut C,
    kind: LiveKind,
    entity: LiveEntity,
    tenant_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if let Some(stored) = conn
        .insert_record_event(kind, entity, tenant_id, id, now)
        .await?
    {
        conn.send_event(&stored).await?;
    }
    Ok(())
}

/// The daily job that drops old outbox rows: replay covers a reconnect, not days offline.
pub const PRUNE_EVENTS: &str = "events.prune";
/// Outbox rows are kept this long.
pub const KEEP_EVENTS_HOURS: i64 = 24;

pub async fn prune_events_job(ctx: crate::jobs::registry::JobContext) -> anyhow::Result<()> {
    let before = ctx.now - chrono::Duration::hours(KEEP_EVENTS_HOURS);
    let deleted = crate::on_db!(&ctx.db, |pool| pool
        .acquire()
        .await?
        .delete_events_before(before)
        .await?);
    tracing::info!(deleted, "old live events deleted");
    Ok(())
}
