//! Call dispositions: how a call ended ("Connected", "Left a message", …), picked at every
//! wrap-up. Each tenant keeps exactly one default (preselected), names are unique per tenant
//! (ignoring case), and the default cannot be deleted. Everyone reads them; changing them needs
//! `settings.manage`.

pub mod input;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

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
