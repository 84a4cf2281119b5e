//! What an operator does with the queue (`crm jobs …`): see it, retry or discard a failed job,
//! and enqueue a known job to run now.

use super::{queue::Queue, registry::Registry, store::JobStore, Job, JobStatus, NewJob};
use crate::on_db;

#[derive(Debug, thiserror::Error)]
pub enum JobCommandError {
    #[error("job {0}: no such job")]
    NotFound(i64),
    #[error("job {id}: it is {status}; only failed jobs can be retried or discarded")]
    NotFailed { id: i64, status: JobStatus },
    #[error("kind: '{kind}' is not a job this version runs (known: {known})")]
    UnknownKind { kind: String, known: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The counts per status, then up to `limit` jobs in `status`, newest first.
pub async fn list_jobs(
    queue: &Queue,
    status: JobStatus,
    limit: i64,
) -> Result<(Vec<(String, i64)>, Vec<Job>), sqlx::Error> {
    Ok(on_db!(&queue.db, |pool| {
        let mut conn = pool.acquire().await?;
        (
            conn.job_counts(None).await?,
            conn.jobs_in(None, status, limit).await?,
        )
    }))
}

/// Queues a failed job again with fresh attempts.
pub async fn retry_job(queue: &Queue, id: i64) -> Result<Job, JobCommandError> {
    let now = queue.clock.now();
    let job = on_db!(&queue.db, |pool| {
        let mut conn = pool.acquire().await?;
        let requeued = conn.requeue_failed(None, id, now).await?;
        (requeued, conn.job(id).await?)
    });
    match job {
        (true, Some(job)) => {
            queue.wake_local();
            Ok(job)
        }
        (false, Some(job)) => Err(JobCommandError::NotFailed {
            id,
            status: job.status,
        }),
        (_, None) => Err(JobCommandError::NotFound(id)),
    }
}

/// Deletes a failed job.
pub async fn discard_job(queue: &Queue, id: i64) -> Result<(), JobCommandError> {
    let (deleted, job) = on_db!(&queue.db, |pool| {
        let mut conn = pool.acquire().await?;
        let deleted = conn.delete_failed(None, id).await?;
        (deleted, conn.job(id).await?)
    });
    match (deleted, job) {
        (true, _) => Ok(()),
        (false, Some(job)) => Err(JobCommandError::NotFailed {
            id,
            status: job.status,
        }),
        (false, None) => Err(JobCommandError::NotFound(id)),
    }
}

/// Enqueues a job of a kind `registry` knows, due now.
pub async fn run_now(
    queue: &Queue,
    registry: &Registry,
    kind: &str,
) -> Result<i64, JobCommandError> {
    if !registry.kinds().contains(&kind) {
        return Err(JobCommandError::UnknownKind {
            kind: kind.into(),
            known: registry.kinds().join(", "),
        });
    }
    let job = NewJob::new(kind, queue.clock.now());
    // No dedup key: a fresh job every time.
    Ok(queue.enqueue(&job).await?.unwrap_or_default())
}
