//! The tenant's own settings that other areas read (its timezone, its default currency and
//! country), as one trait for both backends. The rest of the tenancy SQL (registration,
//! provisioning, lifecycle, the demo seed) lives beside the code that runs it.

use crate::impl_for_backends;
use std::future::Future;

pub trait TenantStore {
    /// The IANA name, e.g. `Europe/Berlin`: where the tenant's days begin and end.
    fn tenant_timezone(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<String, sqlx::Error>> + Send;

    /// The ISO 4217 code a deal takes when none is named.
    fn tenant_currency(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<String, sqlx::Error>> + Send;

    /// The ISO 3166 code numbers typed without a country code are read in.
    fn tenant_country(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<String, sqlx::Error>> + Send;

    fn set_tenant_country(
        &mut self,
        tenant_id: i64,
        code: &str,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl TenantStore {
        async fn tenant_timezone(&mut self, tenant_id: i64) -> Result<String, sqlx::Error> {
            sqlx::query_scalar("SELECT timezone FROM tenants WHERE id = $1")
                .bind(tenant_id)
                .fetch_one(&mut *self)
                .await
        }

        async fn tenant_currency(&mut self, tenant_id: i64) -> Result<String, sqlx::Error> {
            sqlx::query_scalar("SELECT default_currency FROM tenants WHERE id = $1")
                .bind(tenant_id)
                .fetch_one(&mut *self)
                .await
        }

        async fn tenant_country(&mut self, tenant_id: i64) -> Result<String, sqlx::Error> {
            sqlx::query_scalar("SELECT default_country FROM tenants WHERE id = $1")
                .bind(tenant_id)
                .fetch_one(&mut *self)
                .await
        }

        async fn set_tenant_country(&mut self, tenant_id: i64, code: &str) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE tenants SET default_country = $1 WHERE id = $2")
                .bind(code)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }
    }
}
