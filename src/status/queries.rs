use super::InstallationStatus;
use crate::{db::Db, on_db};

pub async fn load_status(db: &Db) -> Result<InstallationStatus, sqlx::Error> {
    let schema_version = db.schema_version().await?;
    let (tenants, active_users): (i64, i64) = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM tenants),
                    (SELECT COUNT(*) FROM users WHERE is_active = TRUE)",
        )
        .fetch_one(pool)
        .await?
    });
    Ok(InstallationStatus {
        backend: db.backend().display_name().to_string(),
        schema_version,
        tenants,
        active_users,
        checked_at: chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S%.3f UTC")
            .to_string(),
    })
}
