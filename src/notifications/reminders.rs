//! The jobs that remind: every minute, each follow-up due within 15 minutes tells its assignee
//! once; every morning at 08:00 in each user's own timezone, one digest of their follow-ups due
//! that day and overdue. Both are idempotent by dedup key, so a retried job tells nobody twice.

use super::{
    service::{clipped, notify_in},
    store::{NewNotification, NotificationStore},
    NotificationAbout, NotificationKind,
};
use crate::{
    db::{BeginWrite, Db},
    jobs::{
        registry::JobContext,
        schedule::{ensure_schedule, ScheduleSpec, TickError},
    },
    on_db,
    tasks::{service::day_bounds, store::TaskStore},
};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::json;

/// Every minute: the follow-ups coming due.
pub const REMIND_DUE: &str = "notifications.remind_due";
/// One user's morning digest (`user_id` in the payload).
pub const DIGEST: &str = "notifications.digest";
/// Keeps every active user's digest schedule at 08:00 in their current timezone.
pub const SCHEDULE_DIGESTS: &str = "notifications.schedule_digests";

/// How far ahead a follow-up is announced.
pub const DUE_WINDOW_MINUTES: i64 = 15;
const BATCH: i64 = 500;
/// The digest lists this many titles; the count covers them all.
const DIGEST_TITLES: usize = 5;

pub async fn remind_due_job(ctx: JobContext) -> anyhow::Result<()> {
    let told = remind_due(&ctx.db, ctx.now).await?;
    if told > 0 {
        tracing::info!(told, "follow-up reminders sent");
    }
    Ok(())
}

/// Tells the assignee of every pending task due in the next 15 minutes, once per task and due
/// time (a rescheduled task is announced again). Answers how many were told.
pub async fn remind_due(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let until = now + Duration::minutes(DUE_WINDOW_MINUTES);
    let mut after = None;
    let mut told = 0;
    loop {
        let due = on_db!(db, |pool| pool
            .acquire()
            .await?
            .tasks_due_between(now, until, after, BATCH)
            .await?);
        let Some(last) = due.last() else { break };
        after = Some((last.due_at, last.id));
        told += on_db!(db, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut told = 0;
            for task in &due {
                let minutes = (task.due_at - now).num_minutes();
                let reminder = NewNotification {
                    tenant_id: task.tenant_id,
                    user_id: task.assignee_id,
                    kind: NotificationKind::TaskDue,
                    title: clipped(format!("“{}” is due in {minutes} min", task.title)),
                    body: String::new(),
                    link: Some("/tasks".into()),
                    about: Some((NotificationAbout::Task, task.id)),
                    dedup_key: Some(format!("task_due:{}:{}", task.id, task.due_at.timestamp())),
                };
                if notify_in(&mut *tx, &reminder, now).await?.is_some() {
                    told += 1;
                }
            }
            tx.commit().await?;
            told
        });
    }
    Ok(told)
}

pub async fn digest_job(ctx: JobContext) -> anyhow::Result<()> {
    let user_id = ctx
        .job
        .payload
        .get("user_id")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| anyhow::anyhow!("{DIGEST} needs a user_id"))?;
    digest(&ctx.db, user_id, ctx.now).await?;
    Ok(())
}

/// The user's digest for their local day at `now`: follow-ups due that day and overdue. Nothing
/// due, or already sent that day: nothing is written. Answers whether one was.
pub async fn digest(db: &Db, user_id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let found = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        match conn.user_clock(user_id).await? {
            Some(clock) => {
                let tasks = conn.pending_tasks_of(clock.tenant_id, user_id).await?;
                Some((clock, tasks))
            }
            None => None,
        }
    });
    let Some((clock, tasks)) = found else {
        return Ok(false);
    };
    let tz: Tz = clock.timezone.parse().unwrap_or(Tz::UTC);
    let (today, tomorrow) = day_bounds(tz, now);
    let due: Vec<_> = tasks.iter().filter(|t| t.due_at < tomorrow).collect();
    if due.is_empty() {
        return Ok(false);
    }
    let overdue = due.iter().filter(|t| t.due_at < today).count();
    let mut title = match due.len() {
        1 => "1 follow-up due today".to_string(),
        n => format!("{n} follow-ups due today"),
    };
    if overdue > 0 {
        title.push_str(&format!(" ({overdue} overdue)"));
    }
    let body = due
        .iter()
        .take(DIGEST_TITLES)
        .map(|t| t.title.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let local_day = now.with_timezone(&tz).date_naive();
    let digest = NewNotification {
        tenant_id: clock.tenant_id,
        user_id,
        kind: NotificationKind::DailyDigest,
        title,
        body,
        link: Some("/tasks".into()),
        about: None,
        dedup_key: Some(format!("digest:{local_day}")),
    };
    Ok(on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = notify_in(&mut *tx, &digest, now).await?;
        tx.commit().await?;
        id.is_some()
    }))
}

pub async fn schedule_digests_job(ctx: JobContext) -> anyhow::Result<()> {
    Ok(schedule_digests(&ctx.db, ctx.now).await?)
}

/// Gives every active user their 08:00 digest schedule in their timezone (a changed timezone
/// moves it).
pub async fn schedule_digests(db: &Db, now: DateTime<Utc>) -> Result<(), TickError> {
    let clocks = on_db!(db, |pool| pool
        .acquire()
        .await?
        .active_user_clocks()
        .await?);
    for clock in clocks {
        let spec = ScheduleSpec {
            name: format!("{DIGEST}:{}", clock.user_id),
            tenant_id: Some(clock.tenant_id),
            kind: DIGEST.into(),
            payload: json!({ "user_id": clock.user_id }),
            cron: "0 8 * * *".into(),
            timezone: clock.timezone,
        };
        if let Err(e) = ensure_schedule(db, &spec, now).await {
            // One user's bad timezone must not keep the others without a digest.
            tracing::warn!(user_id = clock.user_id, error = %e, "digest schedule not set");
        }
    }
    Ok(())
}
