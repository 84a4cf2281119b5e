//! "Recently deleted" and the delete confirmation's counts. Deleting and restoring are each
//! area's own server functions (`contacts/delete`, `contacts/restore`, …).

use super::{DeleteImpact, Deleted, RecordKind};
use crate::{error::AppError, text_enum::Word};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn parsed(kind: Word<RecordKind>) -> Result<RecordKind, AppError> {
    kind.parse()
        .ok_or_else(|| AppError::invalid("kind", "must be one of contact, company, deal"))
}

#[server(endpoint = "trash/recently_deleted")]
pub async fn recently_deleted(kind: Word<RecordKind>) -> Result<Vec<Deleted>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::recently_deleted(&a.state.db, &a.actor, parsed(kind)?).await
    })
    .await
}

#[server(endpoint = "trash/what_goes_with")]
pub async fn what_goes_with(kind: Word<RecordKind>, id: i64) -> Result<DeleteImpact, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::delete_impact(&a.state.db, &a.actor, parsed(kind)?, id).await
    })
    .await
}
