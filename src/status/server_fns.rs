use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the status panel shows. Times are formatted on the server so SSR and hydration agree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallationStatus {
    pub backend: String,
    pub schema_version: i64,
    pub checked_at: String,
}

#[server(endpoint = "status/installation")]
pub async fn load_installation_status() -> Result<InstallationStatus, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    super::queries::load_status(&state.db).await.map_err(|e| {
        tracing::error!(error = %e, "loading system status");
        ServerFnError::new("The database did not answer. Try again in a moment.")
    })
}
