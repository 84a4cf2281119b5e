//! Sign-in, sign-out, registration and "who am I" as server functions for the UI.

use super::roles::{Permission, Role};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user as the browser sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionUser {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "sales_agent"))]
    pub role: Role,
    pub tenant_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>, example = json!(["contacts.view"])))]
    pub permissions: Vec<Permission>,
}

impl SessionUser {
    /// The same rule as `Actor::has`, so the UI hides exactly what the server refuses.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
            && permission
                .needs()
                .is_none_or(|p| self.permissions.contains(&p))
    }
}

// Stable endpoints (no hash suffix): plain HTML forms post to them and API tests call them.
#[server(endpoint = "auth/current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let actor = super::request::optional_actor()
        .await
        .map_err(AppError::into_response_status)?;
    Ok(actor.map(Into::into))
}

#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<SessionUser, AppError> {
    use super::request;
    async {
        let state = request::app_state()?;
        let client = request::client_info().await;
        let signed_in =
            super::login::sign_in(&state.db, &state.login_guard, &email, &password, &client)
                .await?;
        let user = request::start_session(signed_in).await?;
        leptos_axum::redirect("/");
        Ok(user)
    }
    .await
    .map_err(AppError::into_response_status)
}

#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    async {
        let actor = super::request::optional_actor().await?;
        if let Some(actor) = actor {
            let state = super::request::app_state()?;
            let client = super::request::client_info().await;
            super::login::record_sign_out(&state.db, &actor, &client).await?;
        }
        super::request::end_session().await?;
        leptos_axum::redirect("/login");
        Ok(())
    }
    .await
    .map_err(AppError::into_response_status)
}

#[server(endpoint = "auth/register")]
pub async fn register_company(
    company_name: String,
    admin_name: String,
    email: String,
    password: String,
) -> Result<SessionUser, AppError> {
    use super::request;
    use crate::tenancy::registration::{register_company, Registration};
    async {
        let form = Registration::parse(&company_name, &admin_name, &email, &password)?;
        let state = request::app_state()?;
        let client = request::client_info().await;
        let signed_in = register_company(&state.db, form, &client).await?;
        let user = request::start_session(signed_in).await?;
        leptos_axum::redirect("/");
        Ok(user)
    }
    .await
    .map_err(AppError::into_response_status)
}
