//! Test harness: every test gets its own app on a free port and its own fresh database, on
//! SQLite (a file in a temp dir) and on PostgreSQL (a new database on the server named by
//! `TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`).

use crm::{
    config::Settings,
    db::{Backend, Db},
    server::Application,
};
use sqlx::{Connection, Executor, PgConnection};
use std::net::SocketAddr;
use tokio::{sync::oneshot, task::JoinHandle};

/// Declares one test per backend: `mod $name { fn sqlite(); fn postgres(); }`.
#[allow(unused_macros)]
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                $crate::harness::time_limited(async {
                    let $app = $crate::harness::spawn_app(crm::db::Backend::Sqlite).await;
                    $body
                })
                .await
            }

            #[tokio::test]
            async fn postgres() {
                $crate::harness::time_limited(async {
                    let $app = $crate::harness::spawn_app(crm::db::Backend::Postgres).await;
                    $body
                })
                .await
            }
        }
    };
    ($name:ident, settings = $configure:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                $crate::harness::time_limited(async {
                    let $app =
                        $crate::harness::spawn_app_configured(crm::db::Backend::Sqlite, $configure)
                            .await;
                    $body
                })
                .await
            }

            #[tokio::test]
            async fn postgres() {
                $crate::harness::time_limited(async {
                    let $app = $crate::harness::spawn_app_configured(
                        crm::db::Backend::Postgres,
                        $configure,
                    )
                    .await;
                    $body
                })
                .await
            }
        }
    };
}

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
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// Posts a form the way the browser does (same-origin `Origin` header, the app's cookies).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_as(&self.client, path, form).await
    }

    pub async fn post_form_as(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("Origin", format!("http://{}", self.address))
            .form(form)
            .send()
            .await
            .expect("request failed")
    }

    /// Calls a server function as `client`: the status and the JSON body (Null when there is none).
    pub async fn call(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let response = self.post_form_as(client, path, form).await;
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// Like `call`, with every field nested under `prefix` (`form[name]=…`), as struct arguments
    /// of server functions arrive.
    pub async fn call_nested(
        &self,
        client: &reqwest::Client,
        path: &str,
        prefix: &str,
        fields: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let named: Vec<(String, &str)> = fields
            .iter()
            .map(|(k, v)| (format!("{prefix}[{k}]"), *v))
            .collect();
        let form: Vec<(&str, &str)> = named.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        self.call(client, path, &form).await
    }

    /// Creates a `kind` record (`contacts`, `companies`, `deals`) as `client` through its
    /// server function and returns its id.
    pub async fn created(
        &self,
        client: &reqwest::Client,
        kind: &str,
        fields: &[(&str, &str)],
    ) -> i64 {
        let (status, body) = self
            .call_nested(client, &format!("/api/{kind}/create"), "form", fields)
            .await;
        assert_eq!(status, 200, "creating {kind}: {body}");
        body["id"].as_i64().expect("id")
    }

    /// Creates a user as `admin` and returns a browser signed in as them.
    pub async fn user_signed_in(
        &self,
        admin: &reqwest::Client,
        email: &str,
        role: &str,
        team_id: &str,
    ) -> reqwest::Client {
        let form = [
            ("name", email),
            ("email", email),
            ("role", role),
            ("team_id", team_id),
            ("temporary_password", TEST_PASSWORD),
        ];
        let (status, body) = self.call(admin, "/api/users/create", &form).await;
        assert_eq!(status, 200, "creating {email}: {body}");
        let browser = new_browser();
        let (status, body) = self
            .call(
                &browser,
                "/api/auth/sign_in",
                &[("email", email), ("password", TEST_PASSWORD)],
            )
            .await;
        assert_eq!(status, 200, "signing in {email}: {body}");
        browser
    }

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

/// The password every test account gets.
pub const TEST_PASSWORD: &str = "a strong password";

/// Registers a company through the real endpoint, signing `client` in as its admin.
pub async fn register_company(
    app: &TestApp,
    client: &reqwest::Client,
    company: &str,
    email: &str,
) -> reqwest::Response {
    let form = [
        ("company_name", company),
        ("admin_name", "Ana Admin"),
        ("email", email),
        ("password", TEST_PASSWORD),
    ];
    app.post_form_as(client, "/api/auth/register", &form).await
}

/// A fresh browser signed in as the admin of a newly registered company.
pub async fn registered_admin(app: &TestApp, company: &str, email: &str) -> reqwest::Client {
    let browser = new_browser();
    let response = register_company(app, &browser, company, email).await;
    assert_eq!(response.status(), 200, "registering {company}");
    browser
}

/// A client that keeps cookies, like one browser.
pub fn new_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
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

/// How long one test may run. A hang (a request that never answers) then fails that test with
/// its name instead of stalling the whole suite until CI gives up.
pub const TEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

pub async fn time_limited(test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(TEST_TIME_LIMIT, test).await.is_err() {
        panic!("the test did not finish within {TEST_TIME_LIMIT:?}: something hangs");
    }
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

/// A fresh, empty database; removed again when dropped (PostgreSQL) or with its temp dir (SQLite).
pub struct TestDatabase {
    pub url: String,
    pg: Option<PgDatabaseName>,
    _dir: Option<tempfile::TempDir>,
}

struct PgDatabaseName {
    admin_url: String,
    name: String,
}

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("data/crm.db").display());
                Self {
                    url,
                    pg: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("crm_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL tests need a server: cannot connect to TEST_POSTGRES_URL \
                         ({admin_url}): {e}. scripts/test.sh starts one when none is reachable."
                    )
                });
                conn.execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
                    .await
                    .expect("create test database");
                let url = replace_database(&admin_url, &name);
                Self {
                    url,
                    pg: Some(PgDatabaseName { admin_url, name }),
                    _dir: None,
                }
            }
        }
    }

    /// The same database for a second app instance; only the original removes it.
    pub fn shared(&self) -> Self {
        Self {
            url: self.url.clone(),
            pg: None,
            _dir: None,
        }
    }

    /// Drops a PostgreSQL test database while the app may still hold connections to it.
    pub async fn drop_now(&self) {
        if let Some(pg) = &self.pg {
            drop_pg_database(&pg.admin_url, &pg.name).await;
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(pg) = self.pg.take() else { return };
        // Drop runs outside any async context guarantee; use a private runtime on its own thread.
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(drop_pg_database(&pg.admin_url, &pg.name));
            }
        })
        .join();
    }
}

async fn drop_pg_database(admin_url: &str, name: &str) {
    if let Ok(mut conn) = PgConnection::connect(admin_url).await {
        let _ = conn
            .execute(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#).as_str())
            .await;
    }
}

/// `postgres://u@h:5432/postgres?x=y` with database `name` instead of `postgres`.
fn replace_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// A REST API client: JSON in and out, with a bearer token.
pub struct ApiClient {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl ApiClient {
    /// Sends `method path` with an optional JSON body: the status and the JSON answer (Null when
    /// there is none).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request failed");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

impl TestApp {
    /// Makes an API token for the user `browser` is signed in as, through the account page's
    /// server function, and returns its secret.
    pub async fn api_token(&self, browser: &reqwest::Client) -> String {
        let (status, body) = self
            .call(
                browser,
                "/api/api_tokens/create",
                &[("name", "test integration")],
            )
            .await;
        assert_eq!(status, 200, "creating an API token: {body}");
        body["secret"].as_str().expect("secret").to_string()
    }

    /// A REST client for `/api/v1` with `token`.
    pub fn api(&self, token: &str) -> ApiClient {
        ApiClient {
            base: self.url("/api/v1"),
            token: token.to_string(),
            http: reqwest::Client::new(),
        }
    }
}
