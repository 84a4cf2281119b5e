//! Task operations for the UI. Arguments arrive as nested form fields (`form[title]=…`), so
//! plain HTML forms can post them too.

use super::{MyTasks, Task, TaskForm, TaskLink};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "tasks/create")]
pub async fn create_task(form: TaskForm) -> Result<Task, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::TaskDraft::from(&form);
        super::service::create_task(&a.state.db, &a.actor, draft, &a.client).await
    })
    .await
}

/// Edits or reschedules the task: every field as on a new one.
#[server(endpoint = "tasks/update")]
pub async fn update_task(id: i64, form: TaskForm) -> Result<Task, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::TaskDraft::from(&form);
        super::service::update_task(&a.state.db, &a.actor, id, draft, &a.client).await
    })
    .await
}

/// A card's open tasks (`link` names its contact, deal or company).
#[server(endpoint = "tasks/open")]
pub async fn open_tasks(#[server(default)] link: TaskLink) -> Result<Vec<Task>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::open_tasks(&a.state.db, &a.actor, link).await
    })
    .await
}

/// `status`: `completed`, `cancelled` or `pending` (reopen).
#[server(endpoint = "tasks/set_status")]
pub async fn set_task_status(
    id: i64,
    status: crate::text_enum::Word<super::TaskStatus>,
) -> Result<Task, AppError> {
    crate::auth::request::acting(|a| async move {
        let status = status.parse().ok_or_else(super::input::status_reason);
        super::service::set_task_status(&a.state.db, &a.actor, id, status, &a.client).await
    })
    .await
}

#[server(endpoint = "tasks/mine")]
pub async fn load_my_tasks() -> Result<MyTasks, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::my_tasks(&a.state.db, &a.actor, chrono::Utc::now()).await
    })
    .await
}
