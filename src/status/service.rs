//! The installation's status: what any visitor may see on the home page, and the counts only
//! the operator's `crm status` prints. No actor, so no permission: neither names a tenant.

use super::{store::StatusStore, InstallationCounts, InstallationStatus};
use crate::{db::Db, on_db};

/// What any visitor may see: the database answers, its kind and schema version.
pub async fn load_status(db: &Db) -> Result<InstallationStatus, sqlx::Error> {
    let schema_version = db.schema_version().await?;
    Ok(InstallationStatus {
        backend: db.backend().display_name().to_string(),
        schema_version,
        checked_at: chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S%.3f UTC")
            .to_string(),
    })
}

/// The whole installation's counts, for the operator's `crm status` only.
pub async fn installation_counts(db: &Db) -> Result<InstallationCounts, sqlx::Error> {
    Ok(on_db!(db, |pool| {
        pool.acquire().await?.installation_counts().await?
    }))
}
