//! The per-tenant role × permission matrix that an admin edits in settings.

use super::roles::{Permission, Role};
use crate::error::AppError;
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
    super::request::acting(|a| async move { ssr::matrix(&a.state.db, &a.actor).await }).await
}

#[server(endpoint = "permissions/set")]
pub async fn set_role_permission(
    role: String,
    permission: String,
    granted: bool,
) -> Result<PermissionMatrix, AppError> {
    super::request::acting(|a| async move {
        ssr::set(
            &a.state.db,
            &a.actor,
            &role,
            &permission,
            granted,
            &a.client,
        )
        .await?;
        ssr::matrix(&a.state.db, &a.actor).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{PermissionMatrix, ADMIN_KEEPS};
    use crate::db::BeginWrite;
    use crate::{
        audit::{AuditEntry, AuditLog, ClientInfo},
        auth::{
            actor::Actor,
            roles::{Permission, Role},
        },
        db::Db,
        error::AppError,
        on_db,
    };

    pub async fn matrix(db: &Db, actor: &Actor) -> Result<PermissionMatrix, AppError> {
        actor.require(Permission::SettingsManage)?;
        let rows: Vec<(String, String)> = on_db!(db, |pool| {
            sqlx::query_as("SELECT role, permission FROM role_permissions WHERE tenant_id = $1")
                .bind(actor.tenant_id)
                .fetch_all(pool)
                .await?
        });
        let granted = rows
            .into_iter()
            .filter_map(|(role, permission)| {
                Some((Role::parse(&role)?, Permission::parse(&permission)?))
            })
            .collect();
        Ok(PermissionMatrix {
            permissions: Permission::ALL.to_vec(),
            granted,
        })
    }

    pub async fn set(
        db: &Db,
        actor: &Actor,
        role: &str,
        permission: &str,
        granted: bool,
        client: &ClientInfo,
    ) -> Result<(), AppError> {
        actor.require_write(Permission::SettingsManage)?;
        let role = Role::parse(role).ok_or_else(|| AppError::invalid("role", "is not a role"))?;
        let permission = Permission::parse(permission)
            .ok_or_else(|| AppError::invalid("permission", "is not a permission"))?;
        if role == Role::TenantAdmin && !granted && ADMIN_KEEPS.contains(&permission) {
            return Err(AppError::invalid(
                "permission",
                "admins always keep users.manage and settings.manage, so the company cannot lock itself out",
            ));
        }
        let entry = AuditEntry::by(
            actor,
            if granted {
                "permission.granted"
            } else {
                "permission.revoked"
            },
            "role_permission",
            client,
        )
        .change(
            &format!("{}:{permission}", role.as_str()),
            !granted,
            granted,
        );
        on_db!(db, |pool| {
            let mut tx = pool.begin_write().await?;
            let changed = if granted {
                sqlx::query(
                    "INSERT INTO role_permissions (tenant_id, role, permission) VALUES ($1, $2, $3)
                     ON CONFLICT (tenant_id, role, permission) DO NOTHING",
                )
            } else {
                sqlx::query("DELETE FROM role_permissions WHERE tenant_id = $1 AND role = $2 AND permission = $3")
            }
            .bind(actor.tenant_id)
            .bind(role.as_str())
            .bind(permission.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed > 0 {
                tx.insert_audit(&entry).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
