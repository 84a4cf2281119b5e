//! Who is asking and what they may do: passwords, sessions, sign-in with lockout, roles and
//! permissions, and the per-request `Actor` every tenant-owned query takes.

pub mod pages;
pub mod permission_matrix;
pub mod roles;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod actor;
#[cfg(feature = "ssr")]
pub mod bearer_secret;
#[cfg(feature = "ssr")]
pub mod login;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod permission_service;
#[cfg(feature = "ssr")]
pub mod permission_store;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod scope;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod store;

use roles::{Permission, Role};
use serde::{Deserialize, Serialize};

/// The signed-in user as the browser sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionUser {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "sales_agent"))]
    pub role: Role,
    pub tenant_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>, example = json!(["contacts.view"])))]
    pub permissions: Vec<Permission>,
}

impl SessionUser {
    /// The same rule as `Actor::has`, so the UI hides exactly what the server refuses.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
            && permission
                .needs()
                .is_none_or(|p| self.permissions.contains(&p))
    }
}
