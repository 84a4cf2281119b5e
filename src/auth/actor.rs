//! The `Actor`: who is asking, resolved once per request from the session and the database.
//! Every query function of a tenant-owned area takes one and filters by its tenant and scope.

use super::{
    roles::{Permission, Role, Scope},
    session::SessionAuth,
    store::AuthStore,
};
use crate::{db::Db, error::AppError, on_db};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub tenant_id: i64,
    pub user_id: i64,
    pub role: Role,
    pub team_id: Option<i64>,
    pub permissions: BTreeSet<Permission>,
    pub name: String,
    pub email: String,
    pub tenant_name: String,
}

impl Actor {
    /// Holds `permission` and the one it needs, if any.
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
            && permission
                .needs()
                .is_none_or(|p| self.permissions.contains(&p))
    }

    /// Checks a permission before any query runs.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.has(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Checks a permission that changes data; read-only users never pass.
    pub fn require_write(&self, permission: Permission) -> Result<(), AppError> {
        if !self.role.can_write() {
            return Err(AppError::Forbidden);
        }
        self.require(permission)
    }

    pub fn scope(&self) -> Scope {
        self.role.scope()
    }
}

/// Loads the actor a session stands for, or `None` when it may no longer act: the user was
/// deactivated or removed, or the tenant is suspended or closed.
pub async fn load_actor(db: &Db, auth: &SessionAuth) -> Result<Option<Actor>, sqlx::Error> {
    let row = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .active_actor(auth.tenant_id, auth.user_id)
            .await?
    });
    let Some(row) = row else { return Ok(None) };
    let Some(role) = Role::parse(&row.role) else {
        tracing::error!(user_id = row.user_id, role = %row.role, "user has an unknown role");
        return Ok(None);
    };
    let permissions = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .role_permission_words(row.tenant_id, role)
            .await?
    });
    Ok(Some(Actor {
        tenant_id: row.tenant_id,
        user_id: row.user_id,
        role,
        team_id: row.team_id,
        // Names no longer in the matrix (kept rows of removed permissions) grant nothing.
        permissions: permissions
            .iter()
            .filter_map(|p| Permission::parse(p))
            .collect(),
        name: row.name,
        email: row.email,
        tenant_name: row.tenant_name,
    }))
}
