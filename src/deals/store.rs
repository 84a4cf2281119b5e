//! The deals' SQL (the board's is in `board_store`), as one trait for both backends: each
//! method runs on a pooled connection or inside the service's transaction. (Pipelines and stages
//! are the `pipelines` area's.)

use super::{input::DealRecord, Deal, DealFilter, Stage};
use crate::{
    auth::scope::Visible,
    impl_for_backends,
    records::store::RecordStore,
    search::{contains_pattern, fold},
};
use chrono::{DateTime, Utc};
use std::future::Future;

/// Ends in `WHERE `; `d` is the deal.
pub(super) const SELECT: &str =
    "SELECT d.id, d.pipeline_id, d.stage_id, s.name AS stage_name, d.title, d.amount_minor,
        d.currency, d.contact_id, c.name AS contact_name, c.phone AS contact_phone, d.company_id, co.name AS company_name,
        d.owner_id, u.name AS owner_name, d.expected_close_on, d.closed_at, d.position, d.version,
        d.stage_entered_at,
        (SELECT MIN(t.due_at) FROM tasks t
          WHERE t.tenant_id = d.tenant_id AND t.deal_id = d.id AND t.status = 'pending') AS next_task_due_at,
        d.created_at, d.updated_at
    FROM deals d
    JOIN pipeline_stages s ON s.id = d.stage_id
    LEFT JOIN contacts c ON c.id = d.contact_id
    LEFT JOIN companies co ON co.id = d.company_id
    LEFT JOIN users u ON u.id = d.owner_id
    WHERE ";

/// Where a deal goes when it enters a stage.
pub struct Placement {
    pub stage: Stage,
    pub closed_at: Option<DateTime<Utc>>,
    pub stage_entered_at: DateTime<Utc>,
}

pub trait DealStore: RecordStore {
    fn deal(
        &mut self,
        visible: Visible,
        id: i64,
        deleted: bool,
    ) -> impl Future<Output = Result<Option<Deal>, sqlx::Error>> + Send;

    /// Up to `fetch` live deals matching `filter`, by id, after the deal `after`.
    fn deal_page(
        &mut self,
        visible: Visible,
        filter: &DealFilter,
        after: Option<i64>,
        fetch: i64,
    ) -> impl Future<Output = Result<Vec<Deal>, sqlx::Error>> + Send;

    /// The position below the last live deal of the stage (other than `except`).
    fn bottom_of(
        &mut self,
        tenant_id: i64,
        stage_id: i64,
        except: i64,
    ) -> impl Future<Output = Result<i32, sqlx::Error>> + Send;

    /// Moves the stage's deals at `position` and below (other than `except`) down by one.
    fn make_room(
        &mut self,
        tenant_id: i64,
        stage_id: i64,
        position: i32,
        except: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    fn insert_deal(
        &mut self,
        tenant_id: i64,
        deal: &DealRecord,
        at: &Placement,
        position: i32,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// Whether the deal was still at `version` (and so was changed).
    fn update_deal(
        &mut self,
        tenant_id: i64,
        id: i64,
        version: i64,
        deal: &DealRecord,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// Puts the deal into `at`'s stage if it is still at `version`; whether it was.
    fn enter_stage(
        &mut self,
        tenant_id: i64,
        id: i64,
        version: i64,
        at: &Placement,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    fn set_position(
        &mut self,
        tenant_id: i64,
        id: i64,
        position: i32,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Deals of every tenant saved before titles were folded for search, after `after_id` in
    /// id order: (id, title).
    fn titles_without_search_text(
        &mut self,
        after_id: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<(i64, String)>, sqlx::Error>> + Send;

    fn set_search_text(
        &mut self,
        id: i64,
        folded: &str,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl DealStore {
        async fn deal(
            &mut self,
            visible: Visible,
            id: i64,
            deleted: bool,
        ) -> Result<Option<Deal>, sqlx::Error> {
            self.visible_record(SELECT, "d", visible, id, deleted).await
        }

        async fn deal_page(
            &mut self,
            visible: Visible,
            filter: &DealFilter,
            after: Option<i64>,
            fetch: i64,
        ) -> Result<Vec<Deal>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(SELECT);
            visible.push(&mut query, "d", "owner_id");
            query.push(" AND d.deleted_at IS NULL");
            let columns = [
                ("pipeline_id", filter.pipeline_id),
                ("stage_id", filter.stage_id),
                ("owner_id", filter.owner_id),
                ("contact_id", filter.contact_id),
                ("company_id", filter.company_id),
            ];
            for (column, value) in columns {
                if let Some(value) = value {
                    query.push(format!(" AND d.{column} = ")).push_bind(value);
                }
            }
            let q = filter.q.trim();
            if !q.is_empty() {
                query
                    .push(" AND d.search_text LIKE ")
                    .push_bind(contains_pattern(q))
                    .push(" ESCAPE '\\'");
            }
            if let Some(after) = after {
                query.push(" AND d.id > ").push_bind(after);
            }
            query.push(" ORDER BY d.id LIMIT ").push_bind(fetch);
            query.build_query_as::<Deal>().fetch_all(&mut *self).await
        }

        async fn bottom_of(&mut self, tenant_id: i64, stage_id: i64, except: i64) -> Result<i32, sqlx::Error> {
            sqlx::query_scalar(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM deals
                 WHERE tenant_id = $1 AND stage_id = $2 AND id <> $3 AND deleted_at IS NULL",
            )
            .bind(tenant_id)
            .bind(stage_id)
            .bind(except)
            .fetch_one(&mut *self)
            .await
        }

        async fn make_room(
            &mut self,
            tenant_id: i64,
            stage_id: i64,
            position: i32,
            except: i64,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE deals SET position = position + 1
                 WHERE tenant_id = $1 AND stage_id = $2 AND position >= $3 AND id <> $4
                   AND deleted_at IS NULL",
            )
            .bind(tenant_id)
            .bind(stage_id)
            .bind(position)
            .bind(except)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn insert_deal(
            &mut self,
            tenant_id: i64,
            deal: &DealRecord,
            at: &Placement,
            position: i32,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO deals (tenant_id, pipeline_id, stage_id, contact_id, company_id, title,
                    amount_minor, currency, owner_id, expected_close_on, closed_at, position, version,
                    stage_entered_at, created_at, updated_at, search_text)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $14, $15)
                 RETURNING id",
            )
            .bind(tenant_id)
            .bind(at.stage.pipeline_id)
            .bind(at.stage.id)
            .bind(deal.contact_id)
            .bind(deal.company_id)
            .bind(&deal.title)
            .bind(deal.amount_minor)
            .bind(&deal.currency)
            .bind(deal.owner_id)
            .bind(deal.expected_close_on)
            .bind(at.closed_at)
            .bind(position)
            .bind(at.stage_entered_at)
            .bind(now)
            .bind(fold(&deal.title))
            .fetch_one(&mut *self)
            .await
        }

        async fn update_deal(
            &mut self,
            tenant_id: i64,
            id: i64,
            version: i64,
            deal: &DealRecord,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            let rows = sqlx::query(
                "UPDATE deals SET title = $1, amount_minor = $2, currency = $3, contact_id = $4,
                    company_id = $5, owner_id = $6, expected_close_on = $7, version = version + 1,
                    updated_at = $8, search_text = $12
                 WHERE id = $9 AND tenant_id = $10 AND version = $11",
            )
            .bind(&deal.title)
            .bind(deal.amount_minor)
            .bind(&deal.currency)
            .bind(deal.contact_id)
            .bind(deal.company_id)
            .bind(deal.owner_id)
            .bind(deal.expected_close_on)
            .bind(now)
            .bind(id)
            .bind(tenant_id)
            .bind(version)
            .bind(fold(&deal.title))
            .execute(&mut *self)
            .await?
            .rows_affected();
            Ok(rows == 1)
        }

        async fn enter_stage(
            &mut self,
            tenant_id: i64,
            id: i64,
            version: i64,
            at: &Placement,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            let rows = sqlx::query(
                "UPDATE deals SET stage_id = $1, pipeline_id = $2, closed_at = $3,
                    stage_entered_at = $4, version = version + 1, updated_at = $5
                 WHERE id = $6 AND tenant_id = $7 AND version = $8",
            )
            .bind(at.stage.id)
            .bind(at.stage.pipeline_id)
            .bind(at.closed_at)
            .bind(at.stage_entered_at)
            .bind(now)
            .bind(id)
            .bind(tenant_id)
            .bind(version)
            .execute(&mut *self)
            .await?
            .rows_affected();
            Ok(rows == 1)
        }

        async fn set_position(&mut self, tenant_id: i64, id: i64, position: i32) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE deals SET position = $1 WHERE id = $2 AND tenant_id = $3")
                .bind(position)
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn titles_without_search_text(
            &mut self,
            after_id: i64,
            limit: i64,
        ) -> Result<Vec<(i64, String)>, sqlx::Error> {
            sqlx::query_as(
                "SELECT id, title FROM deals WHERE search_text IS NULL AND id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after_id)
            .bind(limit)
            .fetch_all(&mut *self)
            .await
        }

        async fn set_search_text(&mut self, id: i64, folded: &str) -> Result<(), sqlx::Error> {
            // Only where still unset: an edit saved meanwhile wrote its own.
            sqlx::query("UPDATE deals SET search_text = $1 WHERE id = $2 AND search_text IS NULL")
                .bind(folded)
                .bind(id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }
    }
}
