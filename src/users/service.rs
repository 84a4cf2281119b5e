//! What may be done with users and teams: creating and changing them needs `users.manage`, and
//! ids outside the actor's tenant answer `NotFound`, exactly like ids that do not exist. Each
//! write stores its change and its audit entry, and reads the user back, in one transaction.

use super::{
    input::{
        preference_fields, NewUserDraft, NewUserRecord, PreferencesInput, TeamInput, UserChange,
    },
    store::UserStore,
    Preferences, PreferencesForm, TeamSummary, UserSummary,
};
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        password::{hash_password, verify_password},
        roles::{Permission, Role},
        scope::Visible,
    },
    db::Db,
    error::{AppError, ResultExt},
    on_db,
    validation::{Email, FieldErrors, NewPassword},
};
use chrono::Utc;

pub const LAST_ADMIN: &str = "must stay: every company needs at least one active admin";
const NOT_A_TEAM_OF_THE_TENANT: &str = "is not a team of your company";

/// The users the actor may see: the whole tenant for admins, the team for supervisors, oneself
/// for agents.
pub async fn list_users(db: &Db, actor: &Actor) -> Result<Vec<UserSummary>, AppError> {
    let visible = Visible::to(actor);
    Ok(on_db!(db, |pool| {
        pool.acquire().await?.visible_users(visible).await?
    }))
}

pub async fn list_teams(db: &Db, actor: &Actor) -> Result<Vec<TeamSummary>, AppError> {
    Ok(on_db!(db, |pool| {
        pool.acquire().await?.teams(actor.tenant_id).await?
    }))
}

pub async fn create_team(
    db: &Db,
    actor: &Actor,
    input: Result<TeamInput, AppError>,
    client: &ClientInfo,
) -> Result<TeamSummary, AppError> {
    actor.require_write(Permission::UsersManage)?;
    let name = input?.name;
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx
            .insert_team(actor.tenant_id, &name, Utc::now())
            .await
            .on_unique_violation("name", "a team with this name exists")?;
        let entry = AuditEntry::by(actor, "team.created", "team", client)
            .entity(id)
            .created(vec![("name", name.as_str().into())]);
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        Ok(TeamSummary {
            id,
            name: name.as_str().to_string(),
        })
    })
}

/// One user of the actor's tenant (admins' view), or `NotFound`.
pub async fn find_user(db: &Db, actor: &Actor, user_id: i64) -> Result<UserSummary, AppError> {
    let user = on_db!(db, |pool| {
        pool.acquire().await?.user(actor.tenant_id, user_id).await?
    });
    user.ok_or(AppError::NotFound)
}

/// Whether `team_id` names a team of the actor's tenant.
async fn is_tenants_team(db: &Db, actor: &Actor, team_id: i64) -> Result<bool, AppError> {
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .team_exists(actor.tenant_id, team_id)
            .await?
    }))
}

async fn other_active_admins(db: &Db, actor: &Actor, except: i64) -> Result<i64, AppError> {
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .other_active_admins(actor.tenant_id, except)
            .await?
    }))
}

pub async fn create_user(
    db: &Db,
    actor: &Actor,
    draft: NewUserDraft,
    client: &ClientInfo,
) -> Result<UserSummary, AppError> {
    actor.require_write(Permission::UsersManage)?;
    let mut errors = FieldErrors::default();
    if let Some(team_id) = draft.links {
        if !is_tenants_team(db, actor, team_id).await? {
            errors.check::<()>("team_id", Err(NOT_A_TEAM_OF_THE_TENANT.into()));
        }
    }
    let (input, team_id) = draft.accept(errors)?;
    let record = NewUserRecord { input, team_id };
    let hash = hash_password(record.input.temporary_password.expose().to_string()).await?;
    let user = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx
            .insert_user(actor.tenant_id, &record, &hash, Utc::now())
            .await
            .on_unique_violation("email", "is already used by another account")?;
        let entry = AuditEntry::by(actor, "user.created", "user", client)
            .entity(id)
            .created(record.audit_fields());
        tx.insert_audit(&entry).await?;
        let user = tx.user(actor.tenant_id, id).await?;
        tx.commit().await?;
        user
    });
    user.ok_or(AppError::NotFound)
}

/// Sets a user's role and team. The last active admin may not step down.
pub async fn update_user(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    change: Result<UserChange, AppError>,
    client: &ClientInfo,
) -> Result<UserSummary, AppError> {
    actor.require_write(Permission::UsersManage)?;
    let before = find_user(db, actor, user_id).await?;
    let change = change?;
    if let Some(team_id) = change.team_id {
        if !is_tenants_team(db, actor, team_id).await? {
            return Err(AppError::invalid("team_id", NOT_A_TEAM_OF_THE_TENANT));
        }
    }
    if before.role == Role::TenantAdmin
        && change.role != Role::TenantAdmin
        && before.is_active
        && other_active_admins(db, actor, user_id).await? == 0
    {
        return Err(AppError::invalid("role", LAST_ADMIN));
    }
    let entry = AuditEntry::by(actor, "user.updated", "user", client)
        .entity(user_id)
        .changed(
            UserChange::current(&before).audit_fields(),
            change.audit_fields(),
        );
    if entry.changes.is_empty() {
        return Ok(before);
    }
    let user = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.set_role_and_team(actor.tenant_id, user_id, &change)
            .await?;
        tx.insert_audit(&entry).await?;
        let user = tx.user(actor.tenant_id, user_id).await?;
        tx.commit().await?;
        user
    });
    user.ok_or(AppError::NotFound)
}

/// Deactivates or reactivates a user. Nobody deactivates themselves, nor the last active admin.
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
    let action = if active {
        "user.reactivated"
    } else {
        "user.deactivated"
    };
    let entry = AuditEntry::by(actor, action, "user", client)
        .entity(user_id)
        .change("is_active", before.is_active, active);
    let user = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.set_active(actor.tenant_id, user_id, active).await?;
        tx.insert_audit(&entry).await?;
        let user = tx.user(actor.tenant_id, user_id).await?;
        tx.commit().await?;
        user
    });
    user.ok_or(AppError::NotFound)
}

/// The actor's own password: the current one must be right, the new one a valid password.
pub async fn change_own_password(
    db: &Db,
    actor: &Actor,
    current: &str,
    new: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let stored = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .password_hash(actor.tenant_id, actor.user_id)
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
        tx.set_password_hash(actor.tenant_id, actor.user_id, &hash)
            .await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Everyone reads and sets their own timezone and language; nobody another's.
pub async fn my_preferences(db: &Db, actor: &Actor) -> Result<Preferences, AppError> {
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .preferences(actor.tenant_id, actor.user_id)
            .await?
    }))
}

pub async fn update_my_preferences(
    db: &Db,
    actor: &Actor,
    form: &PreferencesForm,
    client: &ClientInfo,
) -> Result<Preferences, AppError> {
    let input = PreferencesInput::try_from(form)?;
    let (tenant_id, id) = (actor.tenant_id, actor.user_id);
    Ok(on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let before = tx.preferences(tenant_id, id).await?;
        tx.set_preferences(tenant_id, id, &input).await?;
        let after = tx.preferences(tenant_id, id).await?;
        let entry = AuditEntry::by(actor, "user.preferences_changed", "user", client)
            .entity(id)
            .changed(preference_fields(&before), preference_fields(&after));
        if !entry.changes.is_empty() {
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
        after
    }))
}
