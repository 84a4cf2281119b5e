//! `/api/v1/tasks`: the caller's tasks, one task, create, complete / cancel / reopen.

use super::{
    body::{ApiJson, RecordId},
    ApiCaller,
};
use crate::{
    error::AppError,
    state::AppState,
    tasks::{
        input::{TaskDraft, TaskInput, TaskLinks, TaskText},
        service, MyTasks, Task, TaskPriority, TaskStatus,
    },
    validation::{Draft, FieldErrors},
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
    pub priority: Option<TaskPriority>,
    /// The caller when absent.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub deal_id: Option<i64>,
}

impl From<NewTask> for TaskDraft {
    fn from(new: NewTask) -> Self {
        let text = TaskText {
            title: &new.title,
            notes: new.notes.as_deref().unwrap_or_default(),
            due_at: &new.due_at,
        };
        let priority = new.priority.unwrap_or(TaskPriority::Normal);
        Draft {
            values: TaskInput::parse(text, Ok(priority), FieldErrors::default()),
            links: TaskLinks {
                assignee_id: new.assignee_id,
                contact_id: new.contact_id,
                deal_id: new.deal_id,
            },
        }
    }
}

// The status to give a task: `TaskStatus` in the API document (the status itself is
// `TaskState` there).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TaskStatus)]
pub struct StatusChange {
    pub status: TaskStatus,
}

/// The caller's pending tasks: overdue, due today and upcoming, in the caller's timezone.
#[utoipa::path(get, path = "/tasks", tag = "tasks",
    responses((status = 200, body = MyTasks)))]
async fn my_tasks(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<MyTasks>, AppError> {
    Ok(Json(
        service::my_tasks(&state.db, &caller.actor, chrono::Utc::now()).await?,
    ))
}

#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = NewTask,
    responses((status = 201, body = Task)))]
async fn create_task(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(new): ApiJson<NewTask>,
) -> Result<(StatusCode, Json<Task>), AppError> {
    let draft = TaskDraft::from(new);
    let task = service::create_task(&state.db, &caller.actor, draft, &caller.client).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = Task)))]
async fn get_task(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
) -> Result<Json<Task>, AppError> {
    Ok(Json(service::get_task(&state.db, &caller.actor, id).await?))
}

/// Completes, cancels or reopens the task.
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), request_body = StatusChange,
    responses((status = 200, body = Task)))]
async fn update_task(
    State(state): State<AppState>,
    caller: ApiCaller,
    RecordId(id): RecordId,
    ApiJson(change): ApiJson<StatusChange>,
) -> Result<Json<Task>, AppError> {
    let status = Ok(change.status);
    let task =
        service::set_task_status(&state.db, &caller.actor, id, status, &caller.client).await?;
    Ok(Json(task))
}
