//! The status panel's one server function; any visitor may call it.

use super::InstallationStatus;
use leptos::prelude::*;

#[server(endpoint = "status/installation")]
pub async fn load_installation_status() -> Result<InstallationStatus, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    super::service::load_status(&state.db).await.map_err(|e| {
        tracing::error!(error = %e, "loading system status");
        ServerFnError::new("The database did not answer. Try again in a moment.")
    })
}
