//! The reminder jobs with the clock given (the app runs no workers, so only the test runs them):
//! a follow-up due within 15 minutes tells its assignee once per due time, and the morning digest
//! comes at 08:00 in each user's own timezone, also on the day the clocks change.

use super::{inbox, user_id};
use crate::harness::{registered_admin, TestApp};
use chrono::{DateTime, Duration, SubsecRound, TimeZone, Utc};
use crm::{
    jobs::{clock::ManualClock, queue::Queue, schedule::tick},
    notifications::reminders::{digest, remind_due, schedule_digests},
    on_db,
};
use serde_json::Value;
use std::sync::Arc;

fn no_workers(settings: &mut crm::config::Settings) {
    settings.jobs.workers = 0;
}

async fn task_for(
    app: &TestApp,
    client: &reqwest::Client,
    title: &str,
    due: DateTime<Utc>,
    assignee: i64,
) -> Value {
    let (due, assignee) = (due.to_rfc3339(), assignee.to_string());
    let (status, task) = app
        .call_nested(
            client,
            "/api/tasks/create",
            "form",
            &[
                ("title", title),
                ("due_at", &due),
                ("assignee_id", &assignee),
            ],
        )
        .await;
    assert_eq!(status, 200, "{task}");
    task
}

/// The titles of the user's notifications of one kind, newest first.
async fn told(app: &TestApp, client: &reqwest::Client, kind: &str) -> Vec<String> {
    inbox(app, client).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == kind)
        .map(|n| n["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("time")
}

db_test!(
    a_follow_up_due_within_15_minutes_tells_its_assignee_once,
    settings = no_workers,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let agent = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        let nils = user_id(&app, &agent).await;
        let now = Utc::now().trunc_subsecs(0);
        let soon = task_for(&app, &admin, "Soon", now + Duration::minutes(10), nils).await;
        task_for(&app, &admin, "Later", now + Duration::minutes(20), nils).await;
        task_for(&app, &admin, "Past", now - Duration::minutes(5), nils).await;
        let done = task_for(&app, &admin, "Done", now + Duration::minutes(5), nils).await;
        let (status, _) = app
            .call(
                &admin,
                "/api/tasks/set_status",
                &[("id", &done["id"].to_string()), ("status", "completed")],
            )
            .await;
        assert_eq!(status, 200);

        assert_eq!(remind_due(&app.db, now).await.expect("remind"), 1);
        assert_eq!(
            told(&app, &agent, "task_due").await,
            ["“Soon” is due in 10 min"]
        );
        assert_eq!(
            remind_due(&app.db, now + Duration::minutes(1))
                .await
                .expect("remind"),
            0,
            "once per task and due time"
        );

        // Rescheduled, it is announced again for its new time; six minutes on, "Later" is near.
        let (status, body) = app
            .call(
                &admin,
                "/api/tasks/update",
                &[
                    ("id", &soon["id"].to_string()),
                    ("form[title]", "Soon"),
                    ("form[due_at]", &(now + Duration::minutes(12)).to_rfc3339()),
                    ("form[assignee_id]", &nils.to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let later = now + Duration::minutes(6);
        assert_eq!(remind_due(&app.db, later).await.expect("remind"), 2);
        assert_eq!(
            told(&app, &agent, "task_due").await,
            [
                "“Later” is due in 14 min",
                "“Soon” is due in 6 min",
                "“Soon” is due in 10 min"
            ]
        );
        assert!(told(&app, &admin, "task_due").await.is_empty());
    }
);

db_test!(
    the_morning_digest_comes_at_08_00_in_each_users_timezone_across_a_dst_change,
    settings = no_workers,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let agent = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        let (ada, nils) = (user_id(&app, &admin).await, user_id(&app, &agent).await);
        on_db!(&app.db, |pool| {
            for (id, zone) in [(ada, "Europe/Berlin"), (nils, "America/New_York")] {
                sqlx::query("UPDATE users SET timezone = $1 WHERE id = $2")
                    .bind(zone)
                    .bind(id)
                    .execute(pool)
                    .await
                    .expect("timezone");
            }
        });
        // Berlin moves to summer time at 02:00 on 28 March 2027: 08:00 is 06:00 UTC that day,
        // 07:00 UTC the day before. New York is on summer time already (UTC-4).
        task_for(&app, &admin, "Overdue call", utc(2027, 3, 27, 9, 0), ada).await;
        task_for(&app, &admin, "Today's offer", utc(2027, 3, 28, 15, 0), ada).await;
        task_for(&app, &admin, "Tomorrow", utc(2027, 3, 29, 10, 0), ada).await;
        task_for(&app, &admin, "Demo prep", utc(2027, 3, 28, 20, 0), nils).await;

        let before = utc(2027, 3, 27, 13, 0);
        schedule_digests(&app.db, before).await.expect("schedules");
        let next_run = |user: i64| {
            let db = app.db.clone();
            async move {
                let name = format!("notifications.digest:{user}");
                on_db!(&db, |pool| sqlx::query_as::<_, (i64, DateTime<Utc>)>(
                    "SELECT id, next_run_at FROM job_schedules WHERE name = $1"
                )
                .bind(&name)
                .fetch_one(pool)
                .await
                .expect("schedule"))
            }
        };
        let (ada_schedule, ada_next) = next_run(ada).await;
        let (nils_schedule, nils_next) = next_run(nils).await;
        assert_eq!(ada_next, utc(2027, 3, 28, 6, 0), "08:00 CEST");
        assert_eq!(nils_next, utc(2027, 3, 28, 12, 0), "08:00 EDT");

        // The scheduler at 06:00 UTC enqueues Ada's digest and not Nils's.
        let clock = ManualClock::at(utc(2027, 3, 28, 6, 0));
        let queue = Queue::with_clock(app.db.clone(), Arc::new(clock.clone()));
        let schedules_of = |ids: Vec<i64>| {
            let db = app.db.clone();
            async move {
                let mut keys = Vec::new();
                for id in ids {
                    let key: String = on_db!(&db, |pool| sqlx::query_scalar(
                        "SELECT dedup_key FROM jobs WHERE id = $1"
                    )
                    .bind(id)
                    .fetch_one(pool)
                    .await
                    .expect("job"));
                    keys.push(key);
                }
                keys
            }
        };
        let keys = schedules_of(tick(&queue).await.expect("tick")).await;
        let enqueued_for = |schedule: i64| {
            keys.iter()
                .any(|k| k.starts_with(&format!("schedule:{schedule}:")))
        };
        assert!(enqueued_for(ada_schedule), "{keys:?}");
        assert!(!enqueued_for(nils_schedule), "{keys:?}");
        assert_eq!(next_run(ada).await.1, utc(2027, 3, 29, 6, 0));

        // What the job writes: today's and overdue follow-ups, once a day.
        let at_eight = utc(2027, 3, 28, 6, 0);
        assert!(digest(&app.db, ada, at_eight).await.expect("digest"));
        assert!(!digest(&app.db, ada, at_eight + Duration::minutes(5))
            .await
            .expect("digest"));
        let (_, mine) = app.call(&admin, "/api/notifications/inbox", &[]).await;
        let digests: Vec<&Value> = mine["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|n| n["kind"] == "daily_digest")
            .collect();
        assert_eq!(digests.len(), 1, "{mine}");
        assert_eq!(digests[0]["title"], "2 follow-ups due today (1 overdue)");
        assert_eq!(digests[0]["body"], "Overdue call\nToday's offer");

        clock.set(utc(2027, 3, 28, 12, 0));
        let keys = schedules_of(tick(&queue).await.expect("tick")).await;
        assert!(
            keys.iter()
                .any(|k| k.starts_with(&format!("schedule:{nils_schedule}:"))),
            "{keys:?}"
        );
        assert!(digest(&app.db, nils, utc(2027, 3, 28, 12, 0))
            .await
            .expect("digest"));
        assert_eq!(
            told(&app, &agent, "daily_digest").await,
            ["1 follow-up due today"]
        );
    }
);
