//! The `Actor`: who is asking, resolved once per request from the session and the database.
//! Every query function of a tenant-owned area takes one and filters by its tenant and scope.

use super::{
    roles::{Permission, Role, Scope},
    session::SessionAuth,
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

#[derive(sqlx::FromRow)]
struct ActorRow {
    tenant_id: i64,
    user_id: i64,
    role: String,
    team_id: Option<i64>,
    name: String,
    email: String,
    tenant_name: String,
}

/// Loads the actor a session stands for, or `None` when it may no longer act: the user was
/// deactivated or removed, or the tenant is suspended or closed.
pub async fn load_actor(db: &Db, auth: &SessionAuth) -> Result<Option<Actor>, sqlx::Error> {
    let row: Option<ActorRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT u.tenant_id, u.id AS user_id, u.role, u.team_id, u.name, u.email,
                    t.name AS tenant_name
             FROM users u JOIN tenants t ON t.id = u.tenant_id
             WHERE u.id = $1 AND u.tenant_id = $2 AND u.is_active = TRUE AND t.status = 'active'",
        )
        .bind(auth.user_id)
        .bind(auth.tenant_id)
        .fetch_optional(pool)
        .await?
    });
    let Some(row) = row else { return Ok(None) };
    let Some(role) = Role::parse(&row.role) else {
        tracing::error!(user_id = row.user_id, role = %row.role, "user has an unknown role");
        return Ok(None);
    };
    let permissions: Vec<String> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT permission FROM role_permissions WHERE tenant_id = $1 AND role = $2",
        )
        .bind(row.tenant_id)
        .bind(role.as_str())
        .fetch_all(pool)
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
