//! All of the dashboard's SQL, as one trait for both backends. Every count goes through
//! `Visible`, so each viewer counts only what they may see; rows come back flat, one per group,
//! for the service to gather.

use super::{OverdueTask, REP_ACTIVITY_KINDS};
use crate::{auth::scope::Visible, impl_for_backends};
use chrono::{DateTime, Utc};
use std::future::Future;

/// A pipeline as the switcher lists it: id, name, whether it is the default.
pub type PipelineRow = (i64, String, bool);
/// One open stage and one currency of its deals: stage id, name, colour, currency (`None` for a
/// stage without deals), deal count, amount in minor units.
pub type StageValueRow = (i64, String, String, Option<String>, i64, i64);
/// Closed deals of one outcome and currency: won (else lost), currency, count, amount.
pub type ClosedRow = (bool, String, i64, i64);
/// One rep's activities of one kind: user id, name, kind, count.
pub type RepActivityRow = (i64, String, String, i64);

pub trait ReportStore {
    /// The tenant's pipelines in the board's order.
    fn pipeline_rows(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Vec<PipelineRow>, sqlx::Error>> + Send;

    /// The pipeline's open (neither won nor lost) stages in board order, each with its visible
    /// live deals per currency; a stage without any comes once, with a count of 0.
    fn stage_value_rows(
        &mut self,
        visible: Visible,
        tenant_id: i64,
        pipeline_id: i64,
    ) -> impl Future<Output = Result<Vec<StageValueRow>, sqlx::Error>> + Send;

    /// Visible live deals in a won or lost stage, closed within `[from, to)`, in every pipeline.
    fn closed_rows(
        &mut self,
        visible: Visible,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<ClosedRow>, sqlx::Error>> + Send;

    /// Visible activities of the kinds reps log by hand that happened within `[from, to)`, by
    /// rep name.
    fn rep_activity_rows(
        &mut self,
        visible: Visible,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<RepActivityRow>, sqlx::Error>> + Send;

    /// How many visible pending tasks were due before `now`.
    fn overdue_task_count(
        &mut self,
        visible: Visible,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// The `limit` visible pending tasks that have been overdue longest.
    fn oldest_overdue_tasks(
        &mut self,
        visible: Visible,
        now: DateTime<Utc>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<OverdueTask>, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl ReportStore {
        async fn pipeline_rows(&mut self, tenant_id: i64) -> Result<Vec<PipelineRow>, sqlx::Error> {
            sqlx::query_as(
                "SELECT id, name, is_default FROM pipelines WHERE tenant_id = $1
                 ORDER BY sort_order, id",
            )
            .bind(tenant_id)
            .fetch_all(&mut *self)
            .await
        }

        async fn stage_value_rows(
            &mut self,
            visible: Visible,
            tenant_id: i64,
            pipeline_id: i64,
        ) -> Result<Vec<StageValueRow>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT s.id, s.name, s.color, d.currency, COUNT(d.id),
                    CAST(COALESCE(SUM(d.amount_minor), 0) AS BIGINT)
                 FROM pipeline_stages s
                 LEFT JOIN deals d ON d.stage_id = s.id AND d.deleted_at IS NULL AND ",
            );
            visible.push(&mut query, "d", "owner_id");
            query
                .push(" WHERE s.tenant_id = ")
                .push_bind(tenant_id)
                .push(" AND s.pipeline_id = ")
                .push_bind(pipeline_id)
                .push(
                    " AND s.is_won = FALSE AND s.is_lost = FALSE
                     GROUP BY s.id, s.name, s.color, s.sort_order, d.currency
                     ORDER BY s.sort_order, s.id, d.currency",
                );
            query
                .build_query_as::<StageValueRow>()
                .fetch_all(&mut *self)
                .await
        }

        async fn closed_rows(
            &mut self,
            visible: Visible,
            from: DateTime<Utc>,
            to: DateTime<Utc>,
        ) -> Result<Vec<ClosedRow>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT s.is_won, d.currency, COUNT(d.id), CAST(SUM(d.amount_minor) AS BIGINT)
                 FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id
                 WHERE ",
            );
            visible.push(&mut query, "d", "owner_id");
            query
                .push(
                    " AND d.deleted_at IS NULL AND (s.is_won = TRUE OR s.is_lost = TRUE)
                     AND d.closed_at >= ",
                )
                .push_bind(from)
                .push(" AND d.closed_at < ")
                .push_bind(to)
                .push(" GROUP BY s.is_won, d.currency ORDER BY d.currency");
            query
                .build_query_as::<ClosedRow>()
                .fetch_all(&mut *self)
                .await
        }

        async fn rep_activity_rows(
            &mut self,
            visible: Visible,
            from: DateTime<Utc>,
            to: DateTime<Utc>,
        ) -> Result<Vec<RepActivityRow>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT a.user_id, u.name, a.kind, COUNT(a.id)
                 FROM activities a JOIN users u ON u.id = a.user_id
                 WHERE ",
            );
            visible.push(&mut query, "a", "user_id");
            query.push(" AND a.kind IN (");
            let mut kinds = query.separated(", ");
            for kind in REP_ACTIVITY_KINDS {
                kinds.push_bind(kind);
            }
            query
                .push(") AND a.happened_at >= ")
                .push_bind(from)
                .push(" AND a.happened_at < ")
                .push_bind(to)
                .push(" GROUP BY a.user_id, u.name, a.kind ORDER BY u.name, a.user_id");
            query
                .build_query_as::<RepActivityRow>()
                .fetch_all(&mut *self)
                .await
        }

        async fn overdue_task_count(
            &mut self,
            visible: Visible,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new("SELECT COUNT(t.id) FROM tasks t WHERE ");
            visible.push(&mut query, "t", "assignee_id");
            query
                .push(" AND t.status = 'pending' AND t.due_at < ")
                .push_bind(now);
            query.build_query_scalar::<i64>().fetch_one(&mut *self).await
        }

        async fn oldest_overdue_tasks(
            &mut self,
            visible: Visible,
            now: DateTime<Utc>,
            limit: i64,
        ) -> Result<Vec<OverdueTask>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT t.id, t.title, t.due_at, u.name AS assignee_name, t.contact_id,
                    c.name AS contact_name, t.deal_id, d.title AS deal_title
                 FROM tasks t
                 LEFT JOIN users u ON u.id = t.assignee_id
                 LEFT JOIN contacts c ON c.id = t.contact_id
                 LEFT JOIN deals d ON d.id = t.deal_id
                 WHERE ",
            );
            visible.push(&mut query, "t", "assignee_id");
            query
                .push(" AND t.status = 'pending' AND t.due_at < ")
                .push_bind(now)
                .push(" ORDER BY t.due_at, t.id LIMIT ")
                .push_bind(limit);
            query
                .build_query_as::<OverdueTask>()
                .fetch_all(&mut *self)
                .await
        }
    }
}
