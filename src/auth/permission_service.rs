//! Who may do what in a tenant: reading and changing the role × permission matrix
//! (`settings.manage`), with its audit entry in the same transaction.

use super::{
    actor::Actor,
    permission_matrix::{PermissionMatrix, ADMIN_KEEPS},
    permission_store::PermissionStore,
    roles::{Permission, Role},
};
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    db::{BeginWrite, Db},
    error::AppError,
    on_db,
    text_enum::Word,
};

pub async fn matrix(db: &Db, actor: &Actor) -> Result<PermissionMatrix, AppError> {
    actor.require(Permission::SettingsManage)?;
    let granted = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .granted_permissions(actor.tenant_id)
            .await?
    });
    Ok(PermissionMatrix {
        permissions: Permission::ALL.to_vec(),
        granted,
    })
}

pub async fn set(
    db: &Db,
    actor: &Actor,
    role: Word<Role>,
    permission: Word<Permission>,
    granted: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let role = role
        .parse()
        .ok_or_else(|| AppError::invalid("role", "is not a role"))?;
    let permission = permission
        .parse()
        .ok_or_else(|| AppError::invalid("permission", "is not a permission"))?;
    if role == Role::TenantAdmin && !granted && ADMIN_KEEPS.contains(&permission) {
        return Err(AppError::invalid(
            "permission",
            "admins always keep users.manage and settings.manage, so the company cannot lock itself out",
        ));
    }
    let action = if granted {
        "permission.granted"
    } else {
        "permission.revoked"
    };
    let entry = AuditEntry::by(actor, action, "role_permission", client).change(
        &format!("{}:{permission}", role.as_str()),
        !granted,
        granted,
    );
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        if tx
            .set_permission(actor.tenant_id, role, permission, granted)
            .await?
        {
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
    });
    Ok(())
}
