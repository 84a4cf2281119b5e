//! The running server's workers: a job enqueued from outside (another instance, the CLI) is
//! run, the server declares its schedules, and it still stops promptly.

use crm::jobs::{maintenance::PRUNE_JOBS, queue::Queue, store::JobStore, JobStatus, NewJob};
use std::time::{Duration, Instant};

db_test!(
    the_servers_workers_run_a_job_enqueued_elsewhere,
    settings = |s: &mut crm::config::Settings| s.jobs.poll_seconds = 1,
    |app| {
        // Its own queue handle, as another instance or `crm jobs run` has: on PostgreSQL NOTIFY
        // wakes the server's workers, on SQLite their poll finds the job.
        let elsewhere = Queue::new(app.db.clone());
        let id = elsewhere
            .enqueue(&NewJob::new(PRUNE_JOBS, chrono::Utc::now()))
            .await
            .expect("enqueue")
            .expect("id");
        loop {
            let job = crm::on_db!(&app.db, |pool| pool
                .acquire()
                .await
                .expect("conn")
                .job(id)
                .await
                .expect("job"));
            if job.as_ref().map(|j| j.status) == Some(JobStatus::Succeeded) {
                break;
            }
            assert_ne!(job.map(|j| j.status), Some(JobStatus::Failed));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let schedules: Vec<String> = crm::on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT name FROM job_schedules ORDER BY name"
        )
        .fetch_all(pool)
        .await
        .expect("schedules"));
        assert!(schedules.contains(&PRUNE_JOBS.to_string()), "{schedules:?}");
        assert!(
            schedules
                .iter()
                .any(|s| s.starts_with("contacts.recompute_status:")),
            "the demo tenant's nightly status: {schedules:?}"
        );
        let stopping = Instant::now();
        app.stop().await.expect("clean stop");
        assert!(
            stopping.elapsed() < Duration::from_secs(2),
            "idle workers do not hold up shutdown"
        );
    }
);
