//! Two server instances on one PostgreSQL database: an event raised through one reaches a
//! stream open on the other, and a schedule that both see due runs once.

use super::Stream;
use crate::harness::{registered_admin, spawn_app_with, test_settings, TestApp, TestDatabase};
use chrono::{Duration, Utc};
use crm::{db::Backend, on_db};

async fn instance(database: TestDatabase) -> TestApp {
    let mut settings = test_settings(database.url.clone());
    settings.jobs.poll_seconds = 1;
    spawn_app_with(settings, database).await
}

#[tokio::test]
async fn an_event_through_one_instance_reaches_the_other_and_a_schedule_runs_once() {
    crate::harness::time_limited(async {
        let database = TestDatabase::create(Backend::Postgres).await;
        let second_db = database.shared();
        let first = instance(database).await;
        let second = instance(second_db).await;
        // Sessions live in the database: the one browser is signed in on both instances.
        let admin = registered_admin(&first, "Alpha", "ada@alpha.example").await;
        let mut on_second = Stream::open(&second, &admin, None).await;
        let (status, deal) = first
            .call_nested(&admin, "/api/deals/create", "form", &[("title", "Across")])
            .await;
        assert_eq!(status, 200, "{deal}");
        let event = on_second.next().await.expect("an event");
        assert_eq!(
            (event.event.as_str(), &event.data["entity_id"]),
            ("deal", &deal["id"])
        );

        // A schedule due now, seen by both instances' schedulers: one job for its occurrence.
        let schedule: i64 = on_db!(&first.db, |pool| sqlx::query_scalar(
            "INSERT INTO job_schedules (name, kind, cron, timezone, next_run_at, created_at, updated_at)
             VALUES ('test.both', 'jobs.prune', '0 4 * * *', 'UTC', $1, $1, $1) RETURNING id"
        )
        .bind(Utc::now() - Duration::seconds(1))
        .fetch_one(pool)
        .await
        .expect("schedule"));
        let pattern = format!("schedule:{schedule}:%");
        let count = |status: &'static str| {
            let (db, pattern) = (first.db.clone(), pattern.clone());
            async move {
                let n: i64 = on_db!(&db, |pool| sqlx::query_scalar(
                    "SELECT COUNT(*) FROM jobs WHERE dedup_key LIKE $1 AND status = $2"
                )
                .bind(&pattern)
                .bind(status)
                .fetch_one(pool)
                .await
                .expect("count"));
                n
            }
        };
        // Each instance's scheduler ticks every second; a job that never runs is left to the
        // test's time limit.
        while count("succeeded").await == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let all: i64 = on_db!(&first.db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE dedup_key LIKE $1"
        )
        .bind(&pattern)
        .fetch_one(pool)
        .await
        .expect("count"));
        assert_eq!(all, 1, "one occurrence, one job");
        second.stop().await.expect("second stopped");
        first.stop().await.expect("first stopped");
    })
    .await
}
