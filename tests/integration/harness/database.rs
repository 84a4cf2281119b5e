//! A fresh database per test: a temp SQLite file or a new PostgreSQL database, dropped again.

use super::*;
use crm::db::Backend;
use sqlx::{Connection, Executor, PgConnection};

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
