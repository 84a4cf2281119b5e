//! The people of a tenant and their teams: the admin creates users with a temporary password,
//! changes role and team, deactivates and reactivates them; everyone changes their own password,
//! timezone and language.

pub mod input;
pub mod pages;
mod preferences_panel;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::roles::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub is_active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TeamSummary {
    pub id: i64,
    pub name: String,
}

/// The languages a user may choose. The choice is stored now and takes effect once the UI is
/// translated; until then every page is in English.
pub const LANGUAGES: [(&str, &str); 4] = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
];

/// The signed-in user's own preferences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Preferences {
    /// IANA name; `None` follows the company's timezone.
    pub timezone: Option<String>,
    /// A code of `LANGUAGES`.
    pub locale: String,
}

/// The preferences form as posted (`form[timezone]=…`); a blank timezone follows the company's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferencesForm {
    pub timezone: String,
    pub locale: String,
}
