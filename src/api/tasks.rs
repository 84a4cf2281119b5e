//! `/api/v1/tasks`: the caller's tasks, one task, create, complete / cancel / reopen.

use super::{
    body::{ApiJson, RecordId},
    ApiCaller, ApiError,
};
use crate::{
    error::AppError,
    server::AppState,
    tasks::{queries, MyTasks, Task, TaskForm},
};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_tasks, create_task))
        .routes(routes!(get_task, update_task))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub notes: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    #[schema(example = "2026-11-24T09:00:00+01:00")]
    pub due_at: String,
    /// `low`, `normal` or `high`; `normal` when absent.
    #[serde(default)]
    pub priority: Option<String>,
    /// The caller when absent.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub deal_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskStatus {
    /// `completed`, `cancelled` or `pending` (reopen).
    pub status: String,
}

/// The caller's pending tasks: overdue, due today and upcoming, in the caller's timezone.
#[utoipa::path(get, path = "/tasks", tag = "tasks",
    responses((status = 200, body = MyTasks), (status = 401, body = ApiError)))]
async fn my_tasks(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<MyTasks>, AppError> {
    Ok(Json(
        queries::my_tasks(&state.db, &caller.actor, chrono::Utc::now()).await?,
    ))
}

#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = NewTask,
    responses((status = 201, body = Task), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
async fn create_task(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(new): ApiJson<NewTask>,
) -> Result<(StatusCode, Json<Task>), AppError> {
    let text = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
    let form = TaskForm {
        title: new.title,
        notes: new.notes.unwrap_or_default(),
        due_at: new.due_at,
        priority: new.priority.unwrap_or_default(),
        assignee_id: text(new.assignee_id),
        contact_id: text(new.contact_id),
        deal_id: text(new.deal_id),
    };
    let task = queries::create_task(&state.db, &caller.actor, &form, &caller.client).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = Task), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn get_task(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Task>, AppError> {
    Ok(Json(queries::get_task(&state.db, &caller.actor, id).await?))
}

/// Completes, cancels or reopens the task.
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), request_body = TaskStatus,
    responses((status = 200, body = Task), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn update_task(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiJson(change): ApiJson<TaskStatus>,
) -> Result<Json<Task>, AppError> {
    let task =
        queries::set_task_status(&state.db, &caller.actor, id, &change.status, &caller.client)
            .await?;
    Ok(Json(task))
}
