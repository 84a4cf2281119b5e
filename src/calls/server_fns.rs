//! Calls for the UI: the console's calls, the calls log and the tenant's default country.

use super::{Call, CallFilter, CallsPage, ConsoleState, StartCallForm, WrapUpForm};
use crate::{error::AppError, text_enum::Word};
use leptos::prelude::*;

/// Starts a call for the signed-in agent (click-to-call or dialled by hand).
#[server(endpoint = "calls/start")]
pub async fn start_call(form: StartCallForm) -> Result<Call, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::start_call(&a.state.db, &a.actor, &form, &a.client).await
    })
    .await
}

/// A phone event on one of the agent's calls: `ring`, `answer`, `hang_up`, `fail` or
/// `interrupt` (the console found it orphaned). (The server function's own struct is named
/// `CallEvent` too, hence the full path of the enum.)
#[server(endpoint = "calls/event")]
pub async fn call_event(id: i64, event: Word<super::state::CallEvent>) -> Result<Call, AppError> {
    crate::auth::request::acting(|a| async move {
        let event = event.parse().ok_or_else(|| {
            AppError::invalid("event", "must be ring, answer, hang_up, fail or interrupt")
        })?;
        super::service::advance(&a.state.db, &a.actor, id, event).await
    })
    .await
}

#[server(endpoint = "calls/wrap_up")]
pub async fn wrap_up_call(id: i64, form: WrapUpForm) -> Result<Call, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::wrap_up(&a.state.db, &a.actor, id, &form, &a.client).await
    })
    .await
}

#[server(endpoint = "calls/console")]
pub async fn load_console() -> Result<ConsoleState, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::console_state(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "calls/list")]
pub async fn list_calls(#[server(default)] filter: CallFilter) -> Result<CallsPage, AppError> {
    crate::auth::request::acting(|a| async move {
        super::log::list_calls(&a.state.db, &a.actor, &filter).await
    })
    .await
}

/// The tenant's default country for phone numbers (`US`, `DE`…).
#[server(endpoint = "calls/default_country")]
pub async fn load_default_country() -> Result<String, AppError> {
    crate::auth::request::acting(|a| async move {
        super::country::default_country(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "calls/set_default_country")]
pub async fn set_default_country(country: String) -> Result<String, AppError> {
    crate::auth::request::acting(|a| async move {
        super::country::set_default_country(&a.state.db, &a.actor, &country, &a.client).await
    })
    .await
}
