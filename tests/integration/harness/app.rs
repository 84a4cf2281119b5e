//! The app under test: its settings, spawning it on a fresh database, stopping it.

use super::*;
use crm::{
    config::Settings,
    db::{Backend, Db},
    server::Application,
};
use std::net::SocketAddr;
use tokio::{sync::oneshot, task::JoinHandle};

pub struct TestApp {
    pub address: SocketAddr,
    pub db: Db,
    pub backend: Backend,
    pub client: reqwest::Client,
    pub database: TestDatabase,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// Sends the shutdown signal and waits for the server to finish.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.server.take() {
            Some(handle) => handle.await.expect("server task panicked"),
            None => Ok(()),
        }
    }
}

/// Settings for a test app: port 0, quiet logs, the demo tenant seeded.
pub fn test_settings(database_url: String) -> Settings {
    let mut settings = Settings::default();
    settings.server.address = SocketAddr::from(([127, 0, 0, 1], 0));
    settings.server.shutdown_grace_seconds = 2;
    settings.database.url = database_url;
    settings.database.max_connections = 5;
    settings.database.connect_timeout_seconds = 3;
    settings.demo.seed = true;
    settings
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_configured(backend, |_| {}).await
}

/// Like `spawn_app`, with the test's own changes to the settings.
pub async fn spawn_app_configured(
    backend: Backend,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let database = TestDatabase::create(backend).await;
    let mut settings = test_settings(database.url.clone());
    configure(&mut settings);
    spawn_app_with(settings, database).await
}

/// Logs go to the test output only when asked for (`TEST_LOG=1`): hundreds of apps run side by
/// side, and their logs would bury the one failure.
fn init_test_log() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let filter = tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .init();
        }
    });
}

pub async fn spawn_app_with(settings: Settings, database: TestDatabase) -> TestApp {
    init_test_log();
    let app = Application::build(settings)
        .await
        .expect("the app failed to start");
    let address = app.address();
    let db = app.db().clone();
    let backend = db.backend();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        db,
        backend,
        client: new_browser(),
        database,
        stop: Some(stop),
        server: Some(server),
    }
}
