//! The schedules' SQL, for both backends.

use super::schedule::{Schedule, ScheduleSpec};
use crate::impl_for_backends;
use chrono::{DateTime, Utc};
use std::future::Future;

pub trait ScheduleStore {
    /// Adds the schedule, or brings its kind, payload, cron and timezone up to date; its next run
    /// only changes when the cron or the timezone did.
    fn upsert_schedule(
        &mut self,
        spec: &ScheduleSpec,
        next_run_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The schedules due at `now`.
    fn due_schedules(
        &mut self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<Schedule>, sqlx::Error>> + Send;

    /// Moves a schedule from the occurrence `from` to `to`, only if no one else moved it first.
    fn advance_schedule(
        &mut self,
        id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    fn schedules(&mut self) -> impl Future<Output = Result<Vec<Schedule>, sqlx::Error>> + Send;

    /// The earliest next run of any schedule.
    fn next_schedule_at(
        &mut self,
    ) -> impl Future<Output = Result<Option<DateTime<Utc>>, sqlx::Error>> + Send;
}

const SELECT: &str = "SELECT id, tenant_id, name, kind, payload, cron, timezone, next_run_at
    FROM job_schedules ";

impl_for_backends! {
    impl ScheduleStore {
        async fn upsert_schedule(
            &mut self,
            spec: &ScheduleSpec,
            next_run_at: DateTime<Utc>,
            now: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO job_schedules
                     (tenant_id, name, kind, payload, cron, timezone, next_run_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
                 ON CONFLICT (name) DO UPDATE SET
                     kind = excluded.kind, payload = excluded.payload,
                     next_run_at = CASE
                         WHEN job_schedules.cron <> excluded.cron
                           OR job_schedules.timezone <> excluded.timezone
                         THEN excluded.next_run_at ELSE job_schedules.next_run_at END,
                     cron = excluded.cron, timezone = excluded.timezone, updated_at = excluded.updated_at",
            )
            .bind(spec.tenant_id)
            .bind(&spec.name)
            .bind(&spec.kind)
            .bind(sqlx::types::Json(&spec.payload))
            .bind(&spec.cron)
            .bind(&spec.timezone)
            .bind(next_run_at)
            .bind(now)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn due_schedules(&mut self, now: DateTime<Utc>) -> Result<Vec<Schedule>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT} WHERE next_run_at <= $1 ORDER BY next_run_at, id"))
                .bind(now)
                .fetch_all(&mut *self)
                .await
        }

        async fn advance_schedule(
            &mut self,
            id: i64,
            from: DateTime<Utc>,
            to: DateTime<Utc>,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            Ok(sqlx::query(
                "UPDATE job_schedules SET next_run_at = $3, updated_at = $4
                 WHERE id = $1 AND next_run_at = $2",
            )
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(now)
            .execute(&mut *self)
            .await?
            .rows_affected()
                == 1)
        }

        async fn schedules(&mut self) -> Result<Vec<Schedule>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT} ORDER BY name"))
                .fetch_all(&mut *self)
                .await
        }

        async fn next_schedule_at(&mut self) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
            sqlx::query_scalar("SELECT MIN(next_run_at) FROM job_schedules")
                .fetch_one(&mut *self)
                .await
        }
    }
}
