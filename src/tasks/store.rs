//! All of the tasks' SQL, as one trait for both backends: each method runs on a pooled
//! connection or inside a transaction, the tasks service's or another area's (a deal's stage
//! asking for a follow-up).

use super::{Task, TaskLink, TaskPriority, TaskStatus};
use crate::{auth::scope::Visible, impl_for_backends};
use chrono::{DateTime, Utc};
use std::future::Future;

/// Ends in `WHERE `; `t` is the task.
const SELECT: &str = "SELECT t.id, t.title, t.notes, t.due_at, t.priority, t.status, t.assignee_id,
        u.name AS assignee_name, t.contact_id, c.name AS contact_name, t.deal_id,
        d.title AS deal_title, t.completed_at
    FROM tasks t
    LEFT JOIN users u ON u.id = t.assignee_id
    LEFT JOIN contacts c ON c.id = t.contact_id
    LEFT JOIN deals d ON d.id = t.deal_id
    WHERE ";

/// A task to write, its links already checked. It starts `pending`.
pub struct NewTask {
    pub tenant_id: i64,
    pub title: String,
    pub notes: String,
    pub due_at: DateTime<Utc>,
    pub priority: TaskPriority,
    pub assignee_id: i64,
    pub created_by: i64,
    pub contact_id: Option<i64>,
    pub deal_id: Option<i64>,
}

pub trait TaskStore {
    /// One task, if `visible` covers its assignee.
    fn task(
        &mut self,
        visible: Visible,
        id: i64,
    ) -> impl Future<Output = Result<Option<Task>, sqlx::Error>> + Send;

    /// The task's row alone: `service::create_task_in` writes what comes with it.
    fn insert_task(
        &mut self,
        task: &NewTask,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// Sets the status; completing records who and when, any other status clears both.
    fn update_task_status(
        &mut self,
        tenant_id: i64,
        id: i64,
        status: TaskStatus,
        actor_id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Sets `contacts.next_followup_at` to the contact's earliest pending task (none: `NULL`).
    fn sync_next_followup(
        &mut self,
        tenant_id: i64,
        contact_id: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The user's own timezone (`None` or empty when unset) and their tenant's.
    fn timezones(
        &mut self,
        tenant_id: i64,
        user_id: i64,
    ) -> impl Future<Output = Result<(Option<String>, String), sqlx::Error>> + Send;

    /// A task's own values and links, changed (its status stays).
    fn update_task(
        &mut self,
        id: i64,
        task: &NewTask,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The pending tasks linked to a record that `visible` covers, soonest due first: at most
    /// 100.
    fn pending_tasks_linked(
        &mut self,
        visible: Visible,
        link: TaskLink,
    ) -> impl Future<Output = Result<Vec<Task>, sqlx::Error>> + Send;

    /// The user's pending tasks, soonest due first.
    fn pending_tasks_of(
        &mut self,
        tenant_id: i64,
        assignee_id: i64,
    ) -> impl Future<Output = Result<Vec<Task>, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl TaskStore {
        async fn task(&mut self, visible: Visible, id: i64) -> Result<Option<Task>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(SELECT);
            query.push("t.id = ").push_bind(id).push(" AND ");
            visible.push(&mut query, "t", "assignee_id");
            query.build_query_as::<Task>().fetch_optional(&mut *self).await
        }

        async fn insert_task(&mut self, task: &NewTask, now: DateTime<Utc>) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO tasks (tenant_id, title, notes, due_at, priority, status, assignee_id,
                    created_by, contact_id, deal_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(task.tenant_id)
            .bind(&task.title)
            .bind(&task.notes)
            .bind(task.due_at)
            .bind(task.priority.as_str())
            .bind(task.assignee_id)
            .bind(task.created_by)
            .bind(task.contact_id)
            .bind(task.deal_id)
            .bind(now)
            .fetch_one(&mut *self)
            .await
        }

        async fn update_task_status(
            &mut self,
            tenant_id: i64,
            id: i64,
            status: TaskStatus,
            actor_id: i64,
            now: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            let completed = status == TaskStatus::Completed;
            sqlx::query(
                "UPDATE tasks SET status = $1, completed_by = $2, completed_at = $3, updated_at = $4
                 WHERE id = $5 AND tenant_id = $6",
            )
            .bind(status.as_str())
            .bind(completed.then_some(actor_id))
            .bind(completed.then_some(now))
            .bind(now)
            .bind(id)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn sync_next_followup(&mut self, tenant_id: i64, contact_id: i64) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE contacts SET next_followup_at =
                    (SELECT MIN(due_at) FROM tasks
                     WHERE tenant_id = $1 AND contact_id = $2 AND status = 'pending')
                 WHERE id = $2 AND tenant_id = $1",
            )
            .bind(tenant_id)
            .bind(contact_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn timezones(
            &mut self,
            tenant_id: i64,
            user_id: i64,
        ) -> Result<(Option<String>, String), sqlx::Error> {
            sqlx::query_as(
                "SELECT u.timezone, t.timezone FROM users u JOIN tenants t ON t.id = u.tenant_id
                 WHERE u.id = $1 AND u.tenant_id = $2",
            )
            .bind(user_id)
            .bind(tenant_id)
            .fetch_one(&mut *self)
            .await
        }

        async fn update_task(&mut self, id: i64, task: &NewTask, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE tasks SET title = $1, notes = $2, due_at = $3, priority = $4, assignee_id = $5,
                    contact_id = $6, deal_id = $7, updated_at = $8
                 WHERE id = $9 AND tenant_id = $10",
            )
            .bind(&task.title)
            .bind(&task.notes)
            .bind(task.due_at)
            .bind(task.priority.as_str())
            .bind(task.assignee_id)
            .bind(task.contact_id)
            .bind(task.deal_id)
            .bind(now)
            .bind(id)
            .bind(task.tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn pending_tasks_linked(
            &mut self,
            visible: Visible,
            link: TaskLink,
        ) -> Result<Vec<Task>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(SELECT);
            visible.push(&mut query, "t", "assignee_id");
            query.push(" AND t.status = 'pending'");
            if let Some(id) = link.contact_id {
                query.push(" AND t.contact_id = ").push_bind(id);
            }
            if let Some(id) = link.deal_id {
                query.push(" AND t.deal_id = ").push_bind(id);
            }
            if let Some(id) = link.company_id {
                query
                    .push(" AND (c.company_id = ")
                    .push_bind(id)
                    .push(" OR d.company_id = ")
                    .push_bind(id)
                    .push(")");
            }
            query.push(" ORDER BY t.due_at, t.id LIMIT 100");
            query.build_query_as::<Task>().fetch_all(&mut *self).await
        }

        async fn pending_tasks_of(
            &mut self,
            tenant_id: i64,
            assignee_id: i64,
        ) -> Result<Vec<Task>, sqlx::Error> {
            sqlx::query_as(&format!(
                "{SELECT} t.tenant_id = $1 AND t.assignee_id = $2 AND t.status = 'pending'
                 ORDER BY t.due_at, t.id"
            ))
            .bind(tenant_id)
            .bind(assignee_id)
            .fetch_all(&mut *self)
            .await
        }
    }
}
