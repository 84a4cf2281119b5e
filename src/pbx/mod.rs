//! The PBX's side of calling: its credential (one bearer token per tenant, `pbx_…`, that can only
//! post call records, so the PBX never holds a person's token) and the call detail records it
//! posts (talk time, the recording link), attached to the call they describe.

pub mod input;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A PBX token as Settings shows it: never its secret, only its first characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PbxToken {
    /// e.g. `pbx_1a2b3c4d`
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    /// Set once a newer token replaced it (or it was revoked).
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A PBX token just made: the only time its secret is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPbxToken {
    pub token: PbxToken,
    pub secret: String,
}

/// What the PBX sends.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Cdr {
    /// The PBX's own id of the call (e.g. FreeSWITCH's uuid); at most 200 characters once
    /// trimmed.
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schema(required = true, min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub pbx_call_id: String,
    /// The CRM call it belongs to, when the PBX knows it (the console passes it on at dial).
    #[serde(default)]
    pub call_id: Option<i64>,
    /// Billable talk time, up to a week.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(minimum = 0, maximum = 604800))]
    pub duration_seconds: Option<i64>,
    /// An http(s) link without white space.
    #[serde(default)]
    #[cfg_attr(
        feature = "ssr",
        schema(max_length = 2000, pattern = r"^https?://\S*$")
    )]
    pub recording_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CdrOutcome {
    /// Attached to this call (again, for a repeated record).
    Attached { call_id: i64 },
    /// No call matched; kept for later.
    Unmatched { pbx_call_id: String },
}
