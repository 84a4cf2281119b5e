//! The PBX token's settings for the UI (`settings.manage`).

use super::{NewPbxToken, PbxToken};
use crate::error::AppError;
use leptos::prelude::*;

/// The tenant's PBX tokens that still work (`settings.manage`).
#[server(endpoint = "pbx_tokens/list")]
pub async fn list_pbx_tokens() -> Result<Vec<PbxToken>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::list_tokens(&a.state.db, &a.actor).await
    })
    .await
}

/// A new PBX token; the one before keeps working for a day.
#[server(endpoint = "pbx_tokens/rotate")]
pub async fn rotate_pbx_token() -> Result<NewPbxToken, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::rotate_token(&a.state.db, &a.actor, &a.client).await
    })
    .await
}

/// Ends every PBX token of the tenant now.
#[server(endpoint = "pbx_tokens/revoke")]
pub async fn revoke_pbx_tokens() -> Result<u64, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::revoke_tokens(&a.state.db, &a.actor, &a.client).await
    })
    .await
}
