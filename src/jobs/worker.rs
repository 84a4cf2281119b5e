//! The workers: each claims a due job, runs its handler while a heartbeat keeps the lease, and
//! records how it ended, fenced by the lease token.

use super::{
    queue::Queue,
    registry::{JobContext, Registry},
    store::JobStore,
    ClaimedJob, JobStatus, Outcome,
};
use crate::on_db;
use chrono::{DateTime, Utc};
use std::{sync::Arc, time::Duration};
use tokio::{sync::watch, task::JoinHandle};

#[derive(Clone, Debug)]
pub struct WorkerSettings {
    /// How long a claim holds without a heartbeat; a dead worker's job is taken over after it.
    pub lease: Duration,
    /// The slow fallback poll, for a wake-up that got lost.
    pub poll: Duration,
    /// The wait before the first retry; each further retry waits twice as long (at most 1 h).
    pub retry_base: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(30),
            poll: Duration::from_secs(5),
            retry_base: Duration::from_secs(10),
        }
    }
}

#[derive(Clone)]
pub struct Worker {
    pub queue: Queue,
    pub registry: Arc<Registry>,
    pub settings: WorkerSettings,
}

/// The wait before retry number `attempts` + 1.
pub fn backoff(retry_base: Duration, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(16);
    retry_base
        .saturating_mul(1 << doublings)
        .min(Duration::from_secs(3600))
}

fn later(now: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(by).unwrap_or(chrono::Duration::hours(1))
}

fn panic_message(e: tokio::task::JoinError) -> String {
    match e.try_into_panic() {
        Ok(panic) => {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            format!("the handler panicked: {text}")
        }
        Err(e) => format!("the handler was cancelled: {e}"),
    }
}

impl Worker {
    /// Claims one due job and runs it to its end; `None` when nothing is due.
    pub async fn run_next(&self) -> Result<Option<(ClaimedJob, Outcome)>, sqlx::Error> {
        let Some(job) = self.claim().await? else {
            return Ok(None);
        };
        let outcome = self.run(job.clone()).await?;
        Ok(Some((job, outcome)))
    }

    /// Takes the next due job under a fresh lease (parking any that ran out of attempts first).
    pub async fn claim(&self) -> Result<Option<ClaimedJob>, sqlx::Error> {
        let now = self.queue.clock.now();
        let token = format!("{:032x}", rand::random::<u128>());
        let until = later(now, self.settings.lease);
        Ok(on_db!(&self.queue.db, |pool| {
            let mut conn = pool.acquire().await?;
            let parked = conn.park_abandoned_jobs(now).await?;
            if parked > 0 {
                tracing::warn!(parked, "jobs parked: their worker stopped on every attempt");
            }
            conn.claim_job(&token, until, now).await?
        }))
    }

    /// Runs a claimed job's handler with a heartbeat, then records the outcome.
    pub async fn run(&self, job: ClaimedJob) -> Result<Outcome, sqlx::Error> {
        let Some(handler) = self.registry.handler(&job.kind) else {
            let error = format!("no handler for job kind '{}' in this version", job.kind);
            return self.finish(&job, Err(error), false).await;
        };
        let ctx = JobContext {
            db: self.queue.db.clone(),
            job: job.clone(),
            now: self.queue.clock.now(),
        };
        let mut running = tokio::spawn(handler(ctx));
        let beat = self.settings.lease / 3;
        let result = loop {
            tokio::select! {
                ended = &mut running => break match ended {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(format!("{e:#}")),
                    Err(e) => Err(panic_message(e)),
                },
                () = tokio::time::sleep(beat) => {
                    if !self.heartbeat(&job).await? {
                        // Another worker holds the job now: stop, and record nothing.
                        running.abort();
                        tracing::warn!(job = job.id, kind = %job.kind, "lease lost; run abandoned");
                        return Ok(Outcome::LostLease);
                    }
                }
            }
        };
        self.finish(&job, result, true).await
    }

    async fn heartbeat(&self, job: &ClaimedJob) -> Result<bool, sqlx::Error> {
        let now = self.queue.clock.now();
        let until = later(now, self.settings.lease);
        Ok(on_db!(&self.queue.db, |pool| {
            pool.acquire()
                .await?
                .extend_lease(job.id, &job.lease_token, until, now)
                .await?
        }))
    }

    async fn finish(
        &self,
        job: &ClaimedJob,
        result: Result<(), String>,
        retryable: bool,
    ) -> Result<Outcome, sqlx::Error> {
        let now = self.queue.clock.now();
        let (status, retry_at, error, outcome) = match result {
            Ok(()) => (JobStatus::Succeeded, None, None, Outcome::Succeeded),
            Err(error) if retryable && job.attempts < job.max_attempts => {
                let retry_at = later(now, backoff(self.settings.retry_base, job.attempts));
                (
                    JobStatus::Queued,
                    Some(retry_at),
                    Some(error),
                    Outcome::Retrying { retry_at },
                )
            }
            Err(error) => (JobStatus::Failed, None, Some(error), Outcome::Parked),
        };
        if let Some(error) = &error {
            tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %error, "job failed");
        }
        let recorded = on_db!(&self.queue.db, |pool| {
            pool.acquire()
                .await?
                .finish_job(
                    job.id,
                    &job.lease_token,
                    status,
                    retry_at,
                    error.as_deref(),
                    now,
                )
                .await?
        });
        Ok(if recorded {
            outcome
        } else {
            Outcome::LostLease
        })
    }

    /// Runs until `stop` turns true: claims while there is work, then waits for a wake-up, the
    /// next queued job's time or the fallback poll. A job in progress is finished first.
    pub async fn run_until_stopped(self, mut stop: watch::Receiver<bool>) {
        let wake = self.queue.wake_handle();
        while !*stop.borrow() {
            let woken = wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            match self.run_next().await {
                Ok(Some(_)) => continue,
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "job worker cannot reach the database"),
            }
            let wait = self.idle_wait().await;
            tokio::select! {
                () = &mut woken => {}
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// Until the next queued job is due, at most the fallback poll.
    async fn idle_wait(&self) -> Duration {
        let next = on_db!(&self.queue.db, |pool| match pool.acquire().await {
            Ok(mut conn) => conn.next_run_at().await.ok().flatten(),
            Err(_) => None,
        });
        let now = self.queue.clock.now();
        next.and_then(|at| (at - now).to_std().ok())
            .map_or(self.settings.poll, |until| until.min(self.settings.poll))
    }

    /// Starts `count` workers.
    pub fn spawn(&self, count: usize, stop: &watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
        (0..count)
            .map(|_| tokio::spawn(self.clone().run_until_stopped(stop.clone())))
            .collect()
    }
}
