//! Live events: `cargo bench --no-default-features --features ssr --bench events`.
//! Throughput: 1,000 SSE clients on one instance, a burst of notifications committed one
//! transaction each, timed until every client has every event (beside the floor: the same
//! transactions with nobody listening). Latency: on PostgreSQL (`TEST_POSTGRES_URL`), from the
//! start of a transaction that commits an event through one instance's database handle to its
//! arrival at a client of a second instance, p95 over sequential events (beside the floor: a
//! bare NOTIFY → LISTEN round trip).

use chrono::Utc;
use crm::{
    config::Settings,
    db::{BeginWrite, Db},
    events::service::notified,
    on_db,
    server::Application,
};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const CLIENTS: usize = 1000;
const BURST: usize = 200;
const SEQUENTIAL: usize = 200;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn p95(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    (
        samples[samples.len() / 2],
        samples[(samples.len() * 95 / 100).min(samples.len() - 1)],
    )
}

struct Instance {
    url: String,
    db: Db,
    stop: tokio::sync::oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(database_url: &str) -> anyhow::Result<Instance> {
    let mut settings = Settings::default();
    settings.server.address = ([127, 0, 0, 1], 0).into();
    settings.server.shutdown_grace_seconds = 2;
    settings.database.url = database_url.to_string();
    settings.database.max_connections = 20;
    settings.demo.seed = false;
    settings.jobs.workers = 0;
    let app = Application::build(settings).await?;
    let url = format!("http://{}", app.address());
    let db = app.db().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    Ok(Instance {
        url,
        db,
        stop,
        done,
    })
}

/// Registers a company on `instance` and answers a browser signed in as its admin, with the
/// tenant and user ids.
async fn admin(instance: &Instance, email: &str) -> anyhow::Result<(reqwest::Client, i64, i64)> {
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(CLIENTS + 10)
        .build()?;
    let response = browser
        .post(format!("{}/api/auth/register", instance.url))
        .header("Origin", &instance.url)
        .header("Accept", "application/json")
        .form(&[
            ("company_name", "Bench"),
            ("admin_name", "Bea Bench"),
            ("email", email),
            ("password", "a strong password"),
        ])
        .send()
        .await?;
    anyhow::ensure!(response.status() == 200, "register: {}", response.status());
    let me: serde_json::Value = browser
        .post(format!("{}/api/auth/current_user", instance.url))
        .header("Origin", &instance.url)
        .header("Accept", "application/json")
        .send()
        .await?
        .json()
        .await?;
    let Some(user) = me["user_id"].as_i64() else {
        anyhow::bail!("current_user: {me}");
    };
    let tenant: i64 = on_db!(&instance.db, |pool| sqlx::query_scalar(
        "SELECT tenant_id FROM users WHERE id = $1"
    )
    .bind(user)
    .fetch_one(pool)
    .await?);
    Ok((browser, tenant, user))
}

/// Opens an SSE stream and sends the arrival time of every `notification` event.
async fn listen(
    browser: &reqwest::Client,
    url: &str,
    arrived: mpsc::UnboundedSender<Instant>,
) -> anyhow::Result<()> {
    let mut response = browser.get(format!("{url}/events")).send().await?;
    anyhow::ensure!(response.status() == 200, "events: {}", response.status());
    tokio::spawn(async move {
        let mut buffer = String::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                if block.contains("event: notification") && arrived.send(Instant::now()).is_err() {
                    return;
                }
            }
        }
    });
    Ok(())
}

/// One committed event: the user's notification event, in its own transaction.
async fn commit_event(db: &Db, tenant: i64, user: i64) -> anyhow::Result<()> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        notified(&mut *tx, tenant, user, Utc::now()).await?;
        tx.commit().await?;
    });
    Ok(())
}

async fn throughput(label: &str, database_url: &str) -> anyhow::Result<()> {
    let instance = start(database_url).await?;
    let (browser, tenant, user) = admin(&instance, "throughput@bench.example").await?;

    // The floor: the same commits with no stream open.
    let started = Instant::now();
    for _ in 0..BURST {
        commit_event(&instance.db, tenant, user).await?;
    }
    let floor = started.elapsed();

    let (sender, mut arrivals) = mpsc::unbounded_channel();
    for _ in 0..CLIENTS {
        listen(&browser, &instance.url, sender.clone()).await?;
    }
    drop(sender);
    let started = Instant::now();
    for _ in 0..BURST {
        commit_event(&instance.db, tenant, user).await?;
    }
    let committed = started.elapsed();
    let mut received = 0;
    let mut last = started;
    while received < CLIENTS * BURST {
        match tokio::time::timeout(Duration::from_secs(30), arrivals.recv()).await {
            Ok(Some(at)) => {
                received += 1;
                last = last.max(at);
            }
            _ => break,
        }
    }
    let delivered = last - started;
    println!("{label}: {CLIENTS} SSE clients on one instance, {BURST} events committed one by one");
    println!(
        "  every client has every event after {:>8.1} ms   ({received} of {} deliveries; {:.0} events/s, {:.0} deliveries/s)",
        ms(delivered),
        CLIENTS * BURST,
        BURST as f64 / delivered.as_secs_f64(),
        received as f64 / delivered.as_secs_f64()
    );
    println!(
        "  its commits took                     {:>8.1} ms; floor, the same commits with no client: {:>8.1} ms ({:.2}x)",
        ms(committed),
        ms(floor),
        ms(delivered) / ms(floor).max(0.001)
    );
    let _ = instance.stop.send(());
    let _ = instance.done.await;
    Ok(())
}

async fn latency_across_instances(database_url: &str) -> anyhow::Result<()> {
    let first = start(database_url).await?;
    let second = start(database_url).await?;
    let (browser, tenant, user) = admin(&first, "latency@bench.example").await?;
    let (sender, mut arrivals) = mpsc::unbounded_channel();
    listen(&browser, &second.url, sender).await?;
    // Let the stream settle before timing.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut samples = Vec::with_capacity(SEQUENTIAL);
    for _ in 0..SEQUENTIAL {
        // From the start of the writing transaction: NOTIFY is delivered at commit, which can
        // reach the listener before the committing call has returned.
        let started = Instant::now();
        commit_event(&first.db, tenant, user).await?;
        let Ok(Some(at)) = tokio::time::timeout(Duration::from_secs(10), arrivals.recv()).await
        else {
            anyhow::bail!("an event did not arrive at the second instance");
        };
        samples.push(at - started);
    }

    // The floor: NOTIFY on one connection, received by a LISTEN connection.
    let Db::Postgres(pool) = &first.db else {
        anyhow::bail!("PostgreSQL expected");
    };
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen("bench_floor").await?;
    let mut floor = Vec::with_capacity(SEQUENTIAL);
    for _ in 0..SEQUENTIAL {
        let sent = Instant::now();
        sqlx::query("SELECT pg_notify('bench_floor', '1')")
            .execute(pool)
            .await?;
        listener.recv().await?;
        floor.push(sent.elapsed());
    }
    let ((median, p95_ours), (floor_median, floor_p95)) = (p95(samples), p95(floor));
    println!("PostgreSQL: commit on instance 1 → SSE client of instance 2, {SEQUENTIAL} events one at a time");
    println!(
        "  write → client            median {:>7.2} ms   p95 {:>7.2} ms",
        ms(median),
        ms(p95_ours)
    );
    println!(
        "  floor, bare NOTIFY→LISTEN  median {:>7.2} ms   p95 {:>7.2} ms   (p95 ratio {:.2}x)",
        ms(floor_median),
        ms(floor_p95),
        ms(p95_ours) / ms(floor_p95).max(0.001)
    );
    for instance in [second, first] {
        let _ = instance.stop.send(());
        let _ = instance.done.await;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("events.db").display()
    );
    throughput("SQLite", &sqlite).await?;
    if let Ok(admin) = std::env::var("TEST_POSTGRES_URL") {
        let name = format!("crm_events_bench_{}", std::process::id());
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await?;
        sqlx::Executor::execute(&mut conn, format!(r#"CREATE DATABASE "{name}""#).as_str()).await?;
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        let url = format!("{base}/{name}");
        let result = async {
            throughput("PostgreSQL", &url).await?;
            latency_across_instances(&url).await
        }
        .await;
        sqlx::Executor::execute(
            &mut conn,
            format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#).as_str(),
        )
        .await?;
        result?;
    }
    Ok(())
}
