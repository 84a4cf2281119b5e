//! Assembles the running server: configuration, database, router and graceful shutdown.
//!
//! `Application::build` binds the listener first (so a port clash is reported before any other
//! work), then opens and migrates the database. Tests build it on port 0 against their own
//! database and read back the chosen address.

pub mod background;
mod cli;
mod csrf;
mod jobs_cli;
mod router;
pub mod security_headers;
mod static_files;

pub use cli::cli_main;

use crate::{
    auth::{login::LoginGuard, session::SessionBackend},
    config::{ConfigError, Settings},
    db::{Db, DbSetupError},
    events::hub::EventHub,
    jobs::queue::Queue,
    state::AppState,
    tenancy::demo::{seed_demo_tenant, SeedOutcome},
};
use axum::Router;
use std::{
    future::{Future, IntoFuture},
    io,
    net::SocketAddr,
    sync::Arc,
    time::Duration,
};
use tokio::net::TcpListener;

/// Why the server could not start; each variant renders as one line naming the key to change.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "server.address {address} is already in use: stop the other process, or pick another port \
         with [server] address in Leptos.toml or the CRM_SERVER__ADDRESS environment variable"
    )]
    AddressInUse { address: SocketAddr },
    #[error("server.address {address}: cannot listen there: {source}")]
    Bind {
        address: SocketAddr,
        source: io::Error,
    },
    #[error(transparent)]
    Database(#[from] DbSetupError),
    #[error("seeding the demo tenant failed: {0}")]
    Seed(anyhow::Error),
}

pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    state: AppState,
    grace: Duration,
    /// Set when this start created the demo tenant (so the CLI can print its login).
    pub seeded_demo: bool,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let listener = bind(settings.server.address).await?;
        let address = listener.local_addr().map_err(|source| StartupError::Bind {
            address: settings.server.address,
            source,
        })?;

        let db = Db::connect_and_migrate(&settings.database).await?;
        match crate::records::service::normalise_saved_phones(&db).await {
            Ok(done) if done.written + done.unreadable > 0 => tracing::info!(
                written = done.written,
                unreadable = done.unreadable,
                "phones saved before E.164 normalisation filled in"
            ),
            Ok(_) => {}
            // Not fatal: calls still work, inbound calls just do not find those contacts yet.
            Err(e) => tracing::warn!(error = ?e, "could not normalise saved phones"),
        }
        match crate::deals::service::fold_saved_titles(&db).await {
            Ok(0) => {}
            Ok(written) => tracing::info!(written, "deal titles saved before search filled in"),
            Err(e) => tracing::warn!(error = ?e, "could not fold saved deal titles"),
        }
        let seeded_demo = if settings.demo.seed {
            let outcome = seed_demo_tenant(&db, &settings.demo)
                .await
                .map_err(StartupError::Seed)?;
            matches!(outcome, SeedOutcome::Created { .. })
        } else {
            false
        };

        let sessions = SessionBackend::for_db(&db);
        let leptos_options = router::leptos_options(&settings, address)?;
        let login_guard = LoginGuard::new(settings.auth.clone());
        let grace = Duration::from_secs(settings.server.shutdown_grace_seconds);
        Ok(Self {
            listener,
            address,
            state: AppState {
                leptos_options,
                db: db.clone(),
                settings: Arc::new(settings),
                login_guard,
                sessions,
                jobs: Queue::new(db.clone()),
                events: EventHub::new(),
            },
            grace,
            seeded_demo,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    pub fn router(&self) -> Router {
        router::build(self.state.clone())
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish for up to the grace
    /// period, and closes the database pool.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        let router = self.router();
        let db = self.state.db.clone();
        let cleanup = tokio::spawn(delete_expired_sessions(self.state.sessions.clone()));
        let (stop_jobs, jobs_stop) = tokio::sync::watch::channel(false);
        let background = background::start(&self.state, &jobs_stop).await;
        let events = self.state.events.clone();
        let feed = events.spawn_feed(db.clone());
        if !events.wait_ready(Duration::from_secs(5)).await {
            tracing::warn!("live events are not flowing yet; serving anyway (browsers resync)");
        }
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            tracing::info!("shutdown requested; finishing in-flight requests");
            // Open event streams end now, or graceful shutdown would wait for them (axum#2673).
            events.close();
            let _ = stop_jobs.send(true);
            let _ = stopping_tx.send(());
        };
        let serve = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(signal)
        .into_future();
        tokio::pin!(serve);

        let result = tokio::select! {
            result = &mut serve => result,
            Ok(()) = stopping_rx => match tokio::time::timeout(self.grace, &mut serve).await {
                Ok(result) => result,
                Err(_) => {
                    tracing::warn!(grace = ?self.grace, "requests still open after the grace period; closing them");
                    Ok(())
                }
            },
        };
        cleanup.abort();
        self.state.events.close();
        let _ = feed.await;
        background.finish(self.grace).await;
        db.close().await;
        tracing::info!("server stopped");
        result
    }
}

async fn bind(address: SocketAddr) -> Result<TcpListener, StartupError> {
    TcpListener::bind(address).await.map_err(|source| {
        if source.kind() == io::ErrorKind::AddrInUse {
            StartupError::AddressInUse { address }
        } else {
            StartupError::Bind { address, source }
        }
    })
}

/// Expired sessions are never loaded again, but their rows would pile up; sweep hourly.
async fn delete_expired_sessions(sessions: SessionBackend) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        if let Err(e) = sessions.delete_expired().await {
            tracing::warn!(error = %e, "deleting expired sessions failed");
        }
    }
}
