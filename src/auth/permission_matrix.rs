//! The per-tenant role × permission matrix that an admin edits in settings.

use super::roles::{Permission, Role};
use crate::{error::AppError, text_enum::Word};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionMatrix {
    pub permissions: Vec<Permission>,
    /// (role, permission) pairs that are granted.
    pub granted: Vec<(Role, Permission)>,
}

impl PermissionMatrix {
    pub fn is_granted(&self, role: Role, permission: Permission) -> bool {
        self.granted.contains(&(role, permission))
    }
}

/// Permissions the admin role always keeps, so a tenant can never lock itself out.
pub const ADMIN_KEEPS: [Permission; 2] = [Permission::UsersManage, Permission::SettingsManage];

#[server(endpoint = "permissions/matrix")]
pub async fn load_permission_matrix() -> Result<PermissionMatrix, AppError> {
    super::request::acting(|a| async move {
        super::permission_service::matrix(&a.state.db, &a.actor).await
    })
    .await
}

/// `role` and `permission` are posted as their words (`sales_agent`, `deals.manage`); an unknown
/// one is a field error (422).
#[server(endpoint = "permissions/set")]
pub async fn set_role_permission(
    role: Word<Role>,
    permission: Word<Permission>,
    granted: bool,
) -> Result<PermissionMatrix, AppError> {
    super::request::acting(|a| async move {
        use super::permission_service::{matrix, set};
        set(&a.state.db, &a.actor, role, permission, granted, &a.client).await?;
        matrix(&a.state.db, &a.actor).await
    })
    .await
}
