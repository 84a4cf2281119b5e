//! Contacts: the people a team sells to. Owned by a user (visibility follows the owner), linked
//! to a company, searchable without regard to case or accents, soft-deleted and restorable.

pub mod card;
pub mod input;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod lifecycle_store;
pub mod list_page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod status_rules;
#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The words of [`ContactStatus`] and [`ContactScore`], for the forms' select fields.
pub const STATUSES: [&str; 5] = ["New", "Active", "Hot", "Inactive", "Cold"];
pub const SCORES: [&str; 3] = ["hot", "warm", "cold"];

crate::text_enum! {
    /// Where a contact stands.
    #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
    pub enum ContactStatus("contact status") {
        New = "New",
        Active = "Active",
        Hot = "Hot",
        Inactive = "Inactive",
        Cold = "Cold",
    }
}

crate::text_enum! {
    /// How likely a contact is to buy.
    #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
    pub enum ContactScore("contact score") {
        Hot = "hot",
        Warm = "warm",
        Cold = "cold",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    /// As typed; shown as written.
    pub phone: Option<String>,
    /// `phone` in E.164, read with the tenant's default country when it was saved.
    pub phone_e164: Option<String>,
    pub source: Option<String>,
    pub notes: String,
    pub status: String,
    pub score: String,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub last_contacted_at: Option<DateTime<Utc>>,
    pub next_followup_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// What a contact form sends. Optional fields are empty strings when left blank.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub score: String,
    #[serde(default)]
    pub company_id: String,
    #[serde(default)]
    pub owner_id: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ContactSort {
    #[default]
    Name,
    Newest,
}

/// List filters; every field is optional. `cursor` is the opaque `next_cursor` of the page before.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct ContactFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub score: Option<String>,
    #[serde(default)]
    pub company_id: Option<i64>,
    #[serde(default)]
    pub created_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub created_to: Option<DateTime<Utc>>,
    /// `name` (A to Z, the default) or `newest` (by creation, newest first).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", param(inline))]
    pub sort: ContactSort,
    /// The `next_cursor` of the page before (with the same `sort`).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", param(min_length = 1))]
    pub cursor: Option<String>,
    /// 1 to 200; 50 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactPage {
    pub items: Vec<Contact>,
    pub next_cursor: Option<String>,
}

/// The nightly contact status's thresholds, a tenant's own (tenants table): Hot with at least
/// `hot_min_communications` calls, emails or meetings in `hot_window_days` days, or an open deal
/// in a stage of at least `hot_min_probability` percent; Inactive after `inactive_after_days`
/// without one, Cold after `cold_after_days`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleRules {
    pub hot_min_communications: i64,
    pub hot_window_days: i64,
    pub hot_min_probability: i64,
    pub inactive_after_days: i64,
    pub cold_after_days: i64,
}

impl Default for LifecycleRules {
    fn default() -> Self {
        Self {
            hot_min_communications: 3,
            hot_window_days: 7,
            hot_min_probability: 70,
            inactive_after_days: 30,
            cold_after_days: 90,
        }
    }
}

/// The status rules form as posted (`form[cold_after_days]=…`), each field as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleRulesForm {
    pub hot_min_communications: String,
    pub hot_window_days: String,
    pub hot_min_probability: String,
    pub inactive_after_days: String,
    pub cold_after_days: String,
}
