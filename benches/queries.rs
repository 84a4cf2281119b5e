//! Query benchmarks on a generated tenant: `cargo bench --no-default-features --features ssr`.
//! Fills a fresh SQLite file (and PostgreSQL when `TEST_POSTGRES_URL` is set) with
//! BENCH_CONTACTS contacts (default 100,000), a pipeline of 20,000 open and 100,000 closed deals
//! (scaled with the contacts) and one activity per contact, then reports the median and 95th
//! percentile of the operations a rep does all day. The board's reads are printed beside the
//! bare SQL statements they run (the floor), with the ratio.

use chrono::{DateTime, Utc};
use crm::{
    audit::ClientInfo,
    auth::{actor::load_actor, session::SessionAuth},
    config::{DatabaseSettings, DemoSettings, Settings},
    contacts::{service::list_contacts, ContactFilter},
    db::Db,
    deals::{
        board_filter::BoardFilter,
        board_service::{list_board, list_board_column},
        service::move_deal,
        DealMove,
    },
    on_db,
    pipelines::service::list_pipelines,
    tenancy::{
        demo::{seed_demo_tenant, SeedOutcome, DEMO_SLUG},
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

/// An operation beside its floor: the bare SQL it runs, timed in the same run.
fn beside_floor(name: &str, samples: Vec<Duration>, floor: Vec<Duration>) {
    let p95 = |mut s: Vec<Duration>| {
        s.sort();
        s[(s.len() * 95 / 100).min(s.len() - 1)]
    };
    let (ours, bare) = (p95(samples.clone()), p95(floor.clone()));
    summary(name, samples);
    summary("  its bare SQL", floor);
    println!(
        "  {:<44} p95 ratio {:.2}x",
        "",
        ms(ours) / ms(bare).max(0.001)
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
        .unwrap_or(100_000);
    let db = Db::connect_and_migrate(&DatabaseSettings {
        url,
        ..Settings::default().database
    })
    .await?;
    let sizes = Sizes {
        companies: contacts / 10,
        contacts,
        // Deals fall in every stage, two in seven of them won or lost: 20k open of 28k.
        deals: contacts * 28 / 100,
        closed_deals: contacts * 92 / 100,
        activities: contacts,
        tasks: contacts / 5,
    };
    let demo = DemoSettings {
        seed: true,
        sample_data: false,
        ..Settings::default().demo
    };
    let tenant_id = match seed_demo_tenant(&db, &demo).await? {
        SeedOutcome::Created { tenant_id } => {
            let started = Instant::now();
            fill_tenant(&db, tenant_id, sizes, 7).await?;
            println!(
                "{label}: generated {sizes:?} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            tenant_id
        }
        // A kept database (BENCH_SQLITE_FILE, BENCH_POSTGRES_DB) filled by an earlier run, or by
        // `crm generate` with the same sizes and seed 7.
        SeedOutcome::AlreadyPresent => {
            let (tenant_id, deals): (i64, i64) = on_db!(&db, |pool| sqlx::query_as(
                "SELECT t.id, (SELECT COUNT(*) FROM deals d WHERE d.tenant_id = t.id)
                 FROM tenants t WHERE t.slug = $1"
            )
            .bind(DEMO_SLUG)
            .fetch_one(pool)
            .await?);
            println!("{label}: reusing the kept database: {deals} deals");
            tenant_id
        }
    };

    // A database in use has its statistics, and on PostgreSQL a visibility map (autovacuum):
    // without them index-only scans still read the table, and the planner guesses.
    match &db {
        Db::Sqlite(pool) => {
            sqlx::query("ANALYZE").execute(pool).await?;
        }
        Db::Postgres(pool) => {
            sqlx::query("VACUUM ANALYZE").execute(pool).await?;
        }
    }

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
    let everything = BoardFilter::default();
    let stages: Vec<(i64, bool)> = pipeline
        .stages
        .iter()
        .map(|s| (s.id, s.is_won || s.is_lost))
        .collect();
    let since = Utc::now() - chrono::Duration::days(30);
    beside_floor(
        "deals: board first load (pages, counts, totals)",
        time(50, |_| list_board(&db, &actor, pipeline.id, &everything)).await,
        time(50, |_| bare_board(&db, tenant_id, &stages, since)).await,
    );
    let board = list_board(&db, &actor, pipeline.id, &everything).await?;
    println!(
        "  (board: {} cards in the first load, counts {:?})",
        board.iter().map(|c| c.deals.len()).sum::<usize>(),
        board.iter().map(|c| c.count).collect::<Vec<_>>()
    );
    // The widest open column, and the widest won or lost one (its last 30 days).
    for closed in [false, true] {
        let widest = board
            .iter()
            .filter(|c| c.next_cursor.is_some())
            .filter(|c| stages.contains(&(c.stage_id, closed)))
            .max_by_key(|c| c.count)
            .ok_or_else(|| anyhow::anyhow!("no column with a second page"))?;
        let cursor = widest.next_cursor.clone().unwrap_or_default();
        let after = widest
            .deals
            .last()
            .map(|d| match d.closed_at.filter(|_| closed) {
                Some(at) => After::Closed(since, at, d.id),
                None => After::Position(d.position, d.id),
            })
            .ok_or_else(|| anyhow::anyhow!("an empty first page"))?;
        beside_floor(
            if closed {
                "deals: a won/lost column's next page"
            } else {
                "deals: an open column's next page"
            },
            // A page takes about a millisecond: enough samples for a steady 95th percentile.
            time(200, |_| {
                list_board_column(&db, &actor, widest.stage_id, &everything, &cursor)
            })
            .await,
            time(200, |_| bare_page(&db, tenant_id, widest.stage_id, after)).await,
        );
    }
    let searched = BoardFilter {
        q: "licences".into(),
        ..Default::default()
    };
    summary(
        "deals: board searched on the server",
        time(20, |_| list_board(&db, &actor, pipeline.id, &searched)).await,
    );
    let open: Vec<_> = board
        .iter()
        .flat_map(|c| c.deals.iter())
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

/// The deal columns every board card shows, as `deals/store.rs` selects them.
const CARD: &str = "SELECT d.id, d.pipeline_id, d.stage_id, s.name AS stage_name, d.title, d.amount_minor,
        d.currency, d.contact_id, c.name AS contact_name, c.phone AS contact_phone, d.company_id, co.name AS company_name,
        d.owner_id, u.name AS owner_name, d.expected_close_on, d.closed_at, d.position, d.version,
        d.stage_entered_at,
        (SELECT MIN(t.due_at) FROM tasks t
          WHERE t.tenant_id = d.tenant_id AND t.deal_id = d.id AND t.status = 'pending') AS next_task_due_at,
        d.created_at, d.updated_at
    FROM deals d
    JOIN pipeline_stages s ON s.id = d.stage_id
    LEFT JOIN contacts c ON c.id = d.contact_id
    LEFT JOIN companies co ON co.id = d.company_id
    LEFT JOIN users u ON u.id = d.owner_id
    WHERE d.tenant_id = $1 AND d.stage_id = $2 AND d.deleted_at IS NULL";

/// What the board's first load runs, without the service around it: the pipelines and their
/// stages, then for each column its totals and its first 51 cards.
async fn bare_board(
    db: &Db,
    tenant_id: i64,
    stages: &[(i64, bool)],
    since: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let open = format!("{CARD} ORDER BY d.position, d.id LIMIT 51");
    let closed =
        format!("{CARD} AND d.closed_at >= $3 ORDER BY d.closed_at DESC, d.id DESC LIMIT 51");
    let totals = "SELECT d.currency, COUNT(*), CAST(SUM(d.amount_minor) AS BIGINT) FROM deals d
        WHERE d.tenant_id = $1 AND d.stage_id = $2 AND d.deleted_at IS NULL";
    let totals_open =
        format!("{totals} AND d.closed_at IS NULL GROUP BY d.currency ORDER BY d.currency");
    let totals_closed =
        format!("{totals} AND d.closed_at >= $3 GROUP BY d.currency ORDER BY d.currency");
    Ok(on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let mut cards = sqlx::query("SELECT id, name, is_default FROM pipelines WHERE tenant_id = $1 ORDER BY sort_order, id")
            .bind(tenant_id)
            .fetch_all(&mut *conn)
            .await?
            .len();
        cards += sqlx::query(
            "SELECT id, pipeline_id, name, color, sort_order, probability, is_default, is_won, is_lost,
                requires_note, requires_followup_date FROM pipeline_stages WHERE tenant_id = $1
             ORDER BY pipeline_id, sort_order, id",
        )
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?
        .len();
        for &(stage_id, is_closed) in stages {
            let (sum, page) = if is_closed {
                (&totals_closed, &closed)
            } else {
                (&totals_open, &open)
            };
            let mut q = sqlx::query(sum).bind(tenant_id).bind(stage_id);
            if is_closed {
                q = q.bind(since);
            }
            cards += q.fetch_all(&mut *conn).await?.len();
            let mut q = sqlx::query(page).bind(tenant_id).bind(stage_id);
            if is_closed {
                q = q.bind(since);
            }
            cards += q.fetch_all(&mut *conn).await?.len();
        }
        cards
    }))
}

/// Where a bare page starts: after this card of an open column, or of a won/lost column
/// within its window (since, closed_at, id).
#[derive(Clone, Copy)]
enum After {
    Position(i32, i64),
    Closed(DateTime<Utc>, DateTime<Utc>, i64),
}

/// What a column's next page runs: the stage, then 51 cards after the last one shown.
async fn bare_page(db: &Db, tenant_id: i64, stage_id: i64, after: After) -> anyhow::Result<usize> {
    let open =
        format!("{CARD} AND (d.position, d.id) > ($3, $4) ORDER BY d.position, d.id LIMIT 51");
    let closed = format!(
        "{CARD} AND d.closed_at >= $3 AND (d.closed_at, d.id) < ($4, $5)
         ORDER BY d.closed_at DESC, d.id DESC LIMIT 51"
    );
    Ok(on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        sqlx::query(
            "SELECT id, pipeline_id, name, color, sort_order, probability, is_default, is_won, is_lost,
                requires_note, requires_followup_date FROM pipeline_stages WHERE id = $1 AND tenant_id = $2",
        )
        .bind(stage_id)
        .bind(tenant_id)
        .fetch_optional(&mut *conn)
        .await?;
        let page = match after {
            After::Position(position, id) => sqlx::query(&open)
                .bind(tenant_id)
                .bind(stage_id)
                .bind(position)
                .bind(id),
            After::Closed(since, at, id) => sqlx::query(&closed)
                .bind(tenant_id)
                .bind(stage_id)
                .bind(since)
                .bind(at)
                .bind(id),
        };
        page.fetch_all(&mut *conn).await?.len()
    }))
}

/// Runs on fresh data, generated for this run and dropped after it; `BENCH_SQLITE_FILE` (a file
/// path) and `BENCH_POSTGRES_DB` (a database name) keep the data instead, generated on the first
/// run and reused by the next ones.
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = std::env::var("BENCH_SQLITE_FILE")
        .unwrap_or_else(|_| dir.path().join("bench.db").display().to_string());
    bench("SQLite", format!("sqlite://{sqlite}?mode=rwc")).await?;
    if let Ok(admin) = std::env::var("TEST_POSTGRES_URL") {
        let kept = std::env::var("BENCH_POSTGRES_DB").ok();
        let name = kept
            .clone()
            .unwrap_or_else(|| format!("crm_bench_{}", std::process::id()));
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(&name)
                .fetch_one(&mut conn)
                .await?;
        if !exists {
            sqlx::Executor::execute(&mut conn, format!(r#"CREATE DATABASE "{name}""#).as_str())
                .await?;
        }
        let url = format!(
            "{}/{name}",
            admin
                .rsplit_once('/')
                .map(|(base, _)| base)
                .unwrap_or(&admin)
        );
        let result = bench("PostgreSQL", url).await;
        if kept.is_none() {
            sqlx::Executor::execute(
                &mut conn,
                format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#).as_str(),
            )
            .await?;
        }
        result?;
    }
    Ok(())
}
