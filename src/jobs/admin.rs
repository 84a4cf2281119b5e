//! The tenant admin's view of the queue (`settings.manage`): their own tenant's jobs by status,
//! and retry or discard of a failed one, each audited in the transaction that does it. Jobs that
//! span every tenant (pruning, scheduling) are the operator's, through `crm jobs`.

use super::{queue::Queue, store::JobStore, JobStatus, JobsOverview};
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, roles::Permission},
    db::BeginWrite,
    error::AppError,
    on_db,
};

/// How many jobs the list shows.
pub const LIST_SIZE: i64 = 50;

/// The tenant's counts per status and its newest jobs in `status`.
pub async fn overview(
    queue: &Queue,
    actor: &Actor,
    status: JobStatus,
) -> Result<JobsOverview, AppError> {
    actor.require(Permission::SettingsManage)?;
    let tenant = Some(actor.tenant_id);
    let (counts, jobs) = on_db!(&queue.db, |pool| {
        let mut conn = pool.acquire().await?;
        let counts = conn.job_counts(tenant).await?;
        let jobs = conn.jobs_in(tenant, status, LIST_SIZE).await?;
        (counts, jobs)
    });
    Ok(JobsOverview {
        counts: JobStatus::ALL
            .into_iter()
            .map(|s| {
                let n = counts
                    .iter()
                    .find(|(word, _)| word == s.as_str())
                    .map_or(0, |(_, n)| *n);
                (s, n)
            })
            .collect(),
        status,
        jobs,
    })
}

/// What to do with a failed job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settle {
    /// Queue it again with fresh attempts.
    Retry,
    /// Delete it.
    Discard,
}

/// Retries or discards one of the tenant's failed jobs. Another tenant's job, or none, is 404;
/// a job that is not failed (it was retried meanwhile) is a conflict.
pub async fn settle_failed(
    queue: &Queue,
    actor: &Actor,
    id: i64,
    settle: Settle,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let now = queue.clock.now();
    let tenant = Some(actor.tenant_id);
    let action = match settle {
        Settle::Retry => "job.retried",
        Settle::Discard => "job.discarded",
    };
    let done = on_db!(&queue.db, |pool| {
        let mut tx = pool.begin_write().await?;
        let job = tx.job(id).await?.filter(|j| j.tenant_id == tenant);
        let Some(job) = job else {
            return Err(AppError::NotFound);
        };
        let done = match settle {
            Settle::Retry => tx.requeue_failed(tenant, id, now).await?,
            Settle::Discard => tx.delete_failed(tenant, id).await?,
        };
        if done {
            let entry = AuditEntry::by(actor, action, "job", client)
                .entity(id)
                .detail("kind", job.kind.as_str())
                .detail("last_error", job.last_error.clone());
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
        done.then_some(()).ok_or(job.status)
    });
    match done {
        Ok(()) => {
            if settle == Settle::Retry {
                queue.wake_local();
            }
            Ok(())
        }
        Err(status) => Err(AppError::Conflict(format!(
            "Job #{id} is {status}: only a failed job can be retried or discarded"
        ))),
    }
}
