//! Deal operations for the UI and the board.

use super::{
    board_filter::BoardFilter, BoardColumn, ColumnPage, Deal, DealFilter, DealForm, DealMove,
    DealPage, MovedDeal, Pipeline,
};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "pipelines/list")]
pub async fn list_pipelines() -> Result<Vec<Pipeline>, AppError> {
    crate::auth::request::acting(|a| async move {
        crate::pipelines::service::list_pipelines(&a.state.db, &a.actor).await
    })
    .await
}

/// Every column of the pipeline with its first page of cards, its count and its totals.
#[server(endpoint = "deals/board")]
pub async fn list_board(
    pipeline_id: i64,
    #[server(default)] filter: BoardFilter,
) -> Result<Vec<BoardColumn>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::board_service::list_board(&a.state.db, &a.actor, pipeline_id, &filter).await
    })
    .await
}

/// The next cards of one column, after its `next_cursor`.
#[server(endpoint = "deals/board_column")]
pub async fn list_board_column(
    stage_id: i64,
    #[server(default)] filter: BoardFilter,
    cursor: String,
) -> Result<ColumnPage, AppError> {
    crate::auth::request::acting(|a| async move {
        super::board_service::list_board_column(&a.state.db, &a.actor, stage_id, &filter, &cursor)
            .await
    })
    .await
}

#[server(endpoint = "deals/list")]
pub async fn list_deals(#[server(default)] filter: DealFilter) -> Result<DealPage, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::list_deals(&a.state.db, &a.actor, &filter).await
    })
    .await
}

#[server(endpoint = "deals/get")]
pub async fn get_deal(id: i64) -> Result<Deal, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::get_deal(&a.state.db, &a.actor, id).await
    })
    .await
}

#[server(endpoint = "deals/create")]
pub async fn create_deal(form: DealForm) -> Result<Deal, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::DealDraft::from(&form);
        super::service::create_deal(&a.state.db, &a.actor, draft, &a.client).await
    })
    .await
}

#[server(endpoint = "deals/update")]
pub async fn update_deal(id: i64, version: i64, form: DealForm) -> Result<Deal, AppError> {
    crate::auth::request::acting(|a| async move {
        let draft = super::input::DealDraft::from(&form);
        super::service::update_deal(&a.state.db, &a.actor, id, version, draft, &a.client).await
    })
    .await
}

#[server(endpoint = "deals/move")]
pub async fn move_deal(id: i64, to: DealMove) -> Result<MovedDeal, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::move_deal(&a.state.db, &a.actor, id, &to, &a.client).await
    })
    .await
}

#[server(endpoint = "deals/delete")]
pub async fn delete_deal(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::delete_deal(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}

/// Gives the chosen deals to another owner, all of them or none.
#[server(endpoint = "deals/assign_owner")]
pub async fn assign_deal_owner(
    #[server(default)] ids: Vec<i64>,
    owner_id: i64,
) -> Result<usize, AppError> {
    crate::auth::request::acting(|a| async move {
        crate::records::bulk::assign_owner(
            &a.state.db,
            &a.actor,
            crate::records::SoftDeletable::Deal,
            &ids,
            owner_id,
            &a.client,
        )
        .await
    })
    .await
}

#[server(endpoint = "deals/restore")]
pub async fn restore_deal(id: i64) -> Result<Deal, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::restore_deal(&a.state.db, &a.actor, id, &a.client).await
    })
    .await
}
