//! All of the tenancy SQL about tenants themselves, as one trait for both backends: the settings
//! other areas read (timezone, currency, country), and the statements registration, the demo
//! seed, provisioning and the lifecycle commands run inside their transactions.

use super::{
    input::TenantSettingsInput,
    provisioning::{DEFAULT_DISPOSITIONS, DEFAULT_PIPELINE, DEFAULT_STAGES},
    TenantSettings, TenantStatus,
};
use crate::{
    auth::roles::{default_permissions, Role},
    impl_for_backends,
};
use chrono::{DateTime, Utc};
use std::future::Future;

/// A tenant about to be created; it starts active, in euros.
pub struct NewTenant<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    /// IANA name, e.g. `UTC` or `Europe/Berlin`.
    pub timezone: &'a str,
    pub created_at: DateTime<Utc>,
}

/// A user created with a new tenant: its first admin, or a demo colleague.
pub struct SeedUser<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub created_at: DateTime<Utc>,
}

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

    /// Name, timezone and currency together, as the settings page shows them.
    fn tenant_settings(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<TenantSettings, sqlx::Error>> + Send;

    fn set_tenant_settings(
        &mut self,
        tenant_id: i64,
        settings: &TenantSettingsInput,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Whether any tenant has a user with this email: emails are unique installation-wide.
    fn email_registered(
        &mut self,
        email: &str,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// The slugs that are `base` or `base-…`, to pick the first free numbered one.
    fn slugs_like(
        &mut self,
        base: &str,
    ) -> impl Future<Output = Result<Vec<String>, sqlx::Error>> + Send;

    fn tenant_slug_exists(
        &mut self,
        slug: &str,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// A unique violation means the slug is taken.
    fn insert_tenant(
        &mut self,
        tenant: &NewTenant<'_>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// The registering admin, signed in from the start (`last_login_at`). A unique violation
    /// means the email is taken.
    fn insert_registered_admin(
        &mut self,
        tenant_id: i64,
        admin: &SeedUser<'_>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// A team of a tenant being seeded.
    fn insert_seed_team(
        &mut self,
        tenant_id: i64,
        name: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// The seeded tenant's admin, in `team_id`.
    fn insert_seed_admin(
        &mut self,
        tenant_id: i64,
        team_id: i64,
        admin: &SeedUser<'_>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// A colleague in the tenant's team named `team`, with `role`'s word.
    fn insert_seed_colleague(
        &mut self,
        tenant_id: i64,
        team: &str,
        role: &str,
        user: &SeedUser<'_>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The default role permissions, pipeline with its stages, and call dispositions.
    fn provision_tenant_defaults(
        &mut self,
        tenant_id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The tenant's id and status.
    fn tenant_status_by_slug(
        &mut self,
        slug: &str,
    ) -> impl Future<Output = Result<Option<(i64, TenantStatus)>, sqlx::Error>> + Send;

    fn set_tenant_status(
        &mut self,
        tenant_id: i64,
        status: TenantStatus,
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

        async fn tenant_settings(&mut self, tenant_id: i64) -> Result<TenantSettings, sqlx::Error> {
            sqlx::query_as("SELECT name, timezone, default_currency FROM tenants WHERE id = $1")
                .bind(tenant_id)
                .fetch_one(&mut *self)
                .await
        }

        async fn set_tenant_settings(
            &mut self,
            tenant_id: i64,
            settings: &TenantSettingsInput,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE tenants SET name = $1, timezone = $2, default_currency = $3 WHERE id = $4",
            )
            .bind(settings.name.as_str())
            .bind(settings.timezone.name())
            .bind(&settings.currency)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn email_registered(&mut self, email: &str) -> Result<bool, sqlx::Error> {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&mut *self)
                .await
                .map(|n| n > 0)
        }

        async fn slugs_like(&mut self, base: &str) -> Result<Vec<String>, sqlx::Error> {
            sqlx::query_scalar("SELECT slug FROM tenants WHERE slug = $1 OR slug LIKE $2")
                .bind(base)
                .bind(format!("{base}-%"))
                .fetch_all(&mut *self)
                .await
        }

        async fn tenant_slug_exists(&mut self, slug: &str) -> Result<bool, sqlx::Error> {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tenants WHERE slug = $1")
                .bind(slug)
                .fetch_one(&mut *self)
                .await
                .map(|n| n > 0)
        }

        async fn insert_tenant(&mut self, tenant: &NewTenant<'_>) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO tenants (name, slug, status, timezone, default_currency, created_at)
                 VALUES ($1, $2, 'active', $3, 'EUR', $4) RETURNING id",
            )
            .bind(tenant.name)
            .bind(tenant.slug)
            .bind(tenant.timezone)
            .bind(tenant.created_at)
            .fetch_one(&mut *self)
            .await
        }

        async fn insert_registered_admin(
            &mut self,
            tenant_id: i64,
            admin: &SeedUser<'_>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO users (tenant_id, name, email, password_hash, role, last_login_at, created_at)
                 VALUES ($1, $2, $3, $4, 'tenant_admin', $5, $5) RETURNING id",
            )
            .bind(tenant_id)
            .bind(admin.name)
            .bind(admin.email)
            .bind(admin.password_hash)
            .bind(admin.created_at)
            .fetch_one(&mut *self)
            .await
        }

        async fn insert_seed_team(
            &mut self,
            tenant_id: i64,
            name: &str,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO teams (tenant_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(tenant_id)
            .bind(name)
            .bind(now)
            .fetch_one(&mut *self)
            .await
        }

        async fn insert_seed_admin(
            &mut self,
            tenant_id: i64,
            team_id: i64,
            admin: &SeedUser<'_>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO users (tenant_id, team_id, name, email, password_hash, role, created_at)
                 VALUES ($1, $2, $3, $4, $5, 'tenant_admin', $6)",
            )
            .bind(tenant_id)
            .bind(team_id)
            .bind(admin.name)
            .bind(admin.email)
            .bind(admin.password_hash)
            .bind(admin.created_at)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn insert_seed_colleague(
            &mut self,
            tenant_id: i64,
            team: &str,
            role: &str,
            user: &SeedUser<'_>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO users (tenant_id, team_id, name, email, password_hash, role, created_at)
                 VALUES ($1, (SELECT id FROM teams WHERE tenant_id = $1 AND name = $2), $3, $4, $5, $6, $7)",
            )
            .bind(tenant_id)
            .bind(team)
            .bind(user.name)
            .bind(user.email)
            .bind(user.password_hash)
            .bind(role)
            .bind(user.created_at)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn provision_tenant_defaults(&mut self, tenant_id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
            for role in Role::ALL {
                for permission in default_permissions(role) {
                    sqlx::query("INSERT INTO role_permissions (tenant_id, role, permission) VALUES ($1, $2, $3)")
                        .bind(tenant_id)
                        .bind(role.as_str())
                        .bind(permission.as_str())
                        .execute(&mut *self)
                        .await?;
                }
            }
            let pipeline_id: i64 = sqlx::query_scalar(
                "INSERT INTO pipelines (tenant_id, name, is_default, sort_order, created_at)
                 VALUES ($1, $2, TRUE, 0, $3) RETURNING id",
            )
            .bind(tenant_id)
            .bind(DEFAULT_PIPELINE)
            .bind(now)
            .fetch_one(&mut *self)
            .await?;
            for (order, s) in (0_i32..).zip(DEFAULT_STAGES.iter()) {
                sqlx::query(
                    "INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, color, sort_order, probability,
                        is_default, is_won, is_lost, requires_note, requires_followup_date)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, FALSE)",
                )
                .bind(tenant_id)
                .bind(pipeline_id)
                .bind(s.name)
                .bind(s.color)
                .bind(order)
                .bind(s.probability)
                .bind(s.is_default)
                .bind(s.is_won)
                .bind(s.is_lost)
                .bind(s.requires_note)
                .execute(&mut *self)
                .await?;
            }
            for (order, (name, is_default, requires_note)) in (0_i32..).zip(DEFAULT_DISPOSITIONS) {
                sqlx::query(
                    "INSERT INTO call_dispositions (tenant_id, name, sort_order, is_default, requires_note)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(tenant_id)
                .bind(name)
                .bind(order)
                .bind(is_default)
                .bind(requires_note)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }

        async fn tenant_status_by_slug(
            &mut self,
            slug: &str,
        ) -> Result<Option<(i64, TenantStatus)>, sqlx::Error> {
            let row: Option<(i64, String)> =
                sqlx::query_as("SELECT id, status FROM tenants WHERE slug = $1")
                    .bind(slug)
                    .fetch_optional(&mut *self)
                    .await?;
            row.map(|(id, status)| {
                TenantStatus::try_from(status)
                    .map(|status| (id, status))
                    .map_err(|e| sqlx::Error::Decode(e.into()))
            })
            .transpose()
        }

        async fn set_tenant_status(
            &mut self,
            tenant_id: i64,
            status: TenantStatus,
        ) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE tenants SET status = $1 WHERE id = $2")
                .bind(status.as_str())
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }
    }
}
