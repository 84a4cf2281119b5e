//! What may be done with tasks: reads need `contacts.view`, writes `contacts.manage`; a task is
//! visible when its assignee is, and others answer `NotFound`. Each write stores the task, keeps
//! its contact's `next_followup_at` at the earliest pending task, writes its audit entry and
//! reads it back, in one transaction. "My tasks" is grouped by the user's own day.

use super::{
    input::{DueAt, TaskDraft},
    store::{NewTask, TaskStore},
    MyTasks, Task, TaskLink, TaskStatus,
};
use crate::db::BeginWrite;
use crate::notifications::service::{task_assigned, GivenBy, Tell};
use crate::{
    activities::store::{ActivityStore, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        roles::Permission,
        scope::{may_assign_to, Visible},
    },
    db::Db,
    error::AppError,
    on_db,
    validation::FieldErrors,
};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

async fn find(db: &Db, actor: &Actor, id: i64) -> Result<Task, AppError> {
    let visible = Visible::to(actor);
    let found = on_db!(db, |pool| {
        pool.acquire().await?.task(visible, id).await?
    });
    found.ok_or(AppError::NotFound)
}

pub async fn get_task(db: &Db, actor: &Actor, id: i64) -> Result<Task, AppError> {
    actor.require(Permission::ContactsView)?;
    let task = find(db, actor, id).await?;
    Ok(on_clock(task, own_timezone(db, actor).await?))
}

/// The actor's own timezone, else their tenant's (UTC if neither names a real one).
pub async fn own_timezone(db: &Db, actor: &Actor) -> Result<Tz, AppError> {
    let (user_tz, tenant_tz) = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .timezones(actor.tenant_id, actor.user_id)
            .await?
    });
    let name = user_tz.filter(|z| !z.is_empty()).unwrap_or(tenant_tz);
    Ok(name.parse().unwrap_or(Tz::UTC))
}

/// The task with `due_local` on the `tz` clock.
fn on_clock(mut task: Task, tz: Tz) -> Task {
    task.due_local = task
        .due_at
        .with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    task
}

/// A wall-clock due time read in `tz`; an instant as it is. A time the clocks skip (the hour a
/// DST change jumps over) is refused under `due_at`; one they pass twice is the earlier.
fn resolved_due(due: DueAt, tz: Tz) -> Result<DateTime<Utc>, String> {
    match due {
        DueAt::At(at) => Ok(at),
        DueAt::Local(local) => tz
            .from_local_datetime(&local)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
            .ok_or_else(|| {
                format!(
                    "{} does not exist in {} (the clocks change then): pick another time",
                    local.format("%Y-%m-%d %H:%M"),
                    tz.name()
                )
            }),
    }
}

/// A link must name a record the actor may see: one they cannot (`NotFound`) puts `reason`
/// under `field`; any other error ends the request.
fn seen<T>(
    found: Result<T, AppError>,
    (field, reason): (&str, &str),
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    match found {
        Ok(_) => Ok(()),
        Err(AppError::NotFound) => {
            errors.check::<()>(field, Err(reason.into()));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The draft as a task to write, its links checked: the assignee one the actor may give tasks
/// to (the actor when none is named), the contact and deal ones the actor sees.
async fn checked(db: &Db, actor: &Actor, draft: TaskDraft) -> Result<NewTask, AppError> {
    let mut errors = FieldErrors::default();
    let links = draft.links;
    let assignee_id = links.assignee_id.unwrap_or(actor.user_id);
    if !may_assign_to(db, actor, assignee_id).await? {
        errors.check::<()>("assignee_id", Err("cannot be given to that user".into()));
    }
    if let Some(id) = links.contact_id {
        let contact = crate::contacts::service::get_contact(db, actor, id).await;
        seen(
            contact,
            ("contact_id", "is not one of your contacts"),
            &mut errors,
        )?;
    }
    if let Some(id) = links.deal_id {
        let deal = crate::deals::service::get_deal(db, actor, id).await;
        seen(deal, ("deal_id", "is not one of your deals"), &mut errors)?;
    }
    let due = match &draft.values {
        Ok(input) => {
            let tz = own_timezone(db, actor).await?;
            errors.check("due_at", resolved_due(input.due_at, tz))
        }
        Err(_) => None,
    };
    let (input, links) = draft.accept(errors)?;
    Ok(NewTask {
        tenant_id: actor.tenant_id,
        title: input.title,
        notes: input.notes,
        due_at: due.ok_or(AppError::Internal)?,
        priority: input.priority,
        assignee_id,
        created_by: actor.user_id,
        contact_id: links.contact_id,
        deal_id: links.deal_id,
    })
}

/// Writes a task inside the caller's transaction (the task service's, or a deal's whose stage
/// asks for a follow-up), with what always comes with one: the contact's next follow-up, the
/// `followup` entry on the linked timelines and the audit row.
pub async fn create_task_in<C: TaskStore + ActivityStore + AuditLog + Tell>(
    conn: &mut C,
    creator: &str,
    task: &NewTask,
    client: &ClientInfo,
) -> Result<i64, sqlx::Error> {
    let now = Utc::now();
    let id = conn.insert_task(task, now).await?;
    let by = GivenBy {
        tenant_id: task.tenant_id,
        user_id: task.created_by,
        name: creator,
    };
    task_assigned(conn, by, (id, &task.title), task.assignee_id, now).await?;
    if let Some(contact) = task.contact_id {
        conn.sync_next_followup(task.tenant_id, contact).await?;
    }
    if task.contact_id.is_some() || task.deal_id.is_some() {
        let followup = NewActivity {
            tenant_id: task.tenant_id,
            kind: "followup",
            body: task.title.clone(),
            payload: json!({ "due_at": task.due_at, "priority": task.priority.as_str() }),
            user_id: Some(task.created_by),
            contact_id: task.contact_id,
            company_id: None,
            deal_id: task.deal_id,
            happened_at: now,
        };
        conn.insert_activity(&followup).await?;
    }
    let entry = AuditEntry::new("task.created", "task", client)
        .tenant(task.tenant_id)
        .actor(task.created_by)
        .entity(id)
        .change("title", Value::Null, task.title.as_str())
        .change("assignee_id", Value::Null, task.assignee_id);
    conn.insert_audit(&entry).await?;
    Ok(id)
}

pub async fn create_task(
    db: &Db,
    actor: &Actor,
    draft: TaskDraft,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let task = checked(db, actor, draft).await?;
    let visible = Visible::to(actor);
    let created = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = create_task_in(&mut *tx, &actor.name, &task, client).await?;
        let created = tx.task(visible, id).await?;
        tx.commit().await?;
        created
    });
    let tz = own_timezone(db, actor).await?;
    created.map(|t| on_clock(t, tz)).ok_or(AppError::NotFound)
}

/// Changes a task's title, notes, due time (rescheduling it), priority, assignee or links, with
/// the same checks as a new one. The contacts it leaves and joins get their next follow-up
/// again; the audit entry records what changed. Nothing changed writes nothing.
pub async fn update_task(
    db: &Db,
    actor: &Actor,
    id: i64,
    draft: TaskDraft,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let before = find(db, actor, id).await?;
    let task = checked(db, actor, draft).await?;
    let entry = AuditEntry::by(actor, "task.updated", "task", client)
        .entity(id)
        .changed(audited(&before), task_fields(&task));
    let tz = own_timezone(db, actor).await?;
    if entry.changes.is_empty() {
        return Ok(on_clock(before, tz));
    }
    let visible = Visible::to(actor);
    let after = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let now = Utc::now();
        tx.update_task(id, &task, now).await?;
        if task.assignee_id != before.assignee_id {
            task_assigned(
                &mut *tx,
                actor.into(),
                (id, &task.title),
                task.assignee_id,
                now,
            )
            .await?;
        }
        for contact in [before.contact_id, task.contact_id].into_iter().flatten() {
            tx.sync_next_followup(actor.tenant_id, contact).await?;
        }
        tx.insert_audit(&entry).await?;
        let after = tx.task(visible, id).await?;
        tx.commit().await?;
        after
    });
    after.map(|t| on_clock(t, tz)).ok_or(AppError::NotFound)
}

/// A stored task's audited fields, in the order [`task_fields`] gives a new one's.
fn audited(t: &Task) -> Vec<(&'static str, Value)> {
    vec![
        ("title", json!(t.title)),
        ("notes", json!(t.notes)),
        ("due_at", json!(t.due_at)),
        ("priority", json!(t.priority)),
        ("assignee_id", json!(t.assignee_id)),
        ("contact_id", json!(t.contact_id)),
        ("deal_id", json!(t.deal_id)),
    ]
}

fn task_fields(t: &NewTask) -> Vec<(&'static str, Value)> {
    vec![
        ("title", json!(t.title)),
        ("notes", json!(t.notes)),
        ("due_at", json!(t.due_at)),
        ("priority", json!(t.priority.as_str())),
        ("assignee_id", json!(t.assignee_id)),
        ("contact_id", json!(t.contact_id)),
        ("deal_id", json!(t.deal_id)),
    ]
}

/// A card's open tasks: those linked to its contact or deal (a company: to its contacts and
/// deals) that the actor sees, soonest due first. The record itself must be one the actor sees.
pub async fn open_tasks(db: &Db, actor: &Actor, link: TaskLink) -> Result<Vec<Task>, AppError> {
    actor.require(Permission::ContactsView)?;
    match (link.contact_id, link.deal_id, link.company_id) {
        (Some(id), None, None) => {
            crate::contacts::service::get_contact(db, actor, id).await?;
        }
        (None, Some(id), None) => {
            crate::deals::service::get_deal(db, actor, id).await?;
        }
        (None, None, Some(id)) => {
            crate::companies::service::get_company(db, actor, id).await?;
        }
        _ => {
            return Err(AppError::invalid(
                "link",
                "must name exactly one of contact_id, deal_id, company_id",
            ))
        }
    }
    let visible = Visible::to(actor);
    let tasks = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .pending_tasks_linked(visible, link)
            .await?
    });
    let tz = own_timezone(db, actor).await?;
    Ok(tasks.into_iter().map(|t| on_clock(t, tz)).collect())
}

/// Completes, cancels or reopens (`pending`) the task. `status` is what the door parsed, or the
/// reason it could not: refused once the task is found, so a task the actor cannot see answers
/// `NotFound` whatever was sent. The same status again changes nothing.
pub async fn set_task_status(
    db: &Db,
    actor: &Actor,
    id: i64,
    status: Result<TaskStatus, String>,
    client: &ClientInfo,
) -> Result<Task, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let before = find(db, actor, id).await?;
    let status = status.map_err(|reason| AppError::invalid("status", reason))?;
    if before.status == status.as_str() {
        return Ok(before);
    }
    let entry = AuditEntry::by(actor, "task.status_changed", "task", client)
        .entity(id)
        .change("status", before.status.as_str(), status.as_str());
    let visible = Visible::to(actor);
    let after = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.update_task_status(actor.tenant_id, id, status, actor.user_id, Utc::now())
            .await?;
        if let Some(contact) = before.contact_id {
            tx.sync_next_followup(actor.tenant_id, contact).await?;
        }
        tx.insert_audit(&entry).await?;
        let after = tx.task(visible, id).await?;
        tx.commit().await?;
        after
    });
    let tz = own_timezone(db, actor).await?;
    after.map(|t| on_clock(t, tz)).ok_or(AppError::NotFound)
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

/// The actor's pending tasks, grouped overdue / today / upcoming by their own timezone (the
/// tenant's when they have none).
pub async fn my_tasks(db: &Db, actor: &Actor, now: DateTime<Utc>) -> Result<MyTasks, AppError> {
    actor.require(Permission::ContactsView)?;
    let ((user_tz, tenant_tz), tasks) = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let timezones = conn.timezones(actor.tenant_id, actor.user_id).await?;
        let tasks = conn
            .pending_tasks_of(actor.tenant_id, actor.user_id)
            .await?;
        (timezones, tasks)
    });
    let name = user_tz.filter(|z| !z.is_empty()).unwrap_or(tenant_tz);
    let tz: Tz = name.parse().unwrap_or(Tz::UTC);
    let (today, tomorrow) = day_bounds(tz, now);
    let mut mine = MyTasks {
        timezone: tz.name().to_string(),
        ..Default::default()
    };
    for task in tasks {
        let task = on_clock(task, tz);
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
