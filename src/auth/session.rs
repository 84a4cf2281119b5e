//! Sessions stored in the application's own database through tower-sessions. The store is the
//! sqlx store of whichever backend runs, behind one enum so the router has a single layer type.

use crate::{config::SessionSettings, db::Db};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tower_sessions::{
    cookie::{time::Duration, SameSite},
    session::{Id, Record},
    session_store, Expiry, SessionManagerLayer, SessionStore,
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// What a signed-in session holds. Everything else about the user is read fresh per request, so
/// a deactivated user or a suspended tenant stops working on the next request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: i64,
    pub tenant_id: i64,
    /// Unix seconds; the absolute timeout counts from here.
    pub signed_in_at: i64,
}

pub const AUTH_KEY: &str = "auth";

#[derive(Clone, Debug)]
pub enum SessionBackend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionBackend {
    /// The store for `db`. Its table comes from our migrations (see migrations/*/…_sessions.sql),
    /// not from the store's own `migrate`, which races when instances start together.
    pub fn for_db(db: &Db) -> Self {
        match db {
            Db::Sqlite(pool) => SessionBackend::Sqlite(SqliteStore::new(pool.clone())),
            Db::Postgres(pool) => SessionBackend::Postgres(PostgresStore::new(pool.clone())),
        }
    }

    /// Removes expired sessions; run periodically.
    pub async fn delete_expired(&self) -> session_store::Result<()> {
        use tower_sessions::ExpiredDeletion;
        match self {
            SessionBackend::Sqlite(s) => s.delete_expired().await,
            SessionBackend::Postgres(s) => s.delete_expired().await,
        }
    }

    pub fn layer(self, settings: &SessionSettings) -> SessionManagerLayer<SessionBackend> {
        let idle = i64::try_from(settings.idle_timeout_minutes).unwrap_or(i64::MAX / 60);
        SessionManagerLayer::new(self)
            .with_name(settings.cookie_name.clone())
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(settings.secure_cookie)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(Duration::minutes(idle)))
    }
}

#[async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite(s) => s.create(record).await,
            SessionBackend::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite(s) => s.save(record).await,
            SessionBackend::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            SessionBackend::Sqlite(s) => s.load(id).await,
            SessionBackend::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite(s) => s.delete(id).await,
            SessionBackend::Postgres(s) => s.delete(id).await,
        }
    }
}
