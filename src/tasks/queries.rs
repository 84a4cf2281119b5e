//! SQL for tasks. Visibility follows the assignee; writes need `contacts.manage`.

use super::{MyTasks, Task, TaskForm};
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::{
    activities::queries::{ActivityLog, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        scope::{may_assign_to, Visible},
    },
    db::Db,
    error::AppError,
    impl_for_backends, on_db,
    validation::{optional, parse_optional_id, FieldErrors},
};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::json;
use std::future::Future;

const SELECT: &str = "SELECT t.id, t.title, t.notes, t.due_at, t.priority, t.status, t.assignee_id,
        u.name AS assignee_name, t.contact_id, c.name AS contact_name, t.deal_id, t.completed_at
    FROM tasks t
    LEFT JOIN users u ON u.id = t.assignee_id
    LEFT JOIN contacts c ON c.id = t.contact_id
    WHERE ";

pub const PRIORITIES: [&str; 3] = ["low", "normal", "high"];

/// Keeps `contacts.next_followup_at` equal to the contact's earliest pending task.
pub trait FollowupSync {
    fn sync_next_followup(
        &mut self,
        tenant_id: i64,
        contact_id: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl FollowupSync {
        async fn sync_next_followup(&mut self, tenant_id: i64, contact_id: i64) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE contacts SET next_followup_at =
                    (SELECT MIN(due_at) FROM tasks WHERE tenant_id = $1 AND contact_id = $2 AND status = 'pending')
                 WHERE id = $2 AND tenant_id = $1",
            )
            .bind(tenant_id)
            .bind(contact_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }
    }
}

/// A task to write, already checked.
pub struct NewTask {
    pub tenant_id: i64,
    pub title: String,
    pub notes: String,
    pub due_at: DateTime<Utc>,
    pub priority: String,
    pub assignee_id: i64,
    pub created_by: i64,
    pub contact_id: Option<i64>,
    pub deal_id: Option<i64>,
}

/// Writes a task inside the caller's transaction, with what always comes with one: the contact's
/// next follow-up, the `followup` entry on the linked timelines and the audit row.
pub trait InsertTask {
    fn insert_task(
        &mut self,
        task: &NewTask,
        client: &ClientInfo,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl InsertTask {
        async fn insert_task(&mut self, task: &NewTask, client: &ClientInfo) -> Result<i64, sqlx::Error> {
            let now = Utc::now();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tasks (tenant_id, title, notes, due_at, priority, status, assignee_id, created_by, contact_id,
                    deal_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(task.tenant_id)
            .bind(&task.title)
            .bind(&task.notes)
            .bind(task.due_at)
            .bind(&task.priority)
            .bind(task.assignee_id)
            .bind(task.created_by)
            .bind(task.contact_id)
            .bind(task.deal_id)
            .bind(now)
            .fetch_one(&mut *self)
            .await?;
            if let Some(contact) = task.contact_id {
                self.sync_next_followup(task.tenant_id, contact).await?;
            }
            if task.contact_id.is_some() || task.deal_id.is_some() {
                let followup = NewActivity {
                    tenant_id: task.tenant_id,
                    kind: "followup",
                    body: task.title.clone(),
                    payload: json!({ "due_at": task.due_at, "priority": task.priority }),
                    user_id: Some(task.created_by),
                    contact_id: task.contact_id,
                    company_id: None,
                    deal_id: task.deal_id,
                    happened_at: now,
                };
                self.insert_activity(&followup).await?;
            }
            let entry = AuditEntry::new("task.created", "task", client)
                .tenant(task.tenant_id)
                .actor(task.created_by)
                .entity(id)
                .change("title", serde_json::Value::Null, task.title.as_str())
                .change("assignee_id", serde_json::Value::Null, task.assignee_id);
            self.insert_audit(&entry).await?;
            Ok(id)
        }
    }
}

async fn find(db: &Db, actor: &Actor, id: i64) -> Result<Task, AppError> {
    let visible = Visible::to(actor);
    let task: Option<Task> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(SELECT);
        query.push("t.id = ").push_bind(id).push(" AND ");
        visible.push(&mut query, "t", "assignee_id");
        query.build_query_as::<Task>().fetch_optional(pool).await?
    });
    task.ok_or(AppError::NotFound)
}

pub async fn get_task(db: &Db, actor: &Actor, id: i64) -> Result<Task, AppError> {
    actor.require(Permission::ContactsView)?;
    find(db, actor, id).await
}

pub async fn create_task(
    db: &Db,
    actor: &Actor,
    form: &TaskForm,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let mut errors = FieldErrors::default();
    let title = form.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        errors.check::<()>("title", Err("is required, at most 200 characters".into()));
    }
    if form.notes.chars().count() > 10_000 {
        errors.check::<()>("notes", Err("must be at most 10,000 characters".into()));
    }
    let due_at = errors.check(
        "due_at",
        DateTime::parse_from_rfc3339(form.due_at.trim())
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| "must be a date and time such as 2026-11-24T09:00:00+01:00".to_string()),
    );
    let priority = optional(&form.priority).unwrap_or("normal").to_string();
    if !PRIORITIES.contains(&priority.as_str()) {
        errors.check::<()>("priority", Err("must be low, normal or high".into()));
    }
    let assignee_id = match parse_optional_id(&form.assignee_id) {
        Ok(None) => actor.user_id,
        Ok(Some(id)) if may_assign_to(db, actor, id).await? => id,
        _ => {
            errors.check::<()>("assignee_id", Err("cannot be given to that user".into()));
            actor.user_id
        }
    };
    let contact_id = match errors
        .check("contact_id", parse_optional_id(&form.contact_id))
        .flatten()
    {
        Some(id) => match crate::contacts::service::get_contact(db, actor, id).await {
            Ok(c) => Some(c.id),
            Err(AppError::NotFound) => {
                errors.check("contact_id", Err("is not one of your contacts".into()))
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    let deal_id = match errors
        .check("deal_id", parse_optional_id(&form.deal_id))
        .flatten()
    {
        Some(id) => match crate::deals::service::get_deal(db, actor, id).await {
            Ok(d) => Some(d.id),
            Err(AppError::NotFound) => {
                errors.check("deal_id", Err("is not one of your deals".into()))
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let task = NewTask {
        tenant_id: actor.tenant_id,
        title,
        notes: form.notes.trim().to_string(),
        due_at: due_at.ok_or(AppError::Internal)?,
        priority,
        assignee_id,
        created_by: actor.user_id,
        contact_id,
        deal_id,
    };
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx.insert_task(&task, client).await?;
        tx.commit().await?;
        id
    });
    find(db, actor, id).await
}

pub async fn set_task_status(
    db: &Db,
    actor: &Actor,
    id: i64,
    status: &str,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let before = find(db, actor, id).await?;
    if !["pending", "completed", "cancelled"].contains(&status) {
        return Err(AppError::invalid(
            "status",
            "must be completed, cancelled or pending",
        ));
    }
    if before.status == status {
        return Ok(before);
    }
    let now = Utc::now();
    let completed = status == "completed";
    let entry = AuditEntry::by(actor, "task.status_changed", "task", client)
        .entity(id)
        .change("status", before.status.as_str(), status);
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE tasks SET status = $1, completed_by = $2, completed_at = $3, updated_at = $4
             WHERE id = $5 AND tenant_id = $6",
        )
        .bind(status)
        .bind(completed.then_some(actor.user_id))
        .bind(completed.then_some(now))
        .bind(now)
        .bind(id)
        .bind(actor.tenant_id)
        .execute(&mut *tx)
        .await?;
        if let Some(contact) = before.contact_id {
            tx.sync_next_followup(actor.tenant_id, contact).await?;
        }
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    find(db, actor, id).await
}

/// Midnight today and tomorrow in `tz`, as UTC instants.
pub fn day_bounds(tz: Tz, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let today = now.with_timezone(&tz).date_naive();
    let midnight = |date: chrono::NaiveDate| {
        tz.from_local_datetime(&date.and_time(NaiveTime::MIN))
            .earliest()
            // A midnight that does not exist (DST jump): the day starts an hour later.
            .unwrap_or_else(|| {
                tz.from_utc_datetime(&(date.and_time(NaiveTime::MIN) + Duration::hours(1)))
            })
            .with_timezone(&Utc)
    };
    (midnight(today), midnight(today + Duration::days(1)))
}

pub async fn my_tasks(db: &Db, actor: &Actor, now: DateTime<Utc>) -> Result<MyTasks, AppError> {
    actor.require(Permission::ContactsView)?;
    let (user_tz, tenant_tz): (Option<String>, String) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT u.timezone, t.timezone FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1 AND u.tenant_id = $2",
        )
        .bind(actor.user_id)
        .bind(actor.tenant_id)
        .fetch_one(pool)
        .await?
    });
    let name = user_tz.filter(|z| !z.is_empty()).unwrap_or(tenant_tz);
    let tz: Tz = name.parse().unwrap_or(Tz::UTC);
    let (today, tomorrow) = day_bounds(tz, now);
    let tasks: Vec<Task> = on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "{SELECT} t.tenant_id = $1 AND t.assignee_id = $2 AND t.status = 'pending' ORDER BY t.due_at, t.id"
        ))
        .bind(actor.tenant_id)
        .bind(actor.user_id)
        .fetch_all(pool)
        .await?
    });
    let mut mine = MyTasks {
        timezone: tz.name().to_string(),
        ..Default::default()
    };
    for task in tasks {
        if task.due_at < today {
            mine.overdue.push(task);
        } else if task.due_at < tomorrow {
            mine.today.push(task);
        } else {
            mine.upcoming.push(task);
        }
    }
    Ok(mine)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_local_midnight() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 23, 23, 30, 0)
            .single()
            .expect("time");
        // 23:30 UTC is already the 24th in Berlin (UTC+1 in winter).
        let (start, end) = day_bounds(chrono_tz::Europe::Berlin, now);
        assert_eq!(
            start,
            Utc.with_ymd_and_hms(2026, 11, 23, 23, 0, 0)
                .single()
                .expect("time")
        );
        assert_eq!(
            end,
            Utc.with_ymd_and_hms(2026, 11, 24, 23, 0, 0)
                .single()
                .expect("time")
        );
        let (start, _) = day_bounds(chrono_tz::America::New_York, now);
        assert_eq!(
            start,
            Utc.with_ymd_and_hms(2026, 11, 23, 5, 0, 0)
                .single()
                .expect("time")
        );
    }
}
