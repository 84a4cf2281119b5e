//! All of the activities' SQL, as one trait for both backends. Activities are written inside
//! the transaction of what they record (a logged call, a deal's move, a wrapped-up call, a new
//! task), so each method runs on a pooled connection or inside any area's transaction.

use super::{Activity, TimelineOf};
use crate::impl_for_backends;
use chrono::{DateTime, Utc};
use std::future::Future;

/// An activity about to be written.
#[derive(Clone, Debug)]
pub struct NewActivity {
    pub tenant_id: i64,
    /// A [`super::LoggableKind`]'s word, or `stage_change`, `followup`.
    pub kind: &'static str,
    pub body: String,
    pub payload: serde_json::Value,
    pub user_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub happened_at: DateTime<Utc>,
}

const SELECT: &str =
    "SELECT a.id, a.kind, a.body, a.payload, a.user_id, u.name AS user_name, a.contact_id,
        a.company_id, a.deal_id, a.happened_at
    FROM activities a LEFT JOIN users u ON u.id = a.user_id";

/// Where the previous timeline page ended: the time and id of its last activity.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct TimelineCursor {
    at: DateTime<Utc>,
    id: i64,
}

impl TimelineCursor {
    pub fn after(last: &Activity) -> TimelineCursor {
        TimelineCursor {
            at: last.happened_at,
            id: last.id,
        }
    }
}

/// The activities column that links a row to the card.
fn link_column(of: TimelineOf) -> &'static str {
    match of {
        TimelineOf::Contact => "contact_id",
        TimelineOf::Company => "company_id",
        TimelineOf::Deal => "deal_id",
    }
}

pub trait ActivityStore {
    /// Inserts the activity and returns its id.
    fn insert_activity(
        &mut self,
        activity: &NewActivity,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// One activity of the tenant.
    fn activity_by_id(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Option<Activity>, sqlx::Error>> + Send;

    /// Moves the contact's `last_contacted_at` up to `at`; a later one stays.
    fn mark_contacted(
        &mut self,
        tenant_id: i64,
        contact_id: i64,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Up to `fetch` activities on the card `of`/`id`, newest first, after `after`.
    fn timeline_page(
        &mut self,
        tenant_id: i64,
        of: TimelineOf,
        id: i64,
        after: Option<&TimelineCursor>,
        fetch: i64,
    ) -> impl Future<Output = Result<Vec<Activity>, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl ActivityStore {
        async fn insert_activity(&mut self, a: &NewActivity) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO activities (tenant_id, kind, body, payload, user_id, contact_id,
                    company_id, deal_id, happened_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(a.tenant_id)
            .bind(a.kind)
            .bind(&a.body)
            .bind(sqlx::types::Json(&a.payload))
            .bind(a.user_id)
            .bind(a.contact_id)
            .bind(a.company_id)
            .bind(a.deal_id)
            .bind(a.happened_at)
            .bind(Utc::now())
            .fetch_one(&mut *self)
            .await
        }

        async fn activity_by_id(&mut self, tenant_id: i64, id: i64) -> Result<Option<Activity>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT} WHERE a.tenant_id = $1 AND a.id = $2"))
                .bind(tenant_id)
                .bind(id)
                .fetch_optional(&mut *self)
                .await
        }

        async fn mark_contacted(
            &mut self,
            tenant_id: i64,
            contact_id: i64,
            at: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE contacts SET last_contacted_at = $1
                 WHERE id = $2 AND tenant_id = $3
                    AND (last_contacted_at IS NULL OR last_contacted_at < $1)",
            )
            .bind(at)
            .bind(contact_id)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn timeline_page(
            &mut self,
            tenant_id: i64,
            of: TimelineOf,
            id: i64,
            after: Option<&TimelineCursor>,
            fetch: i64,
        ) -> Result<Vec<Activity>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(format!("{SELECT} WHERE a.tenant_id = "));
            query
                .push_bind(tenant_id)
                .push(format!(" AND a.{} = ", link_column(of)))
                .push_bind(id);
            if let Some(c) = after {
                query
                    .push(" AND (a.happened_at < ")
                    .push_bind(c.at)
                    .push(" OR (a.happened_at = ")
                    .push_bind(c.at)
                    .push(" AND a.id < ")
                    .push_bind(c.id)
                    .push("))");
            }
            query
                .push(" ORDER BY a.happened_at DESC, a.id DESC LIMIT ")
                .push_bind(fetch);
            query.build_query_as::<Activity>().fetch_all(&mut *self).await
        }
    }
}
