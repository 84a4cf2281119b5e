//! Seeds the demo tenant ("Demo Company", slug `demo`) with a team and its admin, once.

use super::{
    provisioning::ProvisionTenant,
    sample_data::{fill_tenant, DEMO},
};
use crate::db::BeginWrite;
use crate::{auth::password::hash_password, config::DemoSettings, db::Db, on_db};
use chrono::Utc;

pub const DEMO_SLUG: &str = "demo";

#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Created { tenant_id: i64 },
    AlreadyPresent,
}

/// Creates the demo tenant, its "Sales" team and its admin in one transaction, unless a tenant
/// with the demo slug exists. Safe to run from several instances at once: the unique slug lets
/// one win and the others see `AlreadyPresent`.
pub async fn seed_demo_tenant(db: &Db, demo: &DemoSettings) -> anyhow::Result<SeedOutcome> {
    if demo_tenant_exists(db).await? {
        return Ok(SeedOutcome::AlreadyPresent);
    }
    let password_hash = hash_password(demo.admin_password.clone()).await?;
    let email = demo.admin_email.trim().to_lowercase();
    let now = Utc::now();

    let result: Result<i64, sqlx::Error> = on_db!(db, |pool| async {
        let mut tx = pool.begin_write().await?;
        let tenant_id: i64 = sqlx::query_scalar(
            "INSERT INTO tenants (name, slug, status, timezone, default_currency, created_at)
             VALUES ($1, $2, 'active', 'Europe/Berlin', 'EUR', $3) RETURNING id",
        )
        .bind("Demo Company")
        .bind(DEMO_SLUG)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let team_id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (tenant_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(tenant_id)
        .bind("Sales")
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.provision_tenant_defaults(tenant_id, now).await?;
        sqlx::query(
            "INSERT INTO users (tenant_id, team_id, name, email, password_hash, role, created_at)
             VALUES ($1, $2, $3, $4, $5, 'tenant_admin', $6)",
        )
        .bind(tenant_id)
        .bind(team_id)
        .bind("Demo Admin")
        .bind(&email)
        .bind(&password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(tenant_id)
    }
    .await);

    match result {
        Ok(tenant_id) => {
            if demo.sample_data {
                add_colleagues(db, tenant_id, &password_hash, now).await?;
                fill_tenant(db, tenant_id, DEMO, 2026).await?;
            }
            Ok(SeedOutcome::Created { tenant_id })
        }
        // Another instance seeded between our check and our insert.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(SeedOutcome::AlreadyPresent),
        Err(e) => Err(e.into()),
    }
}

/// The demo admin's colleagues, in the Sales team and a second Enterprise team; they sign in
/// with the demo password.
async fn add_colleagues(
    db: &Db,
    tenant_id: i64,
    password_hash: &str,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    const PEOPLE: [(&str, &str, &str, &str); 6] = [
        (
            "Sara Supervisor",
            "sara@demo.example",
            "supervisor",
            "Sales",
        ),
        ("Sam Seller", "sam@demo.example", "sales_agent", "Sales"),
        ("Sofía Seller", "sofia@demo.example", "sales_agent", "Sales"),
        (
            "Erik Enterprise",
            "erik@demo.example",
            "supervisor",
            "Enterprise",
        ),
        (
            "Emma Enterprise",
            "emma@demo.example",
            "sales_agent",
            "Enterprise",
        ),
        ("Rita Reader", "rita@demo.example", "read_only", "Sales"),
    ];
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO teams (tenant_id, name, created_at) VALUES ($1, 'Enterprise', $2)",
        )
        .bind(tenant_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for (name, email, role, team) in PEOPLE {
            sqlx::query(
                "INSERT INTO users (tenant_id, team_id, name, email, password_hash, role, created_at)
                 VALUES ($1, (SELECT id FROM teams WHERE tenant_id = $1 AND name = $2), $3, $4, $5, $6, $7)",
            )
            .bind(tenant_id)
            .bind(team)
            .bind(name)
            .bind(email)
            .bind(password_hash)
            .bind(role)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    });
    Ok(())
}

async fn demo_tenant_exists(db: &Db) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tenants WHERE slug = $1")
            .bind(DEMO_SLUG)
            .fetch_one(pool)
            .await
            .map(|n| n > 0)
    })
}
