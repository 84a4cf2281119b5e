//! The sample-data generator's SQL, as one trait for both backends: who may own the data, the
//! default pipeline's stages, and the bulk inserts the generator runs in its one transaction.

use crate::impl_for_backends;
use chrono::{DateTime, NaiveDate, Utc};
use std::future::Future;

/// A stage of the tenant's default pipeline, in board order.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct SampleStage {
    pub id: i64,
    pub pipeline_id: i64,
    pub is_won: bool,
    pub is_lost: bool,
}

pub struct SampleCompany<'a> {
    pub tenant_id: i64,
    pub name: &'a str,
    pub domain: &'a str,
    pub owner_id: i64,
    pub sort_name: &'a str,
    pub search_text: &'a str,
    pub created_at: DateTime<Utc>,
}

pub struct SampleContact<'a> {
    pub tenant_id: i64,
    pub company_id: Option<i64>,
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub phone_e164: &'a str,
    pub source: &'a str,
    pub notes: &'a str,
    pub status: &'a str,
    pub score: &'a str,
    pub owner_id: i64,
    pub sort_name: &'a str,
    pub search_text: &'a str,
    pub created_at: DateTime<Utc>,
}

/// An open, won or lost deal in euros; `created_at` is also when it entered its stage.
pub struct SampleDeal<'a> {
    pub tenant_id: i64,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub contact_id: i64,
    pub company_id: Option<i64>,
    pub title: &'a str,
    pub amount_minor: i64,
    pub owner_id: i64,
    pub expected_close_on: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
}

/// A pending task the owner set themselves.
pub struct SampleTask<'a> {
    pub tenant_id: i64,
    pub title: &'a str,
    pub due_at: DateTime<Utc>,
    pub priority: &'a str,
    pub owner_id: i64,
    pub contact_id: i64,
    pub created_at: DateTime<Utc>,
}

pub trait SampleStore {
    /// The tenant's active users who may own records (not read-only ones), by id.
    fn sample_owners(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Vec<i64>, sqlx::Error>> + Send;

    /// The stages of the tenant's default pipeline, in order.
    fn default_pipeline_stages(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Vec<SampleStage>, sqlx::Error>> + Send;

    fn insert_sample_company(
        &mut self,
        company: &SampleCompany<'_>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn insert_sample_contact(
        &mut self,
        contact: &SampleContact<'_>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn insert_sample_deal(
        &mut self,
        deal: &SampleDeal<'_>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn insert_sample_task(
        &mut self,
        task: &SampleTask<'_>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Moves `last_contacted_at` forward to `at`, never back.
    fn touch_last_contacted(
        &mut self,
        contact_id: i64,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Sets every contact's `next_followup_at` to its earliest pending task.
    fn refresh_next_followups(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Fresh statistics after a bulk load, so the planner uses the indexes straight away.
    fn analyze(&mut self) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl SampleStore {
        async fn sample_owners(&mut self, tenant_id: i64) -> Result<Vec<i64>, sqlx::Error> {
            sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1 AND is_active = TRUE AND role <> 'read_only' ORDER BY id")
                .bind(tenant_id)
                .fetch_all(&mut *self)
                .await
        }

        async fn default_pipeline_stages(
            &mut self,
            tenant_id: i64,
        ) -> Result<Vec<SampleStage>, sqlx::Error> {
            sqlx::query_as(
                "SELECT s.id, s.pipeline_id, s.is_won, s.is_lost FROM pipeline_stages s
                 JOIN pipelines p ON p.id = s.pipeline_id
                 WHERE s.tenant_id = $1 AND p.is_default = TRUE ORDER BY s.sort_order",
            )
            .bind(tenant_id)
            .fetch_all(&mut *self)
            .await
        }

        async fn insert_sample_company(
            &mut self,
            c: &SampleCompany<'_>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO companies (tenant_id, name, domain, phone, notes, owner_id, sort_name, search_text, created_at, updated_at)
                 VALUES ($1, $2, $3, NULL, '', $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(c.tenant_id)
            .bind(c.name)
            .bind(c.domain)
            .bind(c.owner_id)
            .bind(c.sort_name)
            .bind(c.search_text)
            .bind(c.created_at)
            .fetch_one(&mut *self)
            .await
        }

        async fn insert_sample_contact(
            &mut self,
            c: &SampleContact<'_>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO contacts (tenant_id, company_id, name, email, phone, source, notes, status, score, owner_id,
                    sort_name, search_text, created_at, updated_at, phone_e164)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
            )
            .bind(c.tenant_id)
            .bind(c.company_id)
            .bind(c.name)
            .bind(c.email)
            .bind(c.phone)
            .bind(c.source)
            .bind(c.notes)
            .bind(c.status)
            .bind(c.score)
            .bind(c.owner_id)
            .bind(c.sort_name)
            .bind(c.search_text)
            .bind(c.created_at)
            .bind(c.phone_e164)
            .fetch_one(&mut *self)
            .await
        }

        async fn insert_sample_deal(&mut self, d: &SampleDeal<'_>) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO deals (tenant_id, pipeline_id, stage_id, contact_id, company_id, title, amount_minor, currency,
                    owner_id, expected_close_on, closed_at, position, version, stage_entered_at, created_at, updated_at, search_text)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'EUR', $8, $9, $10, $11, 1, $12, $12, $12, $13) RETURNING id",
            )
            .bind(d.tenant_id)
            .bind(d.pipeline_id)
            .bind(d.stage_id)
            .bind(d.contact_id)
            .bind(d.company_id)
            .bind(d.title)
            .bind(d.amount_minor)
            .bind(d.owner_id)
            .bind(d.expected_close_on)
            .bind(d.closed_at)
            .bind(d.position)
            .bind(d.created_at)
            .bind(crate::search::fold(d.title))
            .fetch_one(&mut *self)
            .await
        }

        async fn insert_sample_task(&mut self, t: &SampleTask<'_>) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO tasks (tenant_id, title, notes, due_at, priority, status, assignee_id, created_by, contact_id,
                    created_at, updated_at)
                 VALUES ($1, $2, '', $3, $4, 'pending', $5, $5, $6, $7, $7)",
            )
            .bind(t.tenant_id)
            .bind(t.title)
            .bind(t.due_at)
            .bind(t.priority)
            .bind(t.owner_id)
            .bind(t.contact_id)
            .bind(t.created_at)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn touch_last_contacted(
            &mut self,
            contact_id: i64,
            at: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE contacts SET last_contacted_at = $1 WHERE id = $2 AND (last_contacted_at IS NULL OR last_contacted_at < $1)",
            )
            .bind(at)
            .bind(contact_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn refresh_next_followups(&mut self, tenant_id: i64) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE contacts SET next_followup_at =
                    (SELECT MIN(due_at) FROM tasks WHERE tasks.contact_id = contacts.id AND tasks.status = 'pending')
                 WHERE tenant_id = $1",
            )
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn analyze(&mut self) -> Result<(), sqlx::Error> {
            sqlx::query("ANALYZE").execute(&mut *self).await.map(|_| ())
        }
    }
}
