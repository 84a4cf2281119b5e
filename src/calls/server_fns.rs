//! Call dispositions for the UI. Every signed-in user of the tenant reads them (agents pick one at
//! wrap-up); changing them needs `settings.manage`.

use super::{
    Call, CallFilter, CallsPage, ConsoleState, Disposition, DispositionForm, StartCallForm,
    WrapUpForm,
};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "dispositions/list")]
pub async fn list_dispositions() -> Result<Vec<Disposition>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::dispositions::list(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "dispositions/create")]
pub async fn create_disposition(form: DispositionForm) -> Result<Disposition, AppError> {
    crate::auth::request::acting(|a| async move {
        super::dispositions::create(&a.state.db, &a.actor, &form, &a.client).await
    })
    .await
}

#[server(endpoint = "dispositions/update")]
pub async fn update_disposition(id: i64, form: DispositionForm) -> Result<Disposition, AppError> {
    crate::auth::request::acting(|a| async move {
        super::dispositions::update(&a.state.db, &a.actor, id, &form, &a.client).await
    })
    .await
}

/// Makes `id` the tenant's one default disposition.
#[server(endpoint = "dispositions/set_default")]
pub async fn set_default_disposition(id: i64) -> Result<Disposition, AppError> {
    crate::auth::request::acting(|a| async move {
        super::dispositions::set_default(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}

/// `ids`: every disposition of the tenant, in the new order.
#[server(endpoint = "dispositions/reorder")]
pub async fn reorder_dispositions(
    #[server(default)] ids: Vec<i64>,
) -> Result<Vec<Disposition>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::dispositions::reorder(&a.state.db, &a.actor, &ids, &a.client).await
    })
    .await
}

#[server(endpoint = "dispositions/delete")]
pub async fn delete_disposition(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::dispositions::delete(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}

/// Starts a call for the signed-in agent (click-to-call or dialled by hand).
#[server(endpoint = "calls/start")]
pub async fn start_call(form: StartCallForm) -> Result<Call, AppError> {
    crate::auth::request::acting(|a| async move {
        super::lifecycle::start_call(&a.state.db, &a.actor, &form, &a.client).await
    })
    .await
}

/// A phone event on one of the agent's calls: `ring`, `answer`, `hang_up`, `fail` or
/// `interrupt` (the console found it orphaned).
#[server(endpoint = "calls/event")]
pub async fn call_event(id: i64, event: String) -> Result<Call, AppError> {
    crate::auth::request::acting(|a| async move {
        let event = super::state::CallEvent::parse(&event).ok_or_else(|| {
            AppError::invalid("event", "must be ring, answer, hang_up, fail or interrupt")
        })?;
        super::lifecycle::advance(&a.state.db, &a.actor, id, event).await
    })
    .await
}

#[server(endpoint = "calls/wrap_up")]
pub async fn wrap_up_call(id: i64, form: WrapUpForm) -> Result<Call, AppError> {
    crate::auth::request::acting(|a| async move {
        super::lifecycle::wrap_up(&a.state.db, &a.actor, id, &form, &a.client).await
    })
    .await
}

#[server(endpoint = "calls/console")]
pub async fn load_console() -> Result<ConsoleState, AppError> {
    crate::auth::request::acting(|a| async move {
        super::lifecycle::console_state(&a.state.db, &a.actor).await
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
