//! Calls. So far: the tenant's call dispositions (how a call ended: "Connected", "No answer",
//! …), which agents pick at wrap-up and admins edit in settings; the message contract of the
//! click-to-call channel between tabs; and the call state machine. The console, the calls table
//! and the PBX webhook come with the agent console issue.

pub mod channel;
#[cfg(feature = "ssr")]
pub mod dispositions;
pub mod server_fns;
pub mod state;

use serde::{Deserialize, Serialize};

/// One disposition. Exactly one per tenant `is_default` (preselected at wrap-up); names are
/// unique per tenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Disposition {
    pub id: i64,
    pub name: String,
    pub sort_order: i32,
    pub is_default: bool,
    /// The agent must write a note when picking it (e.g. "Callback requested").
    pub requires_note: bool,
}

/// What the add and edit forms send. An unchecked box is absent from the form, hence the default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionForm {
    pub name: String,
    #[serde(default)]
    pub requires_note: bool,
}
