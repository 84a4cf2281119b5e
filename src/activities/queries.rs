//! Writing activities inside other operations' transactions, and reading timelines.

use super::Activity;
use crate::impl_for_backends;
use chrono::{DateTime, Utc};
use std::future::Future;

/// An activity about to be written.
#[derive(Clone, Debug)]
pub struct NewActivity {
    pub tenant_id: i64,
    pub kind: &'static str,
    pub body: String,
    pub payload: serde_json::Value,
    pub user_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub company_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub happened_at: DateTime<Utc>,
}

pub trait ActivityLog {
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
}

pub(super) const SELECT: &str =
    "SELECT a.id, a.kind, a.body, a.payload, a.user_id, u.name AS user_name, a.contact_id,
        a.company_id, a.deal_id, a.happened_at
    FROM activities a LEFT JOIN users u ON u.id = a.user_id";

impl_for_backends! {
    impl ActivityLog {
        async fn insert_activity(&mut self, a: &NewActivity) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO activities (tenant_id, kind, body, payload, user_id, contact_id, company_id, deal_id,
                    happened_at, created_at)
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
    }
}
