//! User and team management for the UI. Ids are checked against the actor's tenant in the
//! queries; another tenant's id answers 404.

use super::{TeamSummary, UserSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::queries::list_users(&a.state.db, &a.actor).await
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
    use super::queries::{create_user, NewUser};
    crate::auth::request::acting(|a| async move {
        let form = NewUser {
            name: &name,
            email: &email,
            role: &role,
            team_id: &team_id,
            temporary_password: &temporary_password,
        };
        create_user(&a.state.db, &a.actor, form, &a.client).await
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
        super::queries::update_user(&a.state.db, &a.actor, user_id, &role, &team_id, &a.client)
            .await
    })
    .await
}

#[server(endpoint = "users/set_active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<UserSummary, AppError> {
    crate::auth::request::acting(|a| async move {
        super::queries::set_user_active(&a.state.db, &a.actor, user_id, active, &a.client).await
    })
    .await
}

#[server(endpoint = "users/change_password")]
pub async fn change_own_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::queries::change_own_password(
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
        super::queries::list_teams(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "teams/create")]
pub async fn create_team(name: String) -> Result<TeamSummary, AppError> {
    crate::auth::request::acting(|a| async move {
        super::queries::create_team(&a.state.db, &a.actor, &name, &a.client).await
    })
    .await
}
