//! Contact operations for the UI. Arguments arrive as nested form fields (`form[name]=…`,
//! `filter[q]=…`), so plain HTML forms can post them too.

use super::{Contact, ContactFilter, ContactForm, ContactPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "contacts/list")]
pub async fn list_contacts(
    #[server(default)] filter: ContactFilter,
) -> Result<ContactPage, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::list_contacts(&a.state.db, &a.actor, &filter).await
    })
    .await
}

#[server(endpoint = "contacts/get")]
pub async fn get_contact(id: i64) -> Result<Contact, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::get_contact(&a.state.db, &a.actor, id).await
    })
    .await
}

#[server(endpoint = "contacts/create")]
pub async fn create_contact(form: ContactForm) -> Result<Contact, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::ContactDraft::from(&form);
        super::service::create_contact(&a.state.db, &a.actor, draft, &a.client).await
    })
    .await
}

#[server(endpoint = "contacts/update")]
pub async fn update_contact(id: i64, form: ContactForm) -> Result<Contact, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::ContactDraft::from(&form);
        super::service::update_contact(&a.state.db, &a.actor, id, draft, &a.client).await
    })
    .await
}

#[server(endpoint = "contacts/delete")]
pub async fn delete_contact(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::delete_contact(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}

#[server(endpoint = "contacts/restore")]
pub async fn restore_contact(id: i64) -> Result<Contact, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::restore_contact(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}

/// Gives the chosen contacts to another owner, all of them or none.
#[server(endpoint = "contacts/assign_owner")]
pub async fn assign_contact_owner(
    #[server(default)] ids: Vec<i64>,
    owner_id: i64,
) -> Result<usize, AppError> {
    crate::auth::request::acting(|a| async move {
        crate::records::bulk::assign_owner(
            &a.state.db,
            &a.actor,
            crate::records::SoftDeletable::Contact,
            &ids,
            owner_id,
            &a.client,
        )
        .await
    })
    .await
}

/// The nightly status thresholds, for the settings page.
#[server(endpoint = "contacts/status_rules")]
pub async fn load_status_rules() -> Result<super::LifecycleRules, AppError> {
    crate::auth::request::acting(|a| async move {
        super::status_rules::status_rules(&a.state.db, &a.actor).await
    })
    .await
}

#[server(endpoint = "contacts/update_status_rules")]
pub async fn update_status_rules(
    form: super::LifecycleRulesForm,
) -> Result<super::LifecycleRules, AppError> {
    crate::auth::request::acting(|a| async move {
        super::status_rules::update_status_rules(&a.state.db, &a.actor, &form, &a.client).await
    })
    .await
}
