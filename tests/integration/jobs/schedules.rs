//! Schedules read in a timezone, and each occurrence enqueued once across instances.

use super::*;
use crm::jobs::schedule::{ensure_schedule, next_occurrence, tick, ScheduleError, ScheduleSpec};
use crm::jobs::schedule_store::ScheduleStore;

fn nightly(tenant_id: Option<i64>) -> ScheduleSpec {
    ScheduleSpec {
        name: "test.nightly".into(),
        tenant_id,
        kind: "test.ok".into(),
        payload: serde_json::json!({ "what": "nightly" }),
        cron: "0 1 * * *".into(),
        timezone: "Europe/Berlin".into(),
    }
}

#[test]
fn occurrences_follow_the_timezone_across_both_dst_changes() {
    // 01:00 in Berlin is 00:00 UTC in winter and 23:00 UTC the day before in summer.
    let before_spring = at(2026, 3, 28, 12, 0, 0);
    assert_eq!(
        next_occurrence("0 1 * * *", "Europe/Berlin", before_spring),
        Ok(at(2026, 3, 29, 0, 0, 0))
    );
    assert_eq!(
        next_occurrence("0 1 * * *", "Europe/Berlin", at(2026, 3, 29, 0, 0, 0)),
        Ok(at(2026, 3, 29, 23, 0, 0))
    );
    // 02:30 does not exist on 29 March 2026 in Berlin: it runs once, just after the gap.
    let skipped = next_occurrence("30 2 * * *", "Europe/Berlin", before_spring).expect("next");
    assert_eq!(skipped, at(2026, 3, 29, 1, 0, 0));
    // 02:30 happens twice on 25 October 2026: it runs once.
    let first =
        next_occurrence("30 2 * * *", "Europe/Berlin", at(2026, 10, 24, 12, 0, 0)).expect("next");
    assert_eq!(first, at(2026, 10, 25, 0, 30, 0));
    let second = next_occurrence("30 2 * * *", "Europe/Berlin", first).expect("next");
    assert_eq!(second, at(2026, 10, 26, 1, 30, 0));
    // 08:00 in New York (UTC-5 in December).
    assert_eq!(
        next_occurrence("0 8 * * *", "America/New_York", at(2026, 12, 7, 12, 0, 0)),
        Ok(at(2026, 12, 7, 13, 0, 0))
    );
}

#[test]
fn a_bad_cron_or_timezone_names_its_field() {
    let now = at(2026, 12, 7, 12, 0, 0);
    let cron = next_occurrence("every day", "Europe/Berlin", now).expect_err("bad cron");
    assert!(matches!(cron, ScheduleError::Cron(..)));
    assert!(
        cron.to_string()
            .starts_with("cron: 'every day' is not a five-field cron expression"),
        "{cron}"
    );
    let zone = next_occurrence("0 1 * * *", "Mars/Olympus", now).expect_err("bad zone");
    assert_eq!(
        zone.to_string(),
        "timezone: 'Mars/Olympus' is not an IANA timezone name (e.g. Europe/Berlin)"
    );
}

queue_test!(
    two_instances_enqueue_each_occurrence_once,
    |database, db| {
        let start = at(2026, 3, 28, 12, 0, 0);
        let (one, clock_one) = queue_at(&db, start);
        // The second instance: its own pool on the same database, its own clock.
        let other_db = connect(&database.url).await;
        let (two, clock_two) = queue_at(&other_db, start);
        ensure_schedule(&db, &nightly(None), start)
            .await
            .expect("schedule");
        ensure_schedule(&other_db, &nightly(None), start)
            .await
            .expect("same schedule, declared by both");

        let schedules = on_db!(&db, |pool| pool
            .acquire()
            .await
            .expect("conn")
            .schedules()
            .await
            .expect("list"));
        assert_eq!(schedules.len(), 1);
        assert_eq!(schedules[0].next_run_at, at(2026, 3, 29, 0, 0, 0));

        assert_eq!(
            tick(&one).await.expect("tick"),
            Vec::<i64>::new(),
            "not due yet"
        );
        let mut enqueued = Vec::new();
        for now in [
            at(2026, 3, 29, 0, 0, 5),
            at(2026, 3, 29, 23, 0, 1),
            at(2026, 3, 30, 23, 0, 0),
        ] {
            clock_one.set(now);
            clock_two.set(now);
            for _ in 0..3 {
                let (a, b) = tokio::join!(tick(&one), tick(&two));
                enqueued.extend(a.expect("tick one"));
                enqueued.extend(b.expect("tick two"));
            }
        }
        assert_eq!(
            enqueued.len(),
            3,
            "one job per occurrence, across both instances: {enqueued:?}"
        );
        let mut run_ats = Vec::new();
        for id in &enqueued {
            let j = job(&db, *id).await;
            assert_eq!(j.kind, "test.ok");
            run_ats.push(j.run_at);
        }
        run_ats.sort();
        assert_eq!(
            run_ats,
            [
                at(2026, 3, 29, 0, 0, 0),
                at(2026, 3, 29, 23, 0, 0),
                at(2026, 3, 30, 23, 0, 0)
            ]
        );
        other_db.close().await;
    }
);

queue_test!(
    changing_a_schedules_cron_moves_its_next_run_and_missed_runs_are_not_made_up,
    |db| {
        let start = at(2026, 12, 1, 12, 0, 0);
        let (queue, clock) = queue_at(&db, start);
        ensure_schedule(&db, &nightly(None), start)
            .await
            .expect("schedule");
        let mut later = nightly(None);
        later.cron = "0 6 * * *".into();
        ensure_schedule(&db, &later, start).await.expect("changed");
        let schedules = on_db!(&db, |pool| pool
            .acquire()
            .await
            .expect("conn")
            .schedules()
            .await
            .expect("list"));
        assert_eq!(schedules[0].next_run_at, at(2026, 12, 2, 5, 0, 0));

        // No instance ran for five days: one late run, then the next occurrence from now.
        clock.set(at(2026, 12, 7, 9, 0, 0));
        assert_eq!(tick(&queue).await.expect("tick").len(), 1);
        assert_eq!(tick(&queue).await.expect("tick").len(), 0);
        let schedules = on_db!(&db, |pool| pool
            .acquire()
            .await
            .expect("conn")
            .schedules()
            .await
            .expect("list"));
        assert_eq!(schedules[0].next_run_at, at(2026, 12, 8, 5, 0, 0));
    }
);
