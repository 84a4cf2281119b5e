//! Tenants: the companies that use this installation. Registration provisions a new one; the
//! demo tenant is seeded the same way so a fresh checkout has someone to be. Its admins set its
//! name, timezone and default currency in settings (the default country for phone numbers is
//! the calls area's).

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod input;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod provisioning;
#[cfg(feature = "ssr")]
pub mod registration;
#[cfg(feature = "ssr")]
pub mod sample_data;
#[cfg(feature = "ssr")]
pub mod sample_store;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The company's own settings, as its admins see and change them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TenantSettings {
    pub name: String,
    /// IANA name (`Europe/Berlin`): where the company's days begin and end.
    pub timezone: String,
    /// ISO 4217 code a new deal takes when none is named.
    pub default_currency: String,
}

/// The settings form as posted (`form[name]=…`), each field as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSettingsForm {
    pub name: String,
    pub timezone: String,
    pub default_currency: String,
}

crate::text_enum! {
    /// Where a tenant is in its life: only active tenants' users can sign in.
    pub enum TenantStatus("tenant status") {
        Active = "active",
        Suspended = "suspended",
        Closed = "closed",
    }
}
