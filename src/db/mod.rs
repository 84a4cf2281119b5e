//! The data-access layer for both backends: an embedded SQLite file (default) and PostgreSQL
//! (several app instances sharing one server).
//!
//! Query code is written once and monomorphised per backend with [`on_db!`]: SQL uses `$1, $2…`
//! placeholders, which both SQLite and PostgreSQL accept, and types that sqlx maps on both
//! (`i64`, `String`, `bool`, `chrono::DateTime<Utc>`, JSON). The shared test suite runs every
//! query against both, which is the check `sqlx::query!` cannot give for two databases at once.
//! Statements shared between operations, run on a transaction, are traits implemented for both
//! connection types with [`impl_for_backends!`].

#[cfg(feature = "ssr")]
pub mod rate_limit;

use crate::config::DatabaseSettings;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    ConnectOptions, PgPool, SqlitePool,
};
use std::{path::Path, str::FromStr, time::Duration};

/// Runs the same query code on whichever pool `db` holds: `on_db!(db, |pool| body)`, shaped like
/// a closure so that rustfmt formats the body. `pool` is bound to `&SqlitePool` in one arm and
/// `&PgPool` in the other; the body must compile for both.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Implements a trait for both backends' connection types with one body, for statements that
/// several operations run inside their own transactions (`tx.insert_audit(..)` on either).
#[macro_export]
macro_rules! impl_for_backends {
    (impl $trait:path { $($body:tt)* }) => {
        impl $trait for sqlx::SqliteConnection { $($body)* }
        impl $trait for sqlx::PgConnection { $($body)* }
    };
}

/// Starts a transaction that is going to write. On SQLite it takes the write lock at `BEGIN`
/// (`IMMEDIATE`): a deferred transaction that reads first fails with `SQLITE_BUSY` when another
/// writer committed in between, whereas an immediate one waits its turn (busy_timeout). On
/// PostgreSQL row locks and constraints do that job, so a plain `BEGIN` is right.
pub trait BeginWrite {
    type Database: sqlx::Database;

    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>,
    > + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// A connection pool to one of the supported backends. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from the URL scheme; anything else is a configuration error.
    pub fn from_url(url: &str) -> Result<Self, DbSetupError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            let scheme = url.split(':').next().unwrap_or_default();
            Err(DbSetupError(format!(
                "database.url: unsupported scheme '{scheme}': use sqlite://path/to/file.db or postgres://user@host/db"
            )))
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Why the database could not be opened or migrated; one line naming `database.url`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DbSetupError(String);

impl DbSetupError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens a pool for `settings.url` and brings the schema up to date.
    pub async fn connect_and_migrate(settings: &DatabaseSettings) -> Result<Db, DbSetupError> {
        let db = Self::connect(settings).await?;
        db.migrate().await?;
        Ok(db)
    }

    pub async fn connect(settings: &DatabaseSettings) -> Result<Db, DbSetupError> {
        let timeout = Duration::from_secs(settings.connect_timeout_seconds);
        match Backend::from_url(&settings.url)? {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(&settings.url)
                    .map_err(|e| DbSetupError(format!("database.url: {e}")))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .disable_statement_logging();
                ensure_data_dir(options.get_filename())?;
                // The first connection switches a new file to WAL, which needs an exclusive
                // lock; two processes switching at once deadlock, and SQLite answers one of them
                // "database is locked" at once instead of waiting. Instances starting together
                // take turns here, as they do for migrations.
                let _opening = lock_beside(options.get_filename()).await?;
                let pool = SqlitePoolOptions::new()
                    .max_connections(settings.max_connections)
                    .acquire_timeout(timeout)
                    .connect_with(options)
                    .await
                    .map_err(|e| {
                        DbSetupError(format!(
                            "database.url: cannot open SQLite database {}: {e}",
                            settings.url
                        ))
                    })?;
                Ok(Db::Sqlite(pool))
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(&settings.url)
                    .map_err(|e| DbSetupError(format!("database.url: {e}")))?
                    .disable_statement_logging();
                let where_ = format!(
                    "{}:{}/{}",
                    options.get_host(),
                    options.get_port(),
                    options.get_database().unwrap_or_default()
                );
                let pool = PgPoolOptions::new()
                    .max_connections(settings.max_connections)
                    .acquire_timeout(timeout)
                    .connect_with(options)
                    .await
                    .map_err(|e| {
                        // The URL may hold a password: name host, port and database only.
                        DbSetupError(format!(
                            "database.url: cannot connect to PostgreSQL at {where_}: {e}"
                        ))
                    })?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    /// Applies the migrations of this backend (migrations/sqlite or migrations/postgres).
    /// On PostgreSQL sqlx serialises concurrent runs with an advisory lock; SQLite has none, so
    /// processes sharing a file (a restart overlapping the old process, a CLI command) take a
    /// lock file beside it first.
    pub async fn migrate(&self) -> Result<(), DbSetupError> {
        let result = match self {
            Db::Sqlite(pool) => {
                let _lock = lock_beside(pool.connect_options().get_filename()).await?;
                sqlx::migrate!("./migrations/sqlite").run(pool).await
            }
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await,
        };
        result.map_err(|e| DbSetupError(format!("database migration failed: {e}")))
    }

    /// A cheap round trip that proves the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|_| ()))
    }

    /// The newest applied migration version, i.e. the schema version this database is at.
    pub async fn schema_version(&self) -> Result<i64, sqlx::Error> {
        on_db!(self, |pool| {
            sqlx::query_scalar::<_, Option<i64>>(
                "SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE",
            )
            .fetch_one(pool)
            .await
            .map(Option::unwrap_or_default)
        })
    }

    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }
}

/// An exclusive lock on `<database file>.migrate-lock`, held until the returned file is dropped.
/// In-memory databases are private to one process and need none.
async fn lock_beside(database: &Path) -> Result<Option<std::fs::File>, DbSetupError> {
    if database.as_os_str().is_empty() || database.to_string_lossy().contains(":memory:") {
        return Ok(None);
    }
    let mut path = database.as_os_str().to_owned();
    path.push(".migrate-lock");
    let path = std::path::PathBuf::from(path);
    let shown = path.display().to_string();
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        file.lock()?;
        Ok::<_, std::io::Error>(Some(file))
    })
    .await
    .map_err(|e| DbSetupError(format!("database.url: locking {shown} failed: {e}")))?
    .map_err(|e| {
        DbSetupError(format!(
            "database.url: cannot lock {shown} to open or migrate the database: {e}"
        ))
    })
}

/// Creates the SQLite file's folder, so a fresh checkout runs with nothing to set up.
fn ensure_data_dir(file: &Path) -> Result<(), DbSetupError> {
    let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        DbSetupError(format!(
            "database.url: cannot create data directory {}: {e}",
            dir.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_url_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://data/crm.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").ok(),
            Some(Backend::Postgres)
        );
    }

    #[test]
    fn unknown_scheme_names_the_key_and_the_scheme() {
        let err = Backend::from_url("mysql://u@h/db").expect_err("mysql is not supported");
        let msg = err.to_string();
        assert!(msg.starts_with("database.url:"), "{msg}");
        assert!(msg.contains("'mysql'"), "{msg}");
    }
}
