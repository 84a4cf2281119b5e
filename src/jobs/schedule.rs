//! Recurring jobs: a cron expression read in a timezone. Every instance ticks, and each due
//! schedule is moved to its next occurrence by compare-and-set in the same transaction that
//! enqueues the job for the occurrence it leaves, so N instances enqueue each occurrence once.
//! Occurrences missed while no instance ran are not made up for: the job runs once, late.

use super::{
    queue::Queue,
    schedule_store::ScheduleStore,
    store::{JobStore, WakeWorkers},
    NewJob,
};
use crate::{
    db::{BeginWrite, Db},
    on_db,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use std::{str::FromStr, time::Duration};
use tokio::sync::watch;

/// A schedule as the code declares it; `name` is its identity.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleSpec {
    pub name: String,
    pub tenant_id: Option<i64>,
    pub kind: String,
    pub payload: serde_json::Value,
    /// Five fields: minute hour day-of-month month day-of-week.
    pub cron: String,
    /// An IANA name, e.g. `Europe/Berlin`.
    pub timezone: String,
}

/// A stored schedule.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Schedule {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub cron: String,
    pub timezone: String,
    pub next_run_at: DateTime<Utc>,
}

/// Why a schedule cannot be read: names the field.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ScheduleError {
    #[error("cron: '{0}' is not a five-field cron expression: {1}")]
    Cron(String, String),
    #[error("timezone: '{0}' is not an IANA timezone name (e.g. Europe/Berlin)")]
    Timezone(String),
    #[error("cron: '{0}' has no occurrence after {1}")]
    NoOccurrence(String, DateTime<Utc>),
}

/// The first occurrence strictly after `after`, read in `timezone`. A time skipped by a DST
/// change runs just after the gap; a time that happens twice runs once.
pub fn next_occurrence(
    cron: &str,
    timezone: &str,
    after: DateTime<Utc>,
) -> Result<DateTime<Utc>, ScheduleError> {
    let tz = Tz::from_str(timezone).map_err(|_| ScheduleError::Timezone(timezone.into()))?;
    let parsed =
        Cron::from_str(cron).map_err(|e| ScheduleError::Cron(cron.into(), e.to_string()))?;
    parsed
        .find_next_occurrence(&after.with_timezone(&tz), false)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| ScheduleError::NoOccurrence(cron.into(), after))
}

#[derive(Debug, thiserror::Error)]
pub enum TickError {
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Adds or updates a schedule, its first run the next occurrence after `now`.
pub async fn ensure_schedule(
    db: &Db,
    spec: &ScheduleSpec,
    now: DateTime<Utc>,
) -> Result<(), TickError> {
    let next = next_occurrence(&spec.cron, &spec.timezone, now)?;
    on_db!(db, |pool| {
        pool.acquire()
            .await?
            .upsert_schedule(spec, next, now)
            .await?;
    });
    Ok(())
}

/// Enqueues one job for every due schedule this instance wins, and moves each on. Answers the
/// ids of the jobs it enqueued.
pub async fn tick(queue: &Queue) -> Result<Vec<i64>, TickError> {
    let now = queue.clock.now();
    let due = on_db!(&queue.db, |pool| pool
        .acquire()
        .await?
        .due_schedules(now)
        .await?);
    let mut enqueued = Vec::new();
    for schedule in due {
        let next = match next_occurrence(&schedule.cron, &schedule.timezone, now) {
            Ok(next) => next,
            Err(e) => {
                // One broken row must not stop the others.
                tracing::warn!(schedule = %schedule.name, error = %e, "schedule skipped");
                continue;
            }
        };
        let occurrence = schedule.next_run_at;
        let mut job = NewJob::new(schedule.kind.clone(), occurrence)
            .with_payload(schedule.payload.clone())
            .once_per(format!(
                "schedule:{}:{}",
                schedule.id,
                occurrence.to_rfc3339()
            ));
        job.tenant_id = schedule.tenant_id;
        let id = on_db!(&queue.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut id = None;
            if tx
                .advance_schedule(schedule.id, occurrence, next, now)
                .await?
            {
                id = tx.insert_job(&job, now).await?;
                tx.wake_workers().await?;
            }
            tx.commit().await?;
            id
        });
        enqueued.extend(id);
    }
    if !enqueued.is_empty() {
        queue.wake_local();
    }
    Ok(enqueued)
}

/// Ticks until `stop` turns true: at the earliest next run, at least every `poll`.
pub async fn run_scheduler(queue: Queue, poll: Duration, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if let Err(e) = tick(&queue).await {
            tracing::warn!(error = %e, "scheduler tick failed");
        }
        let next = on_db!(&queue.db, |pool| match pool.acquire().await {
            Ok(mut conn) => conn.next_schedule_at().await.ok().flatten(),
            Err(_) => None,
        });
        let wait = next
            .and_then(|at| (at - queue.clock.now()).to_std().ok())
            .map_or(poll, |until| until.min(poll));
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
    }
}
