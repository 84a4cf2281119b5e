//! The role × permission matrix's SQL, as one trait for both backends.

use super::roles::{Permission, Role};
use crate::impl_for_backends;
use std::future::Future;

pub trait PermissionStore {
    /// The (role, permission) pairs the tenant grants; rows naming an unknown word are skipped.
    fn granted_permissions(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Vec<(Role, Permission)>, sqlx::Error>> + Send;

    /// Grants or revokes; whether anything changed.
    fn set_permission(
        &mut self,
        tenant_id: i64,
        role: Role,
        permission: Permission,
        granted: bool,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl PermissionStore {
        async fn granted_permissions(&mut self, tenant_id: i64) -> Result<Vec<(Role, Permission)>, sqlx::Error> {
            let rows: Vec<(String, String)> =
                sqlx::query_as("SELECT role, permission FROM role_permissions WHERE tenant_id = $1")
                    .bind(tenant_id)
                    .fetch_all(&mut *self)
                    .await?;
            Ok(rows
                .into_iter()
                .filter_map(|(role, permission)| Some((Role::parse(&role)?, Permission::parse(&permission)?)))
                .collect())
        }

        async fn set_permission(
            &mut self,
            tenant_id: i64,
            role: Role,
            permission: Permission,
            granted: bool,
        ) -> Result<bool, sqlx::Error> {
            let query = if granted {
                sqlx::query(
                    "INSERT INTO role_permissions (tenant_id, role, permission) VALUES ($1, $2, $3)
                     ON CONFLICT (tenant_id, role, permission) DO NOTHING",
                )
            } else {
                sqlx::query(
                    "DELETE FROM role_permissions WHERE tenant_id = $1 AND role = $2 AND permission = $3",
                )
            };
            let changed = query
                .bind(tenant_id)
                .bind(role.as_str())
                .bind(permission.as_str())
                .execute(&mut *self)
                .await?
                .rows_affected();
            Ok(changed > 0)
        }
    }
}
