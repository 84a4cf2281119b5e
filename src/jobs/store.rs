//! All of the queue's SQL, as one trait for both backends. The claim is one statement, so two
//! workers can never take the same job: PostgreSQL locks the chosen row and skips rows other
//! workers hold (`FOR UPDATE SKIP LOCKED`); SQLite runs one writing statement at a time.

use super::{ClaimedJob, Job, JobStatus, NewJob};
use crate::impl_for_backends;
use chrono::{DateTime, Utc};
use std::future::Future;

const CLAIM_SQLITE: &str = "UPDATE jobs
    SET status = 'running', attempts = attempts + 1, lease_token = $1, lease_until = $2,
        updated_at = $3
    WHERE id = (SELECT id FROM jobs
                WHERE (status = 'queued' AND run_at <= $3)
                   OR (status = 'running' AND lease_until < $3 AND attempts < max_attempts)
                ORDER BY run_at, id LIMIT 1)
    RETURNING id, tenant_id, kind, payload, attempts, max_attempts, lease_token";

const CLAIM_POSTGRES: &str = "UPDATE jobs
    SET status = 'running', attempts = attempts + 1, lease_token = $1, lease_until = $2,
        updated_at = $3
    WHERE id = (SELECT id FROM jobs
                WHERE (status = 'queued' AND run_at <= $3)
                   OR (status = 'running' AND lease_until < $3 AND attempts < max_attempts)
                ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, tenant_id, kind, payload, attempts, max_attempts, lease_token";

const SELECT: &str = "SELECT id, tenant_id, kind, status, run_at, attempts, max_attempts,
        last_error, created_at, finished_at
    FROM jobs ";

/// Appends ` AND tenant_id = …` when the caller acts for one tenant.
fn of_tenant<'a, DB: sqlx::Database>(query: &mut sqlx::QueryBuilder<'a, DB>, tenant: Option<i64>)
where
    i64: 'a + sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let Some(tenant_id) = tenant {
        query.push(" AND tenant_id = ").push_bind(tenant_id);
    }
}

pub trait JobStore {
    /// Adds the job; `None` when its dedup key was used before (nothing is written).
    fn insert_job(
        &mut self,
        job: &NewJob,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<i64>, sqlx::Error>> + Send;

    /// Takes the next due job (or one whose worker's lease ran out) under a new lease.
    fn claim_job(
        &mut self,
        token: &str,
        lease_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<ClaimedJob>, sqlx::Error>> + Send;

    /// Parks running jobs whose lease ran out on their last attempt (their worker died every
    /// time): they are not claimed again.
    fn park_abandoned_jobs(
        &mut self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    /// Moves the lease on; false when this worker no longer holds it.
    fn extend_lease(
        &mut self,
        id: i64,
        token: &str,
        lease_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// Records the end of a run held under `token`: succeeded, queued again for `retry_at`, or
    /// failed. False when the lease had passed to another worker (nothing written).
    fn finish_job(
        &mut self,
        id: i64,
        token: &str,
        status: JobStatus,
        retry_at: Option<DateTime<Utc>>,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// The jobs in `status`, newest first, at most `limit`: one tenant's (`Some`), or every
    /// job of the installation (`None`: the operator's CLI).
    fn jobs_in(
        &mut self,
        tenant: Option<i64>,
        status: JobStatus,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Job>, sqlx::Error>> + Send;

    fn job(&mut self, id: i64) -> impl Future<Output = Result<Option<Job>, sqlx::Error>> + Send;

    /// Queues a failed job again with fresh attempts; false when it is not failed (or not the
    /// tenant's).
    fn requeue_failed(
        &mut self,
        tenant: Option<i64>,
        id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// Removes a failed job; false when it is not failed (or not the tenant's).
    fn delete_failed(
        &mut self,
        tenant: Option<i64>,
        id: i64,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// How many jobs are in each status (of one tenant, or all).
    fn job_counts(
        &mut self,
        tenant: Option<i64>,
    ) -> impl Future<Output = Result<Vec<(String, i64)>, sqlx::Error>> + Send;

    /// Deletes succeeded jobs finished before `before` (failed ones stay for an admin).
    fn delete_succeeded_before(
        &mut self,
        before: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    /// The earliest run_at of a queued job, so an idle worker knows when to look again.
    fn next_run_at(
        &mut self,
    ) -> impl Future<Output = Result<Option<DateTime<Utc>>, sqlx::Error>> + Send;
}

/// The claim statement of the connection's backend.
trait ClaimSql {
    const CLAIM: &'static str;
}
impl ClaimSql for sqlx::SqliteConnection {
    const CLAIM: &'static str = CLAIM_SQLITE;
}
impl ClaimSql for sqlx::PgConnection {
    const CLAIM: &'static str = CLAIM_POSTGRES;
}

impl_for_backends! {
    impl JobStore {
        async fn insert_job(&mut self, job: &NewJob, now: DateTime<Utc>) -> Result<Option<i64>, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO jobs (tenant_id, kind, payload, dedup_key, run_at, max_attempts, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                 ON CONFLICT (dedup_key) DO NOTHING
                 RETURNING id",
            )
            .bind(job.tenant_id)
            .bind(&job.kind)
            .bind(sqlx::types::Json(&job.payload))
            .bind(job.dedup_key.as_deref())
            .bind(job.run_at)
            .bind(job.max_attempts)
            .bind(now)
            .fetch_optional(&mut *self)
            .await
        }

        async fn claim_job(
            &mut self,
            token: &str,
            lease_until: DateTime<Utc>,
            now: DateTime<Utc>,
        ) -> Result<Option<ClaimedJob>, sqlx::Error> {
            sqlx::query_as(<Self as ClaimSql>::CLAIM)
                .bind(token)
                .bind(lease_until)
                .bind(now)
                .fetch_optional(&mut *self)
                .await
        }

        async fn park_abandoned_jobs(&mut self, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
            Ok(sqlx::query(
                "UPDATE jobs SET status = 'failed', lease_token = NULL, lease_until = NULL,
                     last_error = 'the worker stopped during every attempt (its lease ran out)',
                     finished_at = $1, updated_at = $1
                 WHERE status = 'running' AND lease_until < $1 AND attempts >= max_attempts",
            )
            .bind(now)
            .execute(&mut *self)
            .await?
            .rows_affected())
        }

        async fn extend_lease(
            &mut self,
            id: i64,
            token: &str,
            lease_until: DateTime<Utc>,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            Ok(sqlx::query(
                "UPDATE jobs SET lease_until = $3, updated_at = $4
                 WHERE id = $1 AND lease_token = $2 AND status = 'running'",
            )
            .bind(id)
            .bind(token)
            .bind(lease_until)
            .bind(now)
            .execute(&mut *self)
            .await?
            .rows_affected()
                == 1)
        }

        async fn finish_job(
            &mut self,
            id: i64,
            token: &str,
            status: JobStatus,
            retry_at: Option<DateTime<Utc>>,
            error: Option<&str>,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            let finished = (status != JobStatus::Queued).then_some(now);
            Ok(sqlx::query(
                "UPDATE jobs
                 SET status = $3, run_at = COALESCE($4, run_at), last_error = COALESCE($5, last_error),
                     lease_token = NULL, lease_until = NULL, finished_at = $6, updated_at = $7
                 WHERE id = $1 AND lease_token = $2 AND status = 'running'",
            )
            .bind(id)
            .bind(token)
            .bind(status.as_str())
            .bind(retry_at)
            .bind(error)
            .bind(finished)
            .bind(now)
            .execute(&mut *self)
            .await?
            .rows_affected()
                == 1)
        }

        async fn jobs_in(
            &mut self,
            tenant: Option<i64>,
            status: JobStatus,
            limit: i64,
        ) -> Result<Vec<Job>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(format!("{SELECT} WHERE status = "));
            query.push_bind(status.as_str());
            of_tenant(&mut query, tenant);
            query.push(" ORDER BY updated_at DESC, id DESC LIMIT ").push_bind(limit);
            query.build_query_as().fetch_all(&mut *self).await
        }

        async fn job(&mut self, id: i64) -> Result<Option<Job>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut *self)
                .await
        }

        async fn requeue_failed(
            &mut self,
            tenant: Option<i64>,
            id: i64,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(
                "UPDATE jobs SET status = 'queued', attempts = 0, finished_at = NULL, run_at = ",
            );
            query.push_bind(now).push(", updated_at = ").push_bind(now);
            query.push(" WHERE status = 'failed' AND id = ").push_bind(id);
            of_tenant(&mut query, tenant);
            Ok(query.build().execute(&mut *self).await?.rows_affected() == 1)
        }

        async fn delete_failed(&mut self, tenant: Option<i64>, id: i64) -> Result<bool, sqlx::Error> {
            let mut query =
                sqlx::QueryBuilder::new("DELETE FROM jobs WHERE status = 'failed' AND id = ");
            query.push_bind(id);
            of_tenant(&mut query, tenant);
            Ok(query.build().execute(&mut *self).await?.rows_affected() == 1)
        }

        async fn job_counts(&mut self, tenant: Option<i64>) -> Result<Vec<(String, i64)>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new("SELECT status, COUNT(*) FROM jobs WHERE 1 = 1");
            of_tenant(&mut query, tenant);
            query.push(" GROUP BY status ORDER BY status");
            query.build_query_as().fetch_all(&mut *self).await
        }

        async fn delete_succeeded_before(&mut self, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
            Ok(sqlx::query("DELETE FROM jobs WHERE status = 'succeeded' AND finished_at < $1")
                .bind(before)
                .execute(&mut *self)
                .await?
                .rows_affected())
        }

        async fn next_run_at(&mut self) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
            sqlx::query_scalar("SELECT MIN(run_at) FROM jobs WHERE status = 'queued'")
                .fetch_one(&mut *self)
                .await
        }
    }
}

/// Wakes idle workers once the enqueuing transaction commits: on PostgreSQL those of every
/// instance (NOTIFY is delivered at commit); SQLite has one instance, woken in process.
pub trait WakeWorkers {
    fn wake_workers(&mut self) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

/// The channel every instance's job listener LISTENs on.
pub const JOBS_CHANNEL: &str = "crm_jobs";

impl WakeWorkers for sqlx::PgConnection {
    async fn wake_workers(&mut self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(JOBS_CHANNEL)
            .execute(&mut *self)
            .await
            .map(|_| ())
    }
}

impl WakeWorkers for sqlx::SqliteConnection {
    async fn wake_workers(&mut self) -> Result<(), sqlx::Error> {
        Ok(())
    }
}
