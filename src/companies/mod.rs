//! Companies: the organisations contacts work for. Owned by a user like contacts, searchable
//! the same way, soft-deleted and restorable.

pub mod card;
pub mod input;
pub mod list_page;
mod new_form;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub domain: Option<String>,
    /// As typed; shown as written.
    pub phone: Option<String>,
    /// `phone` in E.164, read with the tenant's default country when it was saved.
    pub phone_e164: Option<String>,
    pub address: Option<String>,
    pub notes: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    /// Live contacts of this company (all of them, whoever owns them).
    pub contact_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyForm {
    pub name: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub owner_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct CompanyFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub owner_id: Option<i64>,
    /// The `next_cursor` of the page before.
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
pub struct CompanyPage {
    pub items: Vec<Company>,
    pub next_cursor: Option<String>,
}
