//! Background work: a durable job queue in the database, its workers, and the schedules that
//! feed it.
//!
//! A job is claimed by one worker at a time under a lease the worker keeps alive with a
//! heartbeat; every write the worker makes names the lease's token, so a worker whose lease ran
//! out (and whose job another worker took over) can no longer complete or fail it. A handler
//! that errors or panics is retried with backoff, then parked as `failed` with its last error for
//! an admin to retry or discard. Handlers must be idempotent: a job whose worker died is run
//! again. Schedules advance by compare-and-set, so however many instances share the database,
//! each occurrence is enqueued once.

#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod maintenance;
#[cfg(feature = "ssr")]
pub mod queue;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod schedule_store;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod worker;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Where a job stands.
    pub enum JobStatus("job status") {
        Queued = "queued",
        Running = "running",
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

/// A job as the admin list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Job {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub kind: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: JobStatus,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The settings page's jobs section: the tenant's counts per status, and its newest jobs in
/// the status shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobsOverview {
    pub counts: Vec<(JobStatus, i64)>,
    pub status: JobStatus,
    pub jobs: Vec<Job>,
}

/// A job to enqueue.
#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    /// `None` for work that spans every tenant.
    pub tenant_id: Option<i64>,
    pub kind: String,
    pub payload: serde_json::Value,
    pub run_at: DateTime<Utc>,
    /// At most one job per key is ever enqueued; a second enqueue with it does nothing.
    pub dedup_key: Option<String>,
    pub max_attempts: i32,
}

impl NewJob {
    /// A job of `kind` due at `run_at`, tried up to five times, without a dedup key.
    pub fn new(kind: impl Into<String>, run_at: DateTime<Utc>) -> Self {
        Self {
            tenant_id: None,
            kind: kind.into(),
            payload: serde_json::Value::Object(Default::default()),
            run_at,
            dedup_key: None,
            max_attempts: 5,
        }
    }

    pub fn for_tenant(mut self, tenant_id: i64) -> Self {
        self.tenant_id = Some(tenant_id);
        self
    }

    pub fn with_payload(mut self, payload: serde_json::Value) -> Self {
        self.payload = payload;
        self
    }

    pub fn once_per(mut self, dedup_key: impl Into<String>) -> Self {
        self.dedup_key = Some(dedup_key.into());
        self
    }

    pub fn max_attempts(mut self, attempts: i32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }
}

/// A job a worker holds: what its handler gets, and the lease token that fences its writes.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClaimedJob {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub kind: String,
    pub payload: serde_json::Value,
    /// This run's number, from 1.
    pub attempts: i32,
    pub max_attempts: i32,
    pub lease_token: String,
}

/// How a run ended, as the worker records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    /// Queued again for `retry_at`.
    Retrying {
        retry_at: DateTime<Utc>,
    },
    /// Out of attempts (or not retryable): parked as failed.
    Parked,
    /// The lease had passed to another worker: nothing was recorded.
    LostLease,
}
