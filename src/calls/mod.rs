//! Calls: the message contract of the click-to-call channel between tabs, the call state
//! machine, and the calls themselves from dial to wrap-up. How a call ended is one of the
//! tenant's `dispositions`; the PBX's records (CDRs) are attached afterwards by `pbx`.

pub mod bus;
pub mod channel;
pub mod click_to_call;
pub mod console;
mod console_call;
mod console_context;
pub mod console_lists;
#[cfg(feature = "ssr")]
pub mod country;
#[cfg(feature = "ssr")]
pub mod log;
pub mod log_page;
#[cfg(feature = "ssr")]
pub mod phone;
#[cfg(feature = "ssr")]
mod related;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
pub mod softphone;
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;
pub mod wrap_up;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use state::CallState;

/// One call, as the console and the calls log show it. Numbers are E.164.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Call {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    /// `outbound` or `inbound`.
    pub direction: String,
    pub from_number: String,
    pub to_number: String,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub deal_title: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub state: CallState,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_seconds: Option<i64>,
    pub disposition_id: Option<i64>,
    pub disposition_name: Option<String>,
    pub wrapup_notes: String,
    /// Only for users with `calls.recordings.view`; `None` for everyone else.
    pub recording_url: Option<String>,
}

impl Call {
    /// The other party's number.
    pub fn their_number(&self) -> &str {
        if self.direction == "inbound" {
            &self.from_number
        } else {
            &self.to_number
        }
    }
}

/// Starting a call. `related_type` is `contact`, `company`, `deal` or empty; `request_id` is the
/// click-to-call request's id, so the same request never dials twice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartCallForm {
    #[serde(default)]
    pub number: String,
    /// `outbound` (the default) or `inbound`.
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub related_type: String,
    #[serde(default)]
    pub related_id: String,
    #[serde(default)]
    pub request_id: String,
}

/// Closing a call: a disposition (required) and a note (required when the disposition says so).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrapUpForm {
    #[serde(default)]
    pub disposition_id: String,
    #[serde(default)]
    pub notes: String,
}

/// What the console needs when it opens: the call that is still going or waiting for its
/// wrap-up, the agent's latest calls and the dispositions to pick from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleState {
    pub current: Option<Call>,
    pub recent: Vec<Call>,
    pub dispositions: Vec<crate::dispositions::Disposition>,
}

/// Filters of the calls log; empty strings are "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFilter {
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub disposition_id: String,
    /// `YYYY-MM-DD`, in the tenant's timezone, inclusive.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Calls older than this id (the next page).
    #[serde(default)]
    pub before_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallsPage {
    pub calls: Vec<Call>,
    pub next_before_id: Option<i64>,
}
