//! Personal API tokens for the REST API (`Authorization: Bearer crm_…`). A user makes and revokes
//! their own; the secret is shown once and only its SHA-256 is stored. A token acts as its user
//! with the user's role at the time of each request, so deactivating the user or suspending the
//! tenant stops the token too.

pub mod input;
pub mod panel;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How long a new token may live, as offered in the form; `None` never expires.
pub const LIFETIMES_DAYS: [Option<u32>; 4] = [Some(30), Some(90), Some(365), None];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The secret's first characters, e.g. `crm_1a2b3c4d`, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A token just made: the only time its secret is ever sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub token: ApiToken,
    pub secret: String,
}
