//! API token operations for the account page. Every signed-in user manages their own tokens.

use super::{ApiToken, NewApiToken};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "api_tokens/list")]
pub async fn list_api_tokens() -> Result<Vec<ApiToken>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::list_tokens(&a.state.db, &a.actor).await
    })
    .await
}

/// `expires_in_days`: blank for a token that never expires.
#[server(endpoint = "api_tokens/create")]
pub async fn create_api_token(
    name: String,
    #[server(default)] expires_in_days: String,
) -> Result<NewApiToken, AppError> {
    crate::auth::request::acting(|a| async move {
        let input = super::input::ApiTokenInput::parse(&name, &expires_in_days);
        super::service::create_token(&a.state.db, &a.actor, input, &a.client).await
    })
    .await
}

#[server(endpoint = "api_tokens/revoke")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::revoke_token(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}
