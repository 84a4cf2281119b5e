//! The `/health` handler: probes the database with a deadline.

use super::HealthReport;
use crate::state::AppState;
use axum::{extract::State, http::StatusCode, Json};
use std::time::Duration;

const DB_PROBE_TIMEOUT: Duration = Duration::from_secs(1);

pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<HealthReport>) {
    let probe = tokio::time::timeout(DB_PROBE_TIMEOUT, state.db.ping()).await;
    let database_up = match probe {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health: database query failed");
            false
        }
        Err(_) => {
            tracing::warn!("health: database did not answer within {DB_PROBE_TIMEOUT:?}");
            false
        }
    };
    let (code, status, database) = if database_up {
        (StatusCode::OK, "ok", "up")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "down")
    };
    let report = HealthReport {
        status: status.into(),
        database: database.into(),
        backend: state.db.backend(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    (code, Json(report))
}
