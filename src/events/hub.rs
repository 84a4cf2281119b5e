//! One instance's fan-out: every event any instance commits reaches this instance's feed (the
//! PostgreSQL listener, or on SQLite the outbox tailer) and goes out to every open stream here,
//! which picks what its reader may see. When the feed may have missed events (the listener
//! reconnected) every stream is told to resync.

use super::{
    store::{EventStore, EVENTS_CHANNEL},
    StoredEvent,
};
use crate::{db::Db, on_db};
use std::{sync::Arc, time::Duration};
use tokio::sync::{broadcast, watch};

/// What the feed hands every stream.
#[derive(Clone, Debug)]
pub enum Fanout {
    Event(Arc<StoredEvent>),
    /// Events may have been missed: clients refetch what they show.
    Resync,
}

/// How many events a slow stream may fall behind before it is told to resync instead.
const BACKLOG: usize = 4096;
/// How often the SQLite tailer looks for new rows.
const TAIL_EVERY: Duration = Duration::from_millis(150);

/// Cheap to clone; one per instance.
#[derive(Clone)]
pub struct EventHub {
    sender: broadcast::Sender<Fanout>,
    closing: Arc<watch::Sender<bool>>,
    /// True once the feed delivers: the listener is LISTENing, or the tailer knows where the
    /// outbox ends.
    ready: Arc<watch::Sender<bool>>,
}

impl Default for EventHub {
    fn default() -> Self {
        Self::new()
    }
}

impl EventHub {
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(BACKLOG).0,
            closing: Arc::new(watch::channel(false).0),
            ready: Arc::new(watch::channel(false).0),
        }
    }

    /// Waits until the feed delivers, at most `max`; false when it did not in time. The server
    /// takes requests only after it, so no stream opens on an instance deaf to the others.
    pub async fn wait_ready(&self, max: std::time::Duration) -> bool {
        let mut ready = self.ready.subscribe();
        tokio::time::timeout(max, ready.wait_for(|ready| *ready))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Fanout> {
        self.sender.subscribe()
    }

    /// Turns true on shutdown: streams end then, so graceful shutdown is not held up.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// How many streams are open here.
    pub fn streams(&self) -> usize {
        self.sender.receiver_count()
    }

    fn fan_out(&self, message: Fanout) {
        // No receiver (no open stream) is not an error.
        let _ = self.sender.send(message);
    }

    /// Starts the feed: until `close`, every committed event is fanned out here.
    pub fn spawn_feed(&self, db: Db) -> tokio::task::JoinHandle<()> {
        let hub = self.clone();
        tokio::spawn(async move {
            match db {
                Db::Sqlite(_) => hub.tail(db).await,
                Db::Postgres(pool) => hub.listen(pool).await,
            }
        })
    }

    /// SQLite: one instance, one writer, so rows commit in id order; read them as they come.
    async fn tail(&self, db: Db) {
        let mut closing = self.closing();
        let mut last = loop {
            let found: Result<i64, sqlx::Error> = on_db!(&db, |pool| async {
                pool.acquire().await?.last_event_id().await
            }
            .await);
            match found {
                Ok(last) => {
                    self.ready.send_replace(true);
                    break last;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "events tailer cannot read the outbox; retrying");
                    if wait_or_close(&mut closing, Duration::from_secs(1)).await {
                        return;
                    }
                }
            }
        };
        loop {
            if wait_or_close(&mut closing, TAIL_EVERY).await {
                return;
            }
            let found: Result<Vec<StoredEvent>, sqlx::Error> = on_db!(&db, |pool| async {
                pool.acquire().await?.events_after(last, 500).await
            }
            .await);
            match found {
                Ok(events) => {
                    for event in events {
                        last = event.id;
                        self.fan_out(Fanout::Event(Arc::new(event)));
                    }
                }
                Err(e) => tracing::warn!(error = %e, "events tailer could not read the outbox"),
            }
        }
    }

    /// PostgreSQL: one LISTEN connection per instance. A reconnect may have lost notifications,
    /// so each (re)connection tells the streams to resync.
    async fn listen(&self, pool: sqlx::PgPool) {
        let mut closing = self.closing();
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(listener) => listener,
                Err(e) => {
                    tracing::warn!(error = %e, "events listener cannot connect; retrying");
                    if wait_or_close(&mut closing, Duration::from_secs(1)).await {
                        return;
                    }
                    continue;
                }
            };
            if let Err(e) = listener.listen(EVENTS_CHANNEL).await {
                tracing::warn!(error = %e, "events listener cannot LISTEN; retrying");
                if wait_or_close(&mut closing, Duration::from_secs(1)).await {
                    return;
                }
                continue;
            }
            self.ready.send_replace(true);
            self.fan_out(Fanout::Resync);
            loop {
                let received = tokio::select! {
                    received = listener.try_recv() => received,
                    _ = closing.wait_for(|closed| *closed) => return,
                };
                match received {
                    Ok(Some(notification)) => {
                        match serde_json::from_str::<StoredEvent>(notification.payload()) {
                            Ok(event) => self.fan_out(Fanout::Event(Arc::new(event))),
                            Err(e) => tracing::warn!(error = %e, "unreadable live event ignored"),
                        }
                    }
                    // The connection dropped and the next call reconnects: what was sent
                    // meanwhile is lost.
                    Ok(None) => self.fan_out(Fanout::Resync),
                    Err(e) => {
                        tracing::warn!(error = %e, "events listener lost its connection");
                        break;
                    }
                }
            }
        }
    }
}

/// Sleeps `for_`; true when the hub closed meanwhile.
async fn wait_or_close(closing: &mut watch::Receiver<bool>, for_: Duration) -> bool {
    if *closing.borrow() {
        return true;
    }
    let closed = tokio::select! {
        () = tokio::time::sleep(for_) => None,
        _ = closing.wait_for(|closed| *closed) => Some(true),
    };
    closed.unwrap_or_else(|| *closing.borrow())
}
