use super::InstallationStatus;
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
pub struct InstallationCounts {
    pub tenants_active: i64,
    pub tenants_suspended: i64,
    pub tenants_closed: i64,
    pub active_users: i64,
}

pub async fn installation_counts(db: &Db) -> Result<InstallationCounts, sqlx::Error> {
    let (tenants_active, tenants_suspended, tenants_closed, active_users): (i64, i64, i64, i64) =
        on_db!(db, |pool| {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM tenants WHERE status = 'active'),
                        (SELECT COUNT(*) FROM tenants WHERE status = 'suspended'),
                        (SELECT COUNT(*) FROM tenants WHERE status = 'closed'),
                        (SELECT COUNT(*) FROM users WHERE is_active = TRUE)",
            )
            .fetch_one(pool)
            .await?
        });
    Ok(InstallationCounts {
        tenants_active,
        tenants_suspended,
        tenants_closed,
        active_users,
    })
}
