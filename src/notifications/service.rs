//! Telling users: the notifications other areas write inside their own transactions, and the
//! bell's reads and marks. Every signed-in user has an inbox; it is always their own.

use super::{
    store::{NewNotification, NotificationStore},
    Inbox, KindSetting, NotificationAbout, NotificationKind,
};
use crate::{
    auth::{actor::Actor, scope::Visible},
    db::{BeginWrite, Db},
    error::AppError,
    events::service::{notified, Publish},
    on_db,
};
use chrono::{DateTime, Utc};

/// How many notifications the bell lists.
pub const INBOX_SIZE: i64 = 30;

/// What a transaction needs to tell someone: the row, and the live event that pushes it.
pub trait Tell: NotificationStore + Publish {}
impl<T: NotificationStore + Publish> Tell for T {}

/// Writes `notification` in the caller's transaction, and the event that rings the user's bell
/// in every open tab; muted kinds and repeated dedup keys are skipped. Answers the new row's id.
pub async fn notify_in<C: Tell>(
    conn: &mut C,
    notification: &NewNotification,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    let id = conn.insert_notification(notification, now).await?;
    if id.is_some() {
        notified(conn, notification.tenant_id, notification.user_id, now).await?;
    }
    Ok(id)
}

/// Tells `owner_id` that `actor` gave them the deal, unless they gave it to themselves.
pub async fn deal_assigned<C: Tell>(
    conn: &mut C,
    actor: &Actor,
    (deal_id, title): (i64, &str),
    owner_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let Some(owner_id) = owner_id.filter(|owner| *owner != actor.user_id) else {
        return Ok(());
    };
    let told = NewNotification {
        tenant_id: actor.tenant_id,
        user_id: owner_id,
        kind: NotificationKind::DealAssigned,
        title: clipped(format!("{} gave you the deal “{title}”", actor.name)),
        body: String::new(),
        link: Some(format!("/deals/{deal_id}")),
        about: Some((NotificationAbout::Deal, deal_id)),
        dedup_key: None,
    };
    notify_in(conn, &told, now).await.map(|_| ())
}

/// Who gave a task: a user of the tenant, or the system (a stage's follow-up, a job).
#[derive(Clone, Copy, Debug)]
pub struct GivenBy<'a> {
    pub tenant_id: i64,
    pub user_id: i64,
    pub name: &'a str,
}

impl<'a> From<&'a Actor> for GivenBy<'a> {
    fn from(actor: &'a Actor) -> Self {
        Self {
            tenant_id: actor.tenant_id,
            user_id: actor.user_id,
            name: &actor.name,
        }
    }
}

/// Tells `assignee_id` that a task was given to them, unless they gave it to themselves.
pub async fn task_assigned<C: Tell>(
    conn: &mut C,
    by: GivenBy<'_>,
    (task_id, title): (i64, &str),
    assignee_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if assignee_id == by.user_id {
        return Ok(());
    }
    let told = NewNotification {
        tenant_id: by.tenant_id,
        user_id: assignee_id,
        kind: NotificationKind::TaskAssigned,
        title: clipped(format!("{} gave you the task “{title}”", by.name)),
        body: String::new(),
        link: Some("/tasks".into()),
        about: Some((NotificationAbout::Task, task_id)),
        dedup_key: None,
    };
    notify_in(conn, &told, now).await.map(|_| ())
}

/// Titles are at most 300 characters (the column's check); long record names are cut.
pub fn clipped(title: String) -> String {
    if title.chars().count() <= 300 {
        return title;
    }
    let mut cut: String = title.chars().take(299).collect();
    cut.push('…');
    cut
}

/// The actor's unread count and newest notifications, about what they may still see.
pub async fn inbox(db: &Db, actor: &Actor) -> Result<Inbox, AppError> {
    let visible = Visible::to(actor);
    Ok(on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let unread = conn
            .unread_count(visible, actor.tenant_id, actor.user_id)
            .await?;
        let items = conn
            .notifications_of(visible, actor.tenant_id, actor.user_id, INBOX_SIZE)
            .await?;
        Inbox { unread, items }
    }))
}

/// Marks one of the actor's notifications read; another user's answers 404.
pub async fn mark_read(db: &Db, actor: &Actor, id: i64) -> Result<(), AppError> {
    let now = Utc::now();
    let found = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let found = tx
            .mark_read(actor.tenant_id, actor.user_id, id, now)
            .await?;
        tx.commit().await?;
        found
    });
    found.then_some(()).ok_or(AppError::NotFound)
}

pub async fn mark_all_read(db: &Db, actor: &Actor) -> Result<u64, AppError> {
    let now = Utc::now();
    Ok(on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let marked = tx
            .mark_all_read(actor.tenant_id, actor.user_id, now)
            .await?;
        tx.commit().await?;
        marked
    }))
}

/// Every kind with whether the actor muted it.
pub async fn kind_settings(db: &Db, actor: &Actor) -> Result<Vec<KindSetting>, AppError> {
    let muted = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .muted_kinds(actor.tenant_id, actor.user_id)
            .await?
    });
    Ok(NotificationKind::ALL
        .into_iter()
        .map(|kind| KindSetting {
            kind,
            label: kind.label().into(),
            muted: muted.iter().any(|m| m == kind.as_str()),
        })
        .collect())
}

pub async fn set_muted(
    db: &Db,
    actor: &Actor,
    kind: NotificationKind,
    muted: bool,
) -> Result<Vec<KindSetting>, AppError> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.set_muted(actor.tenant_id, actor.user_id, kind, muted)
            .await?;
        tx.commit().await?;
    });
    kind_settings(db, actor).await
}
