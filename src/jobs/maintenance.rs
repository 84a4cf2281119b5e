//! The queue's own upkeep, and what every instance with workers runs: the handlers and the
//! schedules that exist whatever the tenants do.

use super::{
    queue::Queue,
    registry::{JobContext, Registry},
    schedule::{ensure_schedule, ScheduleSpec, TickError},
    store::JobStore,
};
use crate::on_db;
use chrono::Duration;

/// Succeeded jobs are kept this long (their dedup keys with them), then deleted.
pub const KEEP_SUCCEEDED_DAYS: i64 = 14;

pub const PRUNE_JOBS: &str = "jobs.prune";

/// Deletes succeeded jobs older than [`KEEP_SUCCEEDED_DAYS`]. Idempotent.
async fn prune_jobs(ctx: JobContext) -> anyhow::Result<()> {
    let before = ctx.now - Duration::days(KEEP_SUCCEEDED_DAYS);
    let deleted = on_db!(&ctx.db, |pool| pool
        .acquire()
        .await?
        .delete_succeeded_before(before)
        .await?);
    tracing::info!(deleted, "old succeeded jobs deleted");
    Ok(())
}

/// The queue's own handlers.
pub fn registry() -> Registry {
    Registry::new().on(PRUNE_JOBS, prune_jobs)
}

/// An installation-wide schedule in UTC.
pub fn every(kind: &str, cron: &str) -> ScheduleSpec {
    ScheduleSpec {
        name: kind.into(),
        tenant_id: None,
        kind: kind.into(),
        payload: serde_json::json!({}),
        cron: cron.into(),
        timezone: "UTC".into(),
    }
}

/// Declares the installation-wide schedules (every instance declares the same ones at start;
/// each occurrence still runs once).
pub async fn ensure_schedules(queue: &Queue, specs: &[ScheduleSpec]) -> Result<(), TickError> {
    for spec in specs {
        ensure_schedule(&queue.db, spec, queue.clock.now()).await?;
    }
    Ok(())
}
