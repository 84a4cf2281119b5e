//! All of the pipelines' and stages' SQL, as one trait for both backends. The deals read
//! their stages through it too.

use super::input::StageInput;
use crate::{
    deals::{Pipeline, Stage},
    impl_for_backends,
};
use chrono::{DateTime, Utc};
use std::future::Future;

const STAGE_COLUMNS: &str =
    "id, pipeline_id, name, color, sort_order, probability, is_default, is_won, is_lost,
        requires_note, requires_followup_date";

pub trait PipelineStore {
    /// The tenant's pipelines in order, each with its stages in order.
    fn pipelines(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Vec<Pipeline>, sqlx::Error>> + Send;

    fn stage(
        &mut self,
        tenant_id: i64,
        stage_id: i64,
    ) -> impl Future<Output = Result<Option<Stage>, sqlx::Error>> + Send;

    /// The default stage of the default pipeline (where a deal starts when none is named).
    fn default_stage(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Option<Stage>, sqlx::Error>> + Send;

    /// A new pipeline, last in order.
    fn insert_pipeline(
        &mut self,
        tenant_id: i64,
        name: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn rename_pipeline(
        &mut self,
        tenant_id: i64,
        id: i64,
        name: &str,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// A new stage, last in its pipeline (its default flag is [`Self::make_default`]'s job).
    fn insert_stage(
        &mut self,
        tenant_id: i64,
        pipeline_id: i64,
        stage: &StageInput,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn update_stage(
        &mut self,
        tenant_id: i64,
        id: i64,
        stage: &StageInput,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// After a stage became won or lost (`closed`), its deals count as closed from when they
    /// entered it; after it became open again, they are open.
    fn close_or_reopen_deals(
        &mut self,
        tenant_id: i64,
        stage_id: i64,
        closed: bool,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Makes `id` the one default stage of its pipeline, or (`default` false) no longer one.
    fn set_default_stage(
        &mut self,
        tenant_id: i64,
        pipeline_id: i64,
        id: i64,
        default: bool,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    fn set_stage_order(
        &mut self,
        tenant_id: i64,
        order: &[i64],
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// How many deals (deleted ones included) are in the stage, and how many stages its
    /// pipeline has.
    fn stage_usage(
        &mut self,
        tenant_id: i64,
        stage: &Stage,
    ) -> impl Future<Output = Result<(i64, i64), sqlx::Error>> + Send;

    fn delete_stage(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl PipelineStore {
        async fn pipelines(&mut self, tenant_id: i64) -> Result<Vec<Pipeline>, sqlx::Error> {
            let pipelines: Vec<(i64, String, bool)> = sqlx::query_as(
                "SELECT id, name, is_default FROM pipelines WHERE tenant_id = $1
                 ORDER BY sort_order, id",
            )
            .bind(tenant_id)
            .fetch_all(&mut *self)
            .await?;
            let stages: Vec<Stage> = sqlx::query_as(&format!(
                "SELECT {STAGE_COLUMNS} FROM pipeline_stages WHERE tenant_id = $1
                 ORDER BY pipeline_id, sort_order, id"
            ))
            .bind(tenant_id)
            .fetch_all(&mut *self)
            .await?;
            Ok(pipelines
                .into_iter()
                .map(|(id, name, is_default)| Pipeline {
                    id,
                    name,
                    is_default,
                    stages: stages.iter().filter(|s| s.pipeline_id == id).cloned().collect(),
                })
                .collect())
        }

        async fn stage(&mut self, tenant_id: i64, stage_id: i64) -> Result<Option<Stage>, sqlx::Error> {
            sqlx::query_as(&format!(
                "SELECT {STAGE_COLUMNS} FROM pipeline_stages WHERE id = $1 AND tenant_id = $2"
            ))
            .bind(stage_id)
            .bind(tenant_id)
            .fetch_optional(&mut *self)
            .await
        }

        async fn default_stage(&mut self, tenant_id: i64) -> Result<Option<Stage>, sqlx::Error> {
            sqlx::query_as(&format!(
                "SELECT {STAGE_COLUMNS} FROM pipeline_stages WHERE tenant_id = $1 AND pipeline_id =
                    (SELECT id FROM pipelines WHERE tenant_id = $1
                     ORDER BY is_default DESC, sort_order, id LIMIT 1)
                 ORDER BY is_default DESC, sort_order, id LIMIT 1"
            ))
            .bind(tenant_id)
            .fetch_optional(&mut *self)
            .await
        }

        async fn insert_pipeline(
            &mut self,
            tenant_id: i64,
            name: &str,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO pipelines (tenant_id, name, is_default, sort_order, created_at)
                 VALUES ($1, $2, FALSE,
                    (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM pipelines WHERE tenant_id = $1), $3)
                 RETURNING id",
            )
            .bind(tenant_id)
            .bind(name)
            .bind(now)
            .fetch_one(&mut *self)
            .await
        }

        async fn rename_pipeline(&mut self, tenant_id: i64, id: i64, name: &str) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE pipelines SET name = $1 WHERE id = $2 AND tenant_id = $3")
                .bind(name)
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn insert_stage(
            &mut self,
            tenant_id: i64,
            pipeline_id: i64,
            stage: &StageInput,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, color, sort_order,
                    probability, is_default, is_won, is_lost, requires_note, requires_followup_date)
                 VALUES ($1, $2, $3, $4,
                    (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM pipeline_stages WHERE pipeline_id = $2),
                    $5, FALSE, $6, $7, $8, $9)
                 RETURNING id",
            )
            .bind(tenant_id)
            .bind(pipeline_id)
            .bind(&stage.name)
            .bind(&stage.color)
            .bind(stage.probability)
            .bind(stage.is_won)
            .bind(stage.is_lost)
            .bind(stage.requires_note)
            .bind(stage.requires_followup_date)
            .fetch_one(&mut *self)
            .await
        }

        async fn update_stage(&mut self, tenant_id: i64, id: i64, stage: &StageInput) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE pipeline_stages SET name = $1, color = $2, probability = $3, is_won = $4,
                    is_lost = $5, requires_note = $6, requires_followup_date = $7
                 WHERE id = $8 AND tenant_id = $9",
            )
            .bind(&stage.name)
            .bind(&stage.color)
            .bind(stage.probability)
            .bind(stage.is_won)
            .bind(stage.is_lost)
            .bind(stage.requires_note)
            .bind(stage.requires_followup_date)
            .bind(id)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn close_or_reopen_deals(
            &mut self,
            tenant_id: i64,
            stage_id: i64,
            closed: bool,
        ) -> Result<(), sqlx::Error> {
            let set = if closed {
                "closed_at = COALESCE(closed_at, stage_entered_at)"
            } else {
                "closed_at = NULL"
            };
            sqlx::query(&format!(
                "UPDATE deals SET {set}, version = version + 1 WHERE tenant_id = $1 AND stage_id = $2"
            ))
            .bind(tenant_id)
            .bind(stage_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn set_default_stage(
            &mut self,
            tenant_id: i64,
            pipeline_id: i64,
            id: i64,
            default: bool,
        ) -> Result<(), sqlx::Error> {
            let query = if default {
                sqlx::query(
                    "UPDATE pipeline_stages SET is_default = (id = $1)
                     WHERE tenant_id = $2 AND pipeline_id = $3",
                )
            } else {
                sqlx::query(
                    "UPDATE pipeline_stages SET is_default = FALSE
                     WHERE id = $1 AND tenant_id = $2 AND pipeline_id = $3",
                )
            };
            query
                .bind(id)
                .bind(tenant_id)
                .bind(pipeline_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn set_stage_order(&mut self, tenant_id: i64, order: &[i64]) -> Result<(), sqlx::Error> {
            for (position, stage_id) in (0_i32..).zip(order) {
                sqlx::query(
                    "UPDATE pipeline_stages SET sort_order = $1 WHERE id = $2 AND tenant_id = $3",
                )
                .bind(position)
                .bind(*stage_id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }

        async fn stage_usage(&mut self, tenant_id: i64, stage: &Stage) -> Result<(i64, i64), sqlx::Error> {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM deals WHERE tenant_id = $1 AND stage_id = $2),
                        (SELECT COUNT(*) FROM pipeline_stages WHERE tenant_id = $1 AND pipeline_id = $3)",
            )
            .bind(tenant_id)
            .bind(stage.id)
            .bind(stage.pipeline_id)
            .fetch_one(&mut *self)
            .await
        }

        async fn delete_stage(&mut self, tenant_id: i64, id: i64) -> Result<(), sqlx::Error> {
            sqlx::query("DELETE FROM pipeline_stages WHERE id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }
    }
}
