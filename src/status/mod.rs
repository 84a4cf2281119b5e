//! The installation status panel on the home page: whether this instance's database answers,
//! which kind it is and its schema version. Nothing about the tenants: anyone can open the page,
//! so their number is for the platform operator (`crm status`). Its "Check again" button is the
//! first control that only works once the WASM bundle has hydrated the page.

mod panel;
mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use panel::StatusPanel;
pub use server_fns::load_installation_status;

use serde::{Deserialize, Serialize};

/// What the status panel shows. Times are formatted on the server so SSR and hydration agree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallationStatus {
    pub backend: String,
    pub schema_version: i64,
    pub checked_at: String,
}

/// The whole installation's counts, for the operator's `crm status` only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct InstallationCounts {
    pub tenants_active: i64,
    pub tenants_suspended: i64,
    pub tenants_closed: i64,
    pub active_users: i64,
}
