//! Seeds the demo tenant ("Demo Company", slug `demo`) with a team and its admin, once.

use super::{
    sample_data::{fill_tenant, DEMO},
    store::{NewTenant, SeedUser, TenantStore},
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
        let tenant = NewTenant {
            name: "Demo Company",
            slug: DEMO_SLUG,
            timezone: "Europe/Berlin",
            created_at: now,
        };
        let tenant_id = tx.insert_tenant(&tenant).await?;
        let team_id = tx.insert_seed_team(tenant_id, "Sales", now).await?;
        tx.provision_tenant_defaults(tenant_id, now).await?;
        let admin = SeedUser {
            name: "Demo Admin",
            email: &email,
            password_hash: &password_hash,
            created_at: now,
        };
        tx.insert_seed_admin(tenant_id, team_id, &admin).await?;
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
        tx.insert_seed_team(tenant_id, "Enterprise", now).await?;
        for (name, email, role, team) in PEOPLE {
            let user = SeedUser {
                name,
                email,
                password_hash,
                created_at: now,
            };
            tx.insert_seed_colleague(tenant_id, team, role, &user)
                .await?;
        }
        tx.commit().await?;
    });
    Ok(())
}

async fn demo_tenant_exists(db: &Db) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        pool.acquire().await?.tenant_slug_exists(DEMO_SLUG).await
    })
}
