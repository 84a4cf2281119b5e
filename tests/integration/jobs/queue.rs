//! Claims, leases, retries and parking.

use super::*;
use chrono::Duration;
use crm::jobs::{
    registry::Registry,
    store::JobStore,
    worker::{Worker, WorkerSettings},
    JobStatus, NewJob, Outcome,
};
use std::{collections::HashMap, sync::Mutex, time::Duration as StdDuration};

fn worker(queue: &Queue, registry: Registry) -> Worker {
    Worker {
        queue: queue.clone(),
        registry: Arc::new(registry),
        settings: WorkerSettings {
            lease: StdDuration::from_secs(30),
            poll: StdDuration::from_millis(50),
            retry_base: StdDuration::from_secs(10),
        },
    }
}

fn succeeding() -> Registry {
    Registry::new().on("test.ok", |_| async { Ok(()) })
}

queue_test!(four_workers_run_each_of_a_hundred_jobs_exactly_once, |db| {
    let queue = Queue::new(db.clone());
    for i in 0..100 {
        let job = NewJob::new("test.count", Utc::now()).with_payload(serde_json::json!({ "i": i }));
        queue
            .enqueue(&job)
            .await
            .expect("enqueue")
            .expect("new job");
    }
    let runs: Arc<Mutex<HashMap<i64, u32>>> = Arc::default();
    let seen = runs.clone();
    let registry = Registry::new().on("test.count", move |ctx| {
        let seen = seen.clone();
        async move {
            *seen.lock().expect("lock").entry(ctx.job.id).or_default() += 1;
            // Long enough for the other workers to try to claim while this one holds the job.
            tokio::time::sleep(StdDuration::from_millis(2)).await;
            Ok(())
        }
    });
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let workers = worker(&queue, registry).spawn(4, &stop);
    loop {
        let done = on_db!(&db, |pool| pool
            .acquire()
            .await
            .expect("conn")
            .job_counts(None)
            .await
            .expect("counts"));
        if done == vec![("succeeded".to_string(), 100)] {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    stop_tx.send(true).expect("stop");
    for w in workers {
        w.await.expect("worker ended cleanly");
    }
    let runs = runs.lock().expect("lock");
    assert_eq!(runs.len(), 100, "every job ran");
    assert!(runs.values().all(|&n| n == 1), "no job ran twice: {runs:?}");
});

queue_test!(
    a_job_is_taken_over_after_its_lease_and_the_old_worker_cannot_complete_it,
    |db| {
        let t0 = at(2026, 12, 7, 9, 0, 0);
        let (queue, clock) = queue_at(&db, t0);
        let id = queue
            .enqueue(&NewJob::new("test.ok", t0))
            .await
            .expect("enqueue")
            .expect("id");
        let (a, b) = (worker(&queue, succeeding()), worker(&queue, succeeding()));

        let held_by_a = a.claim().await.expect("claim").expect("due job");
        assert_eq!((held_by_a.id, held_by_a.attempts), (id, 1));
        clock.advance(Duration::seconds(29));
        assert_eq!(
            b.claim().await.expect("claim"),
            None,
            "the lease still holds"
        );

        clock.advance(Duration::seconds(2));
        let held_by_b = b.claim().await.expect("claim").expect("taken over");
        assert_eq!((held_by_b.id, held_by_b.attempts), (id, 2));
        assert_ne!(held_by_b.lease_token, held_by_a.lease_token);

        assert_eq!(a.run(held_by_a).await.expect("run"), Outcome::LostLease);
        assert_eq!(
            job(&db, id).await.status,
            JobStatus::Running,
            "A wrote nothing"
        );
        assert_eq!(b.run(held_by_b).await.expect("run"), Outcome::Succeeded);
        let done = job(&db, id).await;
        assert_eq!((done.status, done.attempts), (JobStatus::Succeeded, 2));
        assert_eq!(done.finished_at, Some(clock_now(&queue)));
    }
);

fn clock_now(queue: &Queue) -> DateTime<Utc> {
    queue.clock.now()
}

queue_test!(
    a_failing_job_is_retried_with_backoff_then_parked_with_its_last_error,
    |db| {
        let t0 = at(2026, 12, 7, 9, 0, 0);
        let (queue, clock) = queue_at(&db, t0);
        let failing = Registry::new().on("test.fail", |ctx| async move {
            anyhow::bail!("boom on attempt {}", ctx.job.attempts)
        });
        let w = worker(&queue, failing);
        let id = queue
            .enqueue(&NewJob::new("test.fail", t0).max_attempts(3))
            .await
            .expect("enqueue")
            .expect("id");

        let (_, first) = w.run_next().await.expect("run").expect("due");
        assert_eq!(
            first,
            Outcome::Retrying {
                retry_at: t0 + Duration::seconds(10)
            }
        );
        assert_eq!(
            w.run_next().await.expect("run"),
            None,
            "not due before its backoff"
        );
        clock.advance(Duration::seconds(10));
        let (_, second) = w.run_next().await.expect("run").expect("due");
        assert_eq!(
            second,
            Outcome::Retrying {
                retry_at: t0 + Duration::seconds(30)
            },
            "doubled"
        );
        let retrying = job(&db, id).await;
        assert_eq!(retrying.status, JobStatus::Queued);
        assert_eq!(retrying.last_error.as_deref(), Some("boom on attempt 2"));

        clock.advance(Duration::seconds(20));
        let (_, third) = w.run_next().await.expect("run").expect("due");
        assert_eq!(third, Outcome::Parked);
        let parked = job(&db, id).await;
        assert_eq!((parked.status, parked.attempts), (JobStatus::Failed, 3));
        assert_eq!(parked.last_error.as_deref(), Some("boom on attempt 3"));
        clock.advance(Duration::days(1));
        assert_eq!(
            w.run_next().await.expect("run"),
            None,
            "parked jobs are not claimed"
        );

        // An admin's retry starts it over with fresh attempts.
        let requeued = on_db!(&db, |pool| pool
            .acquire()
            .await
            .expect("conn")
            .requeue_failed(None, id, clock.now())
            .await
            .expect("requeue"));
        assert!(requeued);
        let (again, _) = w.run_next().await.expect("run").expect("due again");
        assert_eq!(again.attempts, 1);
    }
);

queue_test!(
    a_panicking_handler_and_an_unknown_kind_are_parked_not_lost,
    |db| {
        let t0 = at(2026, 12, 7, 9, 0, 0);
        let (queue, _clock) = queue_at(&db, t0);
        let panicking = Registry::new().on("test.panic", |_| async { panic!("kaboom") });
        let w = worker(&queue, panicking);
        let panics = queue
            .enqueue(&NewJob::new("test.panic", t0).max_attempts(1))
            .await
            .expect("enqueue")
            .expect("id");
        let unknown = queue
            .enqueue(&NewJob::new("test.from_the_future", t0))
            .await
            .expect("enqueue")
            .expect("id");

        assert_eq!(
            w.run_next().await.expect("run").map(|(_, o)| o),
            Some(Outcome::Parked)
        );
        assert_eq!(
            w.run_next().await.expect("run").map(|(_, o)| o),
            Some(Outcome::Parked)
        );
        let panicked = job(&db, panics).await;
        assert_eq!(panicked.status, JobStatus::Failed);
        assert_eq!(
            panicked.last_error.as_deref(),
            Some("the handler panicked: kaboom")
        );
        let unknown = job(&db, unknown).await;
        assert_eq!(
            unknown.status,
            JobStatus::Failed,
            "parked at once, not retried"
        );
        assert_eq!(unknown.attempts, 1);
        assert_eq!(
            unknown.last_error.as_deref(),
            Some("no handler for job kind 'test.from_the_future' in this version")
        );
    }
);

queue_test!(
    a_dedup_key_enqueues_once_and_a_job_whose_worker_always_dies_is_parked,
    |db| {
        let t0 = at(2026, 12, 7, 9, 0, 0);
        let (queue, clock) = queue_at(&db, t0);
        let once = NewJob::new("test.ok", t0)
            .once_per("reminder:task:7")
            .max_attempts(1);
        let id = queue.enqueue(&once).await.expect("enqueue").expect("first");
        assert_eq!(
            queue.enqueue(&once).await.expect("enqueue"),
            None,
            "second enqueue does nothing"
        );

        // The worker "dies" holding its only attempt: the job is parked after the lease, not rerun.
        let w = worker(&queue, succeeding());
        w.claim().await.expect("claim").expect("due");
        clock.advance(Duration::seconds(31));
        assert_eq!(w.claim().await.expect("claim"), None);
        let parked = job(&db, id).await;
        assert_eq!(parked.status, JobStatus::Failed);
        assert!(
            parked
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("lease ran out")),
            "{parked:?}"
        );
    }
);

queue_test!(a_long_job_keeps_its_lease_by_heartbeat, |db| {
    // The queue's clock is set by hand: the lease would long have run out by it, so only the
    // heartbeat can keep the job. The handler runs until the test lets it finish.
    let started = Utc::now();
    let (queue, clock) = queue_at(&db, started);
    let id = queue
        .enqueue(&NewJob::new("test.slow", started))
        .await
        .expect("enqueue")
        .expect("id");
    let finish = Arc::new(tokio::sync::Notify::new());
    let slow = Registry::new().on("test.slow", {
        let finish = finish.clone();
        move |_| {
            let finish = finish.clone();
            async move {
                finish.notified().await;
                Ok(())
            }
        }
    });
    let mut a = worker(&queue, slow);
    a.settings.lease = StdDuration::from_millis(300);
    let b = a.clone();
    let running = tokio::spawn(async move { a.run_next().await });
    let lease_until = || {
        let db = db.clone();
        async move {
            let until: Option<chrono::DateTime<Utc>> = on_db!(&db, |pool| sqlx::query_scalar(
                "SELECT lease_until FROM jobs WHERE id = $1"
            )
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("job"));
            until
        }
    };
    // Ten minutes on by the queue's clock, the lease taken at the start has run out...
    while lease_until().await.is_none() {
        tokio::task::yield_now().await;
    }
    let later = started + Duration::minutes(10);
    clock.set(later);
    // ...until the next heartbeat moves it past the new now.
    while lease_until().await.is_none_or(|until| until <= later) {
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    assert_eq!(
        b.claim().await.expect("claim"),
        None,
        "still held: the heartbeat moved the lease"
    );
    finish.notify_one();
    let (_, outcome) = running.await.expect("task").expect("run").expect("ran");
    assert_eq!(outcome, Outcome::Succeeded);
    assert_eq!(job(&db, id).await.attempts, 1);
});
