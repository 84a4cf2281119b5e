//! `GET /events`: the signed-in user's live events as Server-Sent Events. A stream replays what
//! the browser missed after its `Last-Event-ID` (or says `resync` when that is too much or
//! unknown), then follows the instance's fan-out, keeps the connection alive with comments, and
//! ends on shutdown.

use super::{
    hub::{EventHub, Fanout},
    store::EventStore,
    LiveEvent, LiveKind, StoredEvent,
};
use crate::{
    auth::{actor::Actor, request::actor_of_session, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
    state::AppState,
};
use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures_util::stream::{self, Stream};
use std::{
    collections::{HashSet, VecDeque},
    convert::Infallible,
    time::Duration,
};
use tokio::sync::{broadcast::error::RecvError, watch};
use tower_sessions::Session;

/// At most this many missed events are replayed; more, and the browser refetches instead.
pub const REPLAY_LIMIT: i64 = 500;
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub async fn events(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let actor = match actor_of_session(&state, &session).await {
        Ok(Some(actor)) => actor,
        Ok(None) => return AppError::Unauthorized.into_response(),
        Err(e) => return e.into_response(),
    };
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|id| *id >= 0);
    match open(&state.db, &state.events, actor, last_seen).await {
        Ok(stream) => {
            let mut response = Sse::new(stream)
                .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
                .into_response();
            // nginx and other proxies would otherwise hold events back in their buffers.
            response
                .headers_mut()
                .insert("x-accel-buffering", HeaderValue::from_static("no"));
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "opening an events stream");
            AppError::Internal.into_response()
        }
    }
}

/// Who a stream is for.
struct Reader {
    tenant_id: i64,
    user_id: i64,
    scope: Scope,
}

enum Scope {
    WholeTenant,
    Owners(HashSet<i64>),
}

impl Reader {
    fn may_see(&self, event: &StoredEvent) -> bool {
        if event.tenant_id != self.tenant_id {
            return false;
        }
        if let Some(user) = event.user_id {
            return user == self.user_id;
        }
        match &self.scope {
            Scope::WholeTenant => true,
            Scope::Owners(owners) => event.owner_id.is_some_and(|o| owners.contains(&o)),
        }
    }
}

struct Open {
    reader: Reader,
    pending: VecDeque<Event>,
    /// Replayed events that the fan-out may bring again.
    replayed: HashSet<i64>,
    /// On SQLite, where ids are the commit order, the newest id when the stream opened: the
    /// tailer may still bring older rows, which happened before this stream.
    after: Option<i64>,
    fanout: tokio::sync::broadcast::Receiver<Fanout>,
    closing: watch::Receiver<bool>,
}

/// Subscribes first and replays second, so nothing committed in between is lost (an event in
/// both is sent once). Ids are not a commit order on PostgreSQL (concurrent transactions commit
/// out of id order), so live events are never skipped by id, only the replayed ones.
async fn open(
    db: &Db,
    hub: &EventHub,
    actor: Actor,
    last_seen: Option<i64>,
) -> Result<impl Stream<Item = Result<Event, Infallible>>, sqlx::Error> {
    let fanout = hub.subscribe();
    let closing = hub.closing();
    let visible = Visible::to(&actor);
    let (newest, owners, missed) = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let newest = conn.last_event_id().await?;
        let owners = match visible {
            Visible::WholeTenant { .. } => None,
            Visible::Own { user_id, .. } => Some(vec![user_id]),
            Visible::Team { tenant_id, team_id } => {
                Some(conn.team_members(tenant_id, team_id).await?)
            }
        };
        // An id from the future (another database, a forged header) starts a fresh stream.
        let missed = match last_seen.filter(|id| *id <= newest) {
            Some(after) => Some(
                conn.tenant_events_after(actor.tenant_id, after, REPLAY_LIMIT + 1)
                    .await?,
            ),
            None => None,
        };
        (newest, owners, missed)
    });
    let reader = Reader {
        tenant_id: actor.tenant_id,
        user_id: actor.user_id,
        scope: match owners {
            None => Scope::WholeTenant,
            Some(owners) => Scope::Owners(owners.into_iter().collect()),
        },
    };
    let (mut pending, mut replayed) = (VecDeque::new(), HashSet::new());
    match missed {
        Some(missed) if missed.len() as i64 > REPLAY_LIMIT => pending.push_back(resync()),
        Some(missed) => {
            for event in missed.iter() {
                replayed.insert(event.id);
                if reader.may_see(event) {
                    pending.extend(sse(event));
                }
            }
        }
        None => {}
    }
    let state = Open {
        reader,
        pending,
        replayed,
        after: matches!(db, Db::Sqlite(_)).then_some(newest),
        fanout,
        closing,
    };
    Ok(stream::unfold(state, next))
}

async fn next(mut open: Open) -> Option<(Result<Event, Infallible>, Open)> {
    if let Some(event) = open.pending.pop_front() {
        return Some((Ok(event), open));
    }
    loop {
        let received = tokio::select! {
            received = open.fanout.recv() => received,
            _ = open.closing.wait_for(|closed| *closed) => return None,
        };
        match received {
            Ok(Fanout::Event(event)) => {
                let before_open = open.after.is_some_and(|after| event.id <= after);
                if before_open || open.replayed.remove(&event.id) || !open.reader.may_see(&event) {
                    continue;
                }
                if let Some(sent) = sse(&event) {
                    return Some((Ok(sent), open));
                }
            }
            Ok(Fanout::Resync) | Err(RecvError::Lagged(_)) => return Some((Ok(resync()), open)),
            Err(RecvError::Closed) => return None,
        }
    }
}

fn sse(event: &StoredEvent) -> Option<Event> {
    let live = event.to_live()?;
    let data = serde_json::to_string(&live).ok()?;
    Some(
        Event::default()
            .id(event.id.to_string())
            .event(live.kind.as_str())
            .data(data),
    )
}

fn resync() -> Event {
    let live = LiveEvent {
        kind: LiveKind::Resync,
        entity: None,
        entity_id: None,
    };
    Event::default()
        .event(LiveKind::Resync.as_str())
        .data(serde_json::to_string(&live).unwrap_or_default())
}
