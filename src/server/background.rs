//! The instance's background work: job workers, the scheduler and, on PostgreSQL, the listener
//! that wakes them when another instance enqueues. All stop on shutdown; a job in progress gets
//! the grace period to finish (its lease lets another instance take it over otherwise).

use crate::{
    contacts::lifecycle::{self, RECOMPUTE_STATUS, SCHEDULE_TENANTS},
    events::service::{prune_events_job, PRUNE_EVENTS},
    jobs::{
        maintenance::{self, every, PRUNE_JOBS},
        registry::Registry,
        schedule::{run_scheduler, ScheduleSpec},
        worker::{Worker, WorkerSettings},
    },
    notifications::reminders::{self, DIGEST, REMIND_DUE, SCHEDULE_DIGESTS},
    state::AppState,
};
use std::{sync::Arc, time::Duration};
use tokio::{sync::watch, task::JoinHandle};

pub struct Background {
    stopping: Vec<JoinHandle<()>>,
    listener: Option<JoinHandle<()>>,
}

/// Every job this version runs.
pub fn registry() -> Registry {
    maintenance::registry()
        .on(RECOMPUTE_STATUS, lifecycle::recompute_job)
        .on(SCHEDULE_TENANTS, lifecycle::schedule_tenants_job)
        .on(REMIND_DUE, reminders::remind_due_job)
        .on(DIGEST, reminders::digest_job)
        .on(SCHEDULE_DIGESTS, reminders::schedule_digests_job)
        .on(PRUNE_EVENTS, prune_events_job)
}

/// The installation-wide schedules; per-tenant ones are made by `SCHEDULE_TENANTS`.
fn schedules() -> Vec<ScheduleSpec> {
    vec![
        every(PRUNE_JOBS, "17 3 * * *"),
        every(PRUNE_EVENTS, "27 3 * * *"),
        // New tenants and changed timezones get their nightly schedules within ten minutes.
        every(SCHEDULE_TENANTS, "*/10 * * * *"),
        every(REMIND_DUE, "* * * * *"),
        // New users and changed timezones get their 08:00 digest within ten minutes.
        every(SCHEDULE_DIGESTS, "*/10 * * * *"),
    ]
}

pub async fn start(state: &AppState, stop: &watch::Receiver<bool>) -> Background {
    let settings = &state.settings.jobs;
    if settings.workers == 0 {
        return Background {
            stopping: Vec::new(),
            listener: None,
        };
    }
    let queue = state.jobs.clone();
    if let Err(e) = maintenance::ensure_schedules(&queue, &schedules()).await {
        tracing::warn!(error = %e, "could not declare the job schedules");
    }
    if let Err(e) = lifecycle::schedule_tenants(&queue.db, queue.clock.now()).await {
        tracing::warn!(error = %e, "could not schedule the tenants' nightly jobs");
    }
    if let Err(e) = reminders::schedule_digests(&queue.db, queue.clock.now()).await {
        tracing::warn!(error = %e, "could not schedule the users' morning digests");
    }
    let poll = Duration::from_secs(settings.poll_seconds);
    let worker = Worker {
        queue: queue.clone(),
        registry: Arc::new(registry()),
        settings: WorkerSettings {
            lease: Duration::from_secs(settings.lease_seconds),
            poll,
            ..WorkerSettings::default()
        },
    };
    let mut stopping = worker.spawn(settings.workers, stop);
    stopping.push(tokio::spawn(run_scheduler(
        queue.clone(),
        poll,
        stop.clone(),
    )));
    tracing::info!(workers = settings.workers, "job workers started");
    Background {
        stopping,
        listener: queue.spawn_listener(),
    }
}

impl Background {
    /// Waits for the workers and the scheduler to stop, at most `grace`.
    pub async fn finish(self, grace: Duration) {
        if let Some(listener) = self.listener {
            listener.abort();
        }
        let all = wait_for_all(self.stopping);
        if tokio::time::timeout(grace, all).await.is_err() {
            tracing::warn!(?grace, "a job was still running after the grace period");
        }
    }
}

async fn wait_for_all(handles: Vec<JoinHandle<()>>) {
    for handle in handles {
        let _ = handle.await;
    }
}
