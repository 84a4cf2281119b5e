//! Editing pipelines and their stages (admins with `settings.manage`). Business logic reads the
//! stage flags, never stage names, so renaming a stage changes nothing else. The pipelines and
//! stages themselves are the deals' types (`deals::Pipeline`, `deals::Stage`).

pub mod input;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageForm {
    pub name: String,
    #[serde(default)]
    pub color: String,
    #[serde(default)]
    pub probability: String,
    /// Where new deals of the pipeline start; setting it clears it on the pipeline's other stages.
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub is_won: bool,
    #[serde(default)]
    pub is_lost: bool,
    #[serde(default)]
    pub requires_note: bool,
    #[serde(default)]
    pub requires_followup_date: bool,
}
