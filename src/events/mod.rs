//! Live updates: `GET /events` streams, as Server-Sent Events, what changed that the signed-in
//! user may see — their notifications, deals created, moved, given or edited, timeline entries
//! added — so the bell, the board and the cards update without a reload.
//!
//! Writers add a row to the `live_events` outbox inside their own transaction. On PostgreSQL the
//! same transaction sends it with `pg_notify` (delivered at commit, to every instance's one
//! listener); on SQLite, one instance by design, a tailer reads new rows. Each instance fans
//! events out to its streams through a broadcast channel; a stream filters them by the reader's
//! scope, replays missed ones after `Last-Event-ID`, says `resync` when it may have missed some
//! (a lagging stream, a listener that reconnected), and ends on shutdown. In the browser one
//! tab holds the stream (a Web Lock) and shares it with the others over a BroadcastChannel.

#[cfg(feature = "ssr")]
pub mod handler;
#[cfg(feature = "ssr")]
pub mod hub;
pub mod live;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What an event says changed.
    pub enum LiveKind("live event kind") {
        /// The user has a new notification.
        Notification = "notification",
        /// A deal was created, moved, given, edited, deleted or restored.
        Deal = "deal",
        /// A timeline entry was added to a contact, company or deal.
        Timeline = "timeline",
        /// Some events may have been missed: refetch what is shown.
        Resync = "resync",
    }
}

crate::text_enum! {
    /// The records events are about.
    pub enum LiveEntity("live event record") {
        Contact = "contact",
        Company = "company",
        Deal = "deal",
    }
}

/// What a browser gets: the kind, and the record it is about (ids only; the page fetches what
/// it shows through the usual, permission-checked reads).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub kind: LiveKind,
    /// `contact`, `company` or `deal`.
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
}

/// An outbox row, as the streams filter it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StoredEvent {
    pub id: i64,
    pub tenant_id: i64,
    /// Only this user sees it (a notification).
    pub user_id: Option<i64>,
    pub kind: String,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    /// The record's owner: who else may see it follows the reader's scope.
    pub owner_id: Option<i64>,
}

impl StoredEvent {
    pub fn to_live(&self) -> Option<LiveEvent> {
        Some(LiveEvent {
            kind: LiveKind::parse(&self.kind)?,
            entity: self.entity.clone(),
            entity_id: self.entity_id,
        })
    }
}
