//! Reading the audit log (`audit.view`), newest first, filtered, in pages.

use super::{AuditFilter, AuditRecord};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit/list")]
pub async fn list_audit(
    #[server(default)] filter: AuditFilter,
) -> Result<Vec<AuditRecord>, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::list(&a.state.db, &a.actor, &filter).await
    })
    .await
}
