//! The status area's SQL, as one trait for both backends. The schema version is the database's
//! own (`Db::schema_version`); what is here counts across every tenant.

use super::InstallationCounts;
use crate::impl_for_backends;
use std::future::Future;

pub trait StatusStore {
    /// Tenants by status and active users, over the whole installation.
    fn installation_counts(
        &mut self,
    ) -> impl Future<Output = Result<InstallationCounts, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl StatusStore {
        async fn installation_counts(&mut self) -> Result<InstallationCounts, sqlx::Error> {
            sqlx::query_as(
                "SELECT
                   (SELECT COUNT(*) FROM tenants WHERE status = 'active') AS tenants_active,
                   (SELECT COUNT(*) FROM tenants WHERE status = 'suspended') AS tenants_suspended,
                   (SELECT COUNT(*) FROM tenants WHERE status = 'closed') AS tenants_closed,
                   (SELECT COUNT(*) FROM users WHERE is_active = TRUE) AS active_users",
            )
            .fetch_one(&mut *self)
            .await
        }
    }
}
