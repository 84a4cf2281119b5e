//! `GET /health` for load balancers and the browser's connection banner: 200 when the database
//! answers within a second, 503 when it does not.

use crate::{db::Backend, server::AppState};
use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Serialize, Deserialize)]
pub struct HealthReport {
    /// `ok` or `unavailable`.
    pub status: String,
    /// `up` or `down`.
    pub database: String,
    pub backend: Backend,
    pub version: String,
}

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
