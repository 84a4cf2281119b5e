//! Query benchmarks on a generated tenant: `cargo bench --no-default-features --features ssr`.
//! Fills a fresh SQLite file (and PostgreSQL when `TEST_POSTGRES_URL` is set) with
//! BENCH_CONTACTS contacts (default 20,000), half as many deals and five activities per contact,
//! then reports the median and 95th percentile of the operations a rep does all day.

use crm::{
    audit::ClientInfo,
    auth::{actor::load_actor, session::SessionAuth},
    config::{DatabaseSettings, DemoSettings, Settings},
    contacts::{service::list_contacts, ContactFilter},
    db::Db,
    deals::{
        service::{list_board, list_pipelines, move_deal},
        DealMove,
    },
    on_db,
    tenancy::{
        demo::{seed_demo_tenant, SeedOutcome},
        sample_data::{fill_tenant, Sizes},
    },
};
use std::time::{Duration, Instant};

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    println!(
        "  {name:<44} median {:>8.2} ms   p95 {:>8.2} ms   (n={})",
        ms(median),
        ms(p95),
        samples.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn time<F, Fut, T>(runs: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let started = Instant::now();
        let _ = f(i).await;
        samples.push(started.elapsed());
    }
    samples
}

async fn bench(label: &str, url: String) -> anyhow::Result<()> {
    let contacts: usize = std::env::var("BENCH_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let db = Db::connect_and_migrate(&DatabaseSettings {
        url,
        ..Settings::default().database
    })
    .await?;
    let SeedOutcome::Created { tenant_id } = seed_demo_tenant(
        &db,
        &DemoSettings {
            seed: true,
            sample_data: false,
            ..Settings::default().demo
        },
    )
    .await?
    else {
        anyhow::bail!("fresh database expected");
    };
    let sizes = Sizes {
        companies: contacts / 10,
        contacts,
        deals: contacts / 2,
        activities: contacts * 5,
        tasks: contacts / 5,
    };
    let started = Instant::now();
    fill_tenant(&db, tenant_id, sizes, 7).await?;
    println!(
        "{label}: generated {sizes:?} in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let user_id: i64 = on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT id FROM users WHERE tenant_id = $1"
    )
    .bind(tenant_id)
    .fetch_one(pool)
    .await?);
    let auth = SessionAuth {
        user_id,
        tenant_id,
        signed_in_at: 0,
    };
    let actor = load_actor(&db, &auth)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no actor"))?;

    let page = |q: &str| ContactFilter {
        q: q.into(),
        limit: Some(50),
        ..Default::default()
    };
    summary(
        "contacts: first page by name",
        time(50, |_| {
            let filter = page("");
            let (db, actor) = (&db, &actor);
            async move { list_contacts(db, actor, &filter).await }
        })
        .await,
    );
    let queries = ["jose", "MULLER", "zoe gar", "4930", "trade fair"];
    summary(
        "contacts: search (accents/case folded)",
        time(50, |i| {
            let filter = page(queries[i % 5]);
            let (db, actor) = (&db, &actor);
            async move { list_contacts(db, actor, &filter).await }
        })
        .await,
    );
    let first = list_contacts(&db, &actor, &page("")).await?;
    let deep = ContactFilter {
        cursor: first.next_cursor.clone(),
        ..page("")
    };
    summary(
        "contacts: next page (keyset)",
        time(50, |_| list_contacts(&db, &actor, &deep)).await,
    );

    let pipeline = list_pipelines(&db, &actor)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no pipeline"))?;
    summary(
        "deals: whole board of the pipeline",
        time(20, |_| list_board(&db, &actor, pipeline.id)).await,
    );
    let board = list_board(&db, &actor, pipeline.id).await?;
    let open: Vec<_> = board
        .iter()
        .filter(|d| d.closed_at.is_none())
        .take(50)
        .cloned()
        .collect();
    let target = pipeline
        .stages
        .iter()
        .find(|s| !s.is_won && !s.is_lost && !s.requires_note)
        .map(|s| s.id)
        .unwrap_or_default();
    let client = ClientInfo::default();
    summary(
        "deals: move (rules, reorder column, activity, audit)",
        time(open.len(), |i| {
            let deal = open[i].clone();
            let request = DealMove {
                stage_id: target,
                position: Some(0),
                version: deal.version,
                ..Default::default()
            };
            let (db, actor, client) = (&db, &actor, &client);
            async move { move_deal(db, actor, deal.id, &request, client).await }
        })
        .await,
    );
    db.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    bench(
        "SQLite",
        format!("sqlite://{}", dir.path().join("bench.db").display()),
    )
    .await?;
    if let Ok(admin) = std::env::var("TEST_POSTGRES_URL") {
        let name = format!("crm_bench_{}", std::process::id());
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await?;
        sqlx::Executor::execute(&mut conn, format!(r#"CREATE DATABASE "{name}""#).as_str()).await?;
        let url = format!(
            "{}/{name}",
            admin
                .rsplit_once('/')
                .map(|(base, _)| base)
                .unwrap_or(&admin)
        );
        let result = bench("PostgreSQL", url).await;
        sqlx::Executor::execute(
            &mut conn,
            format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#).as_str(),
        )
        .await?;
        result?;
    }
    Ok(())
}
