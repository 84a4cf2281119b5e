//! `GET /health` for load balancers and the browser's connection banner: 200 when the database
//! answers within a second, 503 when it does not.

pub mod handler;

use crate::db::Backend;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct HealthReport {
    /// `ok` or `unavailable`.
    pub status: String,
    /// `up` or `down`.
    pub database: String,
    pub backend: Backend,
    pub version: String,
}
