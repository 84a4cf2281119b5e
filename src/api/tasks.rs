//! `/api/v1/tasks`: the caller's tasks, one task, create, complete / cancel / reopen.

use super::{
    body::{one_of, ApiJson, RecordId},
    ApiCaller,
};
use crate::{
    error::AppError,
    state::AppState,
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

one_of!(
    /// How urgent a task is.
    Priority { Low = "low", Normal = "normal", High = "high" }
);
one_of!(
    /// Where a task stands: `pending` reopens it.
    TaskState { Pending = "pending", Completed = "completed", Cancelled = "cancelled" }
);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// Not blank; at most 200 characters once trimmed.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub notes: Option<String>,
    /// RFC 3339.
    #[schema(format = DateTime, example = "2026-11-24T09:00:00+01:00")]
    pub due_at: String,
    /// `normal` when absent.
    #[serde(default)]
    pub priority: Option<Priority>,
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
    pub status: TaskState,
}

/// The caller's pending tasks: overdue, due today and upcoming, in the caller's timezone.
#[utoipa::path(get, path = "/tasks", tag = "tasks",
    responses((status = 200, body = MyTasks)))]
async fn my_tasks(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<MyTasks>, AppError> {
    Ok(Json(
        queries::my_tasks(&state.db, &caller.actor, chrono::Utc::now()).await?,
    ))
}

#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = NewTask,
    responses((status = 201, body = Task)))]
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
        priority: new
            .priority
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        assignee_id: text(new.assignee_id),
        contact_id: text(new.contact_id),
        deal_id: text(new.deal_id),
    };
    let task = queries::create_task(&state.db, &caller.actor, &form, &caller.client).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = Task)))]
async fn get_task(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Task>, AppError> {
    Ok(Json(queries::get_task(&state.db, &caller.actor, id).await?))
}

/// Completes, cancels or reopens the task.
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), request_body = TaskStatus,
    responses((status = 200, body = Task)))]
async fn update_task(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiJson(change): ApiJson<TaskStatus>,
) -> Result<Json<Task>, AppError> {
    let task = queries::set_task_status(
        &state.db,
        &caller.actor,
        id,
        change.status.as_str(),
        &caller.client,
    )
    .await?;
    Ok(Json(task))
}
