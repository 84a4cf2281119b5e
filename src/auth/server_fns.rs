//! Sign-in, sign-out, registration and "who am I" as server functions for the UI.

use super::SessionUser;
use crate::error::AppError;
use leptos::prelude::*;

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
