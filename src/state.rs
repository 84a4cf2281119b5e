//! What every handler and server function can reach. A leaf: the doors (server functions, REST)
//! and the server that builds it import it; it imports only what it holds.

use crate::{
    auth::{login::LoginGuard, session::SessionBackend},
    config::Settings,
    db::Db,
    events::hub::EventHub,
    jobs::queue::Queue,
};
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// What every handler and server function can reach. Server functions get it through Leptos
/// context (`expect_context::<AppState>()`), handlers through axum's `State`.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    pub login_guard: Arc<LoginGuard>,
    pub sessions: SessionBackend,
    /// Where background work is enqueued.
    pub jobs: Queue,
    /// This instance's live events, for the `/events` streams.
    pub events: EventHub,
}
