//! Enqueuing, and the wake-up that tells idle workers there is work: in process always, and on
//! PostgreSQL across instances by LISTEN/NOTIFY. Workers also poll slowly, so a lost wake-up
//! only delays a job.

use super::{
    clock::{Clock, SystemClock},
    store::{JobStore, WakeWorkers, JOBS_CHANNEL},
    NewJob,
};
use crate::{
    db::{BeginWrite, Db},
    on_db,
};
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// The queue as the rest of the server sees it. Cheap to clone.
#[derive(Clone)]
pub struct Queue {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    wake: Arc<Notify>,
}

impl Queue {
    pub fn new(db: Db) -> Self {
        Self::with_clock(db, Arc::new(SystemClock))
    }

    pub fn with_clock(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            clock,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Adds a job; `None` when its dedup key was used before.
    pub async fn enqueue(&self, job: &NewJob) -> Result<Option<i64>, sqlx::Error> {
        let now = self.clock.now();
        let id = on_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_job(job, now).await?;
            if id.is_some() {
                tx.wake_workers().await?;
            }
            tx.commit().await?;
            id
        });
        if id.is_some() {
            self.wake_local();
        }
        Ok(id)
    }

    /// Wakes this instance's idle workers.
    pub fn wake_local(&self) {
        self.wake.notify_waiters();
    }

    pub(super) fn wake_handle(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// On PostgreSQL, listens for other instances' enqueues and wakes this one's workers; also
    /// after the listener reconnects, since notifications sent meanwhile are lost.
    pub fn spawn_listener(&self) -> Option<tokio::task::JoinHandle<()>> {
        let Db::Postgres(pool) = &self.db else {
            return None;
        };
        let (pool, wake) = (pool.clone(), self.wake.clone());
        Some(tokio::spawn(async move {
            loop {
                let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(listener) => listener,
                    Err(e) => {
                        tracing::warn!(error = %e, "job listener cannot connect; retrying");
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        continue;
                    }
                };
                if let Err(e) = listener.listen(JOBS_CHANNEL).await {
                    tracing::warn!(error = %e, "job listener cannot LISTEN; retrying");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
                wake.notify_waiters();
                loop {
                    match listener.try_recv().await {
                        Ok(Some(_)) => wake.notify_waiters(),
                        // The connection dropped; the next call reconnects. Catch up meanwhile.
                        Ok(None) => wake.notify_waiters(),
                        Err(e) => {
                            tracing::warn!(error = %e, "job listener lost its connection");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                            break;
                        }
                    }
                }
            }
        }))
    }
}
