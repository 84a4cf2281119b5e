//! The audit log: who did what to which record, with old and new values, from where. Rows are
//! only ever inserted (the schema rejects UPDATE and DELETE), inside the same transaction as the
//! change they describe. Admins with `audit.view` read and filter it.

#[cfg(feature = "ssr")]
mod entry;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;

#[cfg(feature = "ssr")]
pub use entry::{AuditEntry, ClientInfo};
#[cfg(feature = "ssr")]
pub use store::AuditLog;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditRecord {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(json))]
    pub changes: serde_json::Value,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// An action (`deal.moved`) or an entity prefix (`deal.`).
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default)]
    pub actor_id: Option<i64>,
    #[serde(default)]
    pub entity_type: Option<String>,
    #[serde(default)]
    pub entity_id: Option<i64>,
    /// The `id` of the last row of the previous page.
    #[serde(default)]
    pub before_id: Option<i64>,
    #[serde(default)]
    pub limit: Option<u32>,
}
