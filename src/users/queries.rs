//! SQL for users and teams. Every function takes the `Actor`; ids outside its tenant answer
//! `NotFound`, exactly like ids that do not exist.

use super::{TeamSummary, UserSummary};
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        password::{hash_password, verify_password},
        roles::Role,
        scope::Visible,
    },
    db::Db,
    error::{AppError, ResultExt},
    on_db,
    validation::{Email, FieldErrors, Name, NewPassword},
};
use chrono::Utc;

const USER_COLUMNS: &str =
    "u.id, u.name, u.email, u.role, u.team_id, t.name AS team_name, u.is_active";
pub const LAST_ADMIN: &str = "must stay: every company needs at least one active admin";

/// The users the actor may see: the whole tenant for admins, the team for supervisors, oneself
/// for agents.
pub async fn list_users(db: &Db, actor: &Actor) -> Result<Vec<UserSummary>, AppError> {
    let visible = Visible::to(actor);
    Ok(on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {USER_COLUMNS} FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE "
        ));
        visible.push(&mut query, "u", "id");
        query.push(" ORDER BY u.name, u.id");
        query
            .build_query_as::<UserSummary>()
            .fetch_all(pool)
            .await?
    }))
}

pub async fn list_teams(db: &Db, actor: &Actor) -> Result<Vec<TeamSummary>, AppError> {
    Ok(on_db!(db, |pool| {
        sqlx::query_as::<_, TeamSummary>(
            "SELECT id, name FROM teams WHERE tenant_id = $1 ORDER BY name",
        )
        .bind(actor.tenant_id)
        .fetch_all(pool)
        .await?
    }))
}

pub async fn create_team(
    db: &Db,
    actor: &Actor,
    name: &str,
    client: &ClientInfo,
) -> Result<TeamSummary, AppError> {
    actor.require_write(Permission::UsersManage)?;
    let name = Name::parse(name).map_err(|reason| AppError::invalid("name", reason))?;
    let now = Utc::now();
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (tenant_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(name.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .on_unique_violation("name", "a team with this name exists")?;
        let entry = AuditEntry::by(actor, "team.created", "team", client)
            .entity(id)
            .change("name", serde_json::Value::Null, name.as_str());
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        Ok(TeamSummary {
            id,
            name: name.as_str().to_string(),
        })
    })
}

/// Parses a team id from a form field ("" = no team) and checks it belongs to the tenant.
async fn team_of_tenant(db: &Db, actor: &Actor, team_id: &str) -> Result<Option<i64>, AppError> {
    let team_id = team_id.trim();
    if team_id.is_empty() {
        return Ok(None);
    }
    let id: i64 = team_id
        .parse()
        .map_err(|_| AppError::invalid("team_id", "is not a team"))?;
    let found: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM teams WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(actor.tenant_id)
            .fetch_optional(pool)
            .await?
    });
    found
        .map(Some)
        .ok_or_else(|| AppError::invalid("team_id", "is not a team of your company"))
}

fn parse_role(role: &str) -> Result<Role, String> {
    Role::parse(role.trim()).ok_or_else(|| "is not a role".to_string())
}

pub struct NewUser<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub team_id: &'a str,
    pub temporary_password: &'a str,
}

pub async fn create_user(
    db: &Db,
    actor: &Actor,
    form: NewUser<'_>,
    client: &ClientInfo,
) -> Result<UserSummary, AppError> {
    actor.require_write(Permission::UsersManage)?;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", Name::parse(form.name));
    let email = errors.check("email", Email::parse(form.email));
    let role = errors.check("role", parse_role(form.role));
    let password = errors.check(
        "temporary_password",
        NewPassword::parse(form.temporary_password, email.as_ref()),
    );
    let team = match team_of_tenant(db, actor, form.team_id).await {
        Ok(team) => team,
        Err(AppError::Validation { fields, .. }) => {
            for (field, reason) in fields {
                errors.check::<()>(&field, Err(reason));
            }
            None
        }
        Err(e) => return Err(e),
    };
    let (Some(name), Some(email), Some(role), Some(password)) = (name, email, role, password)
    else {
        return Err(AppError::from_field_errors(errors.into_inner()).unwrap_or(AppError::Internal));
    };
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let hash = hash_password(password.expose().to_string()).await?;
    let now = Utc::now();
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (tenant_id, team_id, name, email, password_hash, role, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(team)
        .bind(name.as_str())
        .bind(email.as_str())
        .bind(&hash)
        .bind(role.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .on_unique_violation("email", "is already used by another account")?;
        let entry = AuditEntry::by(actor, "user.created", "user", client)
            .entity(id)
            .change("email", serde_json::Value::Null, email.as_str())
            .change("role", serde_json::Value::Null, role.as_str())
            .change("team_id", serde_json::Value::Null, team);
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        id
    });
    find_user(db, actor, id).await
}

/// One user of the actor's tenant (admins' view), or `NotFound`.
pub async fn find_user(db: &Db, actor: &Actor, user_id: i64) -> Result<UserSummary, AppError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id = $1 AND u.tenant_id = $2"
    );
    let user: Option<UserSummary> = on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(user_id)
            .bind(actor.tenant_id)
            .fetch_optional(pool)
            .await?
    });
    user.ok_or(AppError::NotFound)
}

async fn other_active_admins(db: &Db, actor: &Actor, except: i64) -> Result<i64, AppError> {
    Ok(on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND role = 'tenant_admin' AND is_active = TRUE AND id <> $2",
        )
        .bind(actor.tenant_id)
        .bind(except)
        .fetch_one(pool)
        .await?
    }))
}

pub async fn update_user(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    role: &str,
    team_id: &str,
    client: &ClientInfo,
) -> Result<UserSummary, AppError> {
    actor.require_write(Permission::UsersManage)?;
    let before = find_user(db, actor, user_id).await?;
    let role = parse_role(role).map_err(|reason| AppError::invalid("role", reason))?;
    let team = team_of_tenant(db, actor, team_id).await?;
    if before.role == Role::TenantAdmin
        && role != Role::TenantAdmin
        && before.is_active
        && other_active_admins(db, actor, user_id).await? == 0
    {
        return Err(AppError::invalid("role", LAST_ADMIN));
    }
    let mut entry = AuditEntry::by(actor, "user.updated", "user", client).entity(user_id);
    if before.role != role {
        entry = entry.change("role", before.role.as_str(), role.as_str());
    }
    if before.team_id != team {
        entry = entry.change("team_id", before.team_id, team);
    }
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE users SET role = $1, team_id = $2 WHERE id = $3 AND tenant_id = $4")
            .bind(role.as_str())
            .bind(team)
            .bind(user_id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        if !entry.changes.is_empty() {
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
    });
    find_user(db, actor, user_id).await
}

pub async fn set_user_active(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    active: bool,
    client: &ClientInfo,
) -> Result<UserSummary, AppError> {
    actor.require_write(Permission::UsersManage)?;
    let before = find_user(db, actor, user_id).await?;
    if !active && user_id == actor.user_id {
        return Err(AppError::invalid(
            "is_active",
            "you cannot deactivate yourself",
        ));
    }
    if !active
        && before.role == Role::TenantAdmin
        && other_active_admins(db, actor, user_id).await? == 0
    {
        return Err(AppError::invalid("is_active", LAST_ADMIN));
    }
    if before.is_active == active {
        return Ok(before);
    }
    let entry = AuditEntry::by(
        actor,
        if active {
            "user.reactivated"
        } else {
            "user.deactivated"
        },
        "user",
        client,
    )
    .entity(user_id)
    .change("is_active", before.is_active, active);
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        // Reactivation also clears a lockout, so the admin's action is enough to let them in.
        sqlx::query(
            "UPDATE users SET is_active = $1, failed_login_attempts = 0, locked_until = NULL
             WHERE id = $2 AND tenant_id = $3",
        )
        .bind(active)
        .bind(user_id)
        .bind(actor.tenant_id)
        .execute(&mut *tx)
        .await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    find_user(db, actor, user_id).await
}

pub async fn change_own_password(
    db: &Db,
    actor: &Actor,
    current: &str,
    new: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let stored: String = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND tenant_id = $2")
            .bind(actor.user_id)
            .bind(actor.tenant_id)
            .fetch_one(pool)
            .await?
    });
    if !verify_password(current.to_string(), stored).await? {
        return Err(AppError::invalid("current_password", "is not correct"));
    }
    let email = Email::parse(&actor.email).ok();
    let new = NewPassword::parse(new, email.as_ref())
        .map_err(|reason| AppError::invalid("new_password", reason))?;
    let hash = hash_password(new.expose().to_string()).await?;
    let entry =
        AuditEntry::by(actor, "user.password_changed", "user", client).entity(actor.user_id);
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND tenant_id = $3")
            .bind(&hash)
            .bind(actor.user_id)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(())
}
