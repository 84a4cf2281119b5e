//! Which code runs a job of each kind.

use super::ClaimedJob;
use crate::db::Db;
use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc};

/// What a handler gets: the database, the job it runs, and the queue's time at its start (a
/// hand-set clock in tests).
#[derive(Clone)]
pub struct JobContext {
    pub db: Db,
    pub job: ClaimedJob,
    pub now: chrono::DateTime<chrono::Utc>,
}

type HandlerFuture = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;
type Handler = Arc<dyn Fn(JobContext) -> HandlerFuture + Send + Sync>;

/// The handlers by job kind. A kind without a handler (a job enqueued by a newer version) is
/// parked at once with a message saying so.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, Handler>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the handler for `kind`; it must be idempotent (a job whose worker died runs again).
    pub fn on<F, Fut>(mut self, kind: &str, handler: F) -> Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        self.handlers.insert(
            kind.to_string(),
            Arc::new(move |ctx| Box::pin(handler(ctx)) as HandlerFuture),
        );
        self
    }

    pub(super) fn handler(&self, kind: &str) -> Option<Handler> {
        self.handlers.get(kind).cloned()
    }

    pub fn kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = self.handlers.keys().map(String::as_str).collect();
        kinds.sort_unstable();
        kinds
    }
}
