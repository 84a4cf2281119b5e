//! Pipeline and stage editing for the settings page.

use super::StageForm;
use crate::{
    deals::{Pipeline, Stage},
    error::AppError,
};
use leptos::prelude::*;

#[server(endpoint = "pipelines/create")]
pub async fn create_pipeline(name: String) -> Result<Pipeline, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::create_pipeline(&a.state.db, &a.actor, &name, &a.client).await
    })
    .await
}

#[server(endpoint = "pipelines/rename")]
pub async fn rename_pipeline(id: i64, name: String) -> Result<Pipeline, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::rename_pipeline(&a.state.db, &a.actor, id, &name, &a.client).await
    })
    .await
}

#[server(endpoint = "stages/create")]
pub async fn create_stage(pipeline_id: i64, form: StageForm) -> Result<Stage, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::create_stage(&a.state.db, &a.actor, pipeline_id, &form, &a.client).await
    })
    .await
}

#[server(endpoint = "stages/update")]
pub async fn update_stage(id: i64, form: StageForm) -> Result<Stage, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::update_stage(&a.state.db, &a.actor, id, &form, &a.client).await
    })
    .await
}

/// `stage_ids`: every stage of the pipeline, in the new order.
#[server(endpoint = "stages/reorder")]
pub async fn reorder_stages(
    pipeline_id: i64,
    #[server(default)] stage_ids: Vec<i64>,
) -> Result<Pipeline, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::reorder_stages(&a.state.db, &a.actor, pipeline_id, &stage_ids, &a.client)
            .await
    })
    .await
}

#[server(endpoint = "stages/delete")]
pub async fn delete_stage(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::delete_stage(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}
