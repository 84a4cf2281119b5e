//! The settings page's jobs section: the tenant's own jobs, and retry or discard of a failed one.

use super::{JobStatus, JobsOverview};
use crate::{error::AppError, text_enum::Word};
use leptos::prelude::*;

#[server(endpoint = "jobs/list")]
pub async fn list_jobs(status: Word<JobStatus>) -> Result<JobsOverview, AppError> {
    crate::auth::request::acting(|a| async move {
        let status = status.parse().ok_or_else(|| {
            AppError::invalid("status", "must be queued, running, succeeded or failed")
        })?;
        super::admin::overview(&a.state.jobs, &a.actor, status).await
    })
    .await
}

#[server(endpoint = "jobs/retry")]
pub async fn retry_job(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        let retry = super::admin::Settle::Retry;
        super::admin::settle_failed(&a.state.jobs, &a.actor, id, retry, &a.client).await
    })
    .await
}

#[server(endpoint = "jobs/discard")]
pub async fn discard_job(id: i64) -> Result<(), AppError> {
    crate::auth::request::acting(|a| async move {
        let discard = super::admin::Settle::Discard;
        super::admin::settle_failed(&a.state.jobs, &a.actor, id, discard, &a.client).await
    })
    .await
}
