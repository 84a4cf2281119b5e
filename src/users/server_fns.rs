//! User and team management for the UI. The forms' fields arrive as plain strings and are parsed
//! here; the service checks ids against the actor's tenant, so another tenant's id answers 404.

use super::{Preferences, PreferencesForm, TeamSummary, UserSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::list_users(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "users/create")]
pub async fn create_user(
    name: String,
    email: String,
    role: String,
    team_id: String,
    temporary_password: String,
) -> Result<UserSummary, AppError> {
    use super::input::{NewUserDraft, NewUserForm};
    crate::auth::request::acting(|a| async move {
        let draft = NewUserDraft::from(NewUserForm {
            name: &name,
            email: &email,
            role: &role,
            team_id: &team_id,
            temporary_password: &temporary_password,
        });
        super::service::create_user(&a.state.db, &a.actor, draft, &a.client).await
    })
    .await
}

#[server(endpoint = "users/update")]
pub async fn update_user(
    user_id: i64,
    role: String,
    team_id: String,
) -> Result<UserSummary, AppError> {
    crate::auth::request::acting(|a| async move {
        let change = super::input::UserChange::parse(&role, &team_id);
        super::service::update_user(&a.state.db, &a.actor, user_id, change, &a.client).await
    })
    .await
}

#[server(endpoint = "users/set_active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<UserSummary, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::set_user_active(&a.state.db, &a.actor, user_id, active, &a.client).await
    })
    .await
}

#[server(endpoint = "users/change_password")]
pub async fn change_own_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::change_own_password(
            &a.state.db,
            &a.actor,
            &current_password,
            &new_password,
            &a.client,
        )
        .await
    })
    .await
}

#[server(endpoint = "teams/list")]
pub async fn list_teams() -> Result<Vec<TeamSummary>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::list_teams(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "teams/create")]
pub async fn create_team(name: String) -> Result<TeamSummary, AppError> {
    crate::auth::request::acting(|a| async move {
        let input = super::input::TeamInput::parse(&name);
        super::service::create_team(&a.state.db, &a.actor, input, &a.client).await
    })
    .await
}

#[server(endpoint = "users/preferences")]
pub async fn load_my_preferences() -> Result<Preferences, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::my_preferences(&a.state.db, &a.actor).await
    })
    .await
}

/// Your own timezone (blank: the company's) and language.
#[server(endpoint = "users/update_preferences")]
pub async fn update_my_preferences(form: PreferencesForm) -> Result<Preferences, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::update_my_preferences(&a.state.db, &a.actor, &form, &a.client).await
    })
    .await
}
