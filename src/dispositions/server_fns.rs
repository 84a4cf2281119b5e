//! Dispositions for the UI. Every signed-in user of the tenant reads them (agents pick one at
//! wrap-up); changing them needs `settings.manage`.

use super::{Disposition, DispositionForm};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "dispositions/list")]
pub async fn list_dispositions() -> Result<Vec<Disposition>, AppError> {
    crate::auth::request::acting(
        |a| async move { super::service::list(&a.state.db, &a.actor).await },
    )
    .await
}

#[server(endpoint = "dispositions/create")]
pub async fn create_disposition(form: DispositionForm) -> Result<Disposition, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::create(&a.state.db, &a.actor, &form, &a.client).await
    })
    .await
}

#[server(endpoint = "dispositions/update")]
pub async fn update_disposition(id: i64, form: DispositionForm) -> Result<Disposition, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::update(&a.state.db, &a.actor, id, &form, &a.client).await
    })
    .await
}

/// Makes `id` the tenant's one default disposition.
#[server(endpoint = "dispositions/set_default")]
pub async fn set_default_disposition(id: i64) -> Result<Disposition, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::set_default(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}

/// `ids`: every disposition of the tenant, in the new order.
#[server(endpoint = "dispositions/reorder")]
pub async fn reorder_dispositions(
    #[server(default)] ids: Vec<i64>,
) -> Result<Vec<Disposition>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::reorder(&a.state.db, &a.actor, &ids, &a.client).await
    })
    .await
}

#[server(endpoint = "dispositions/delete")]
pub async fn delete_disposition(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::delete(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}
