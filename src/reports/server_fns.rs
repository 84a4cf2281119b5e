//! Report operations for the UI.

use super::Dashboard;
use crate::error::AppError;
use leptos::prelude::*;

/// The dashboard for a pipeline (the default one without `pipeline_id`). Needs `deals.view`.
#[server(endpoint = "reports/dashboard")]
pub async fn load_dashboard(
    #[server(default)] pipeline_id: Option<i64>,
) -> Result<Dashboard, AppError> {
    crate::auth::request::acting(|a| async move {
        super::service::dashboard(&a.state.db, &a.actor, pipeline_id, chrono::Utc::now()).await
    })
    .await
}
