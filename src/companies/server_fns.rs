//! Company operations for the UI, with nested form fields (`form[name]=…`, `filter[q]=…`).

use super::{Company, CompanyFilter, CompanyForm, CompanyPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "companies/list")]
pub async fn list_companies(
    #[server(default)] filter: CompanyFilter,
) -> Result<CompanyPage, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::list_companies(&a.state.db, &a.actor, &filter).await
    })
    .await
}

#[server(endpoint = "companies/get")]
pub async fn get_company(id: i64) -> Result<Company, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::get_company(&a.state.db, &a.actor, id).await
    })
    .await
}

#[server(endpoint = "companies/create")]
pub async fn create_company(form: CompanyForm) -> Result<Company, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::CompanyDraft::from(&form);
        super::service::create_company(&a.state.db, &a.actor, draft, &a.client).await
    })
    .await
}

#[server(endpoint = "companies/update")]
pub async fn update_company(id: i64, form: CompanyForm) -> Result<Company, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::CompanyDraft::from(&form);
        super::service::update_company(&a.state.db, &a.actor, id, draft, &a.client).await
    })
    .await
}

#[server(endpoint = "companies/delete")]
pub async fn delete_company(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::delete_company(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}

#[server(endpoint = "companies/restore")]
pub async fn restore_company(id: i64) -> Result<Company, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::restore_company(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}

/// Gives the chosen companies to another owner, all of them or none.
#[server(endpoint = "companies/assign_owner")]
pub async fn assign_company_owner(
    #[server(default)] ids: Vec<i64>,
    owner_id: i64,
) -> Result<usize, AppError> {
    crate::auth::request::acting(|a| async move {
        crate::records::bulk::assign_owner(
            &a.state.db,
            &a.actor,
            crate::records::SoftDeletable::Company,
            &ids,
            owner_id,
            &a.client,
        )
        .await
    })
    .await
}
