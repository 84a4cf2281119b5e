//! The company's settings for the settings page, with nested form fields (`form[name]=…`).

use super::{TenantSettings, TenantSettingsForm};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "tenant/settings")]
pub async fn load_tenant_settings() -> Result<TenantSettings, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::settings(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "tenant/update_settings")]
pub async fn update_tenant_settings(form: TenantSettingsForm) -> Result<TenantSettings, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::update_settings(&a.state.db, &a.actor, &form, &a.client).await
    })
    .await
}
