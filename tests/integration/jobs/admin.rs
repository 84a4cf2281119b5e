//! The settings page's jobs section: a tenant admin sees and settles their own tenant's failed
//! jobs only, each retry or discard audited; other roles are refused.

use crate::harness::registered_admin;
use chrono::Utc;
use crm::{
    jobs::{queue::Queue, NewJob},
    on_db,
};

/// A parked job of `tenant` with `error`, as a worker leaves one that ran out of attempts.
async fn failed_job(db: &crm::db::Db, tenant: i64, error: &str) -> i64 {
    let job = NewJob::new("contacts.recompute_status", Utc::now()).for_tenant(tenant);
    let id = Queue::new(db.clone())
        .enqueue(&job)
        .await
        .expect("enqueue")
        .expect("new job");
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE jobs SET status = 'failed', attempts = 5, last_error = $1 WHERE id = $2",
        )
        .bind(error)
        .bind(id)
        .execute(pool)
        .await
        .expect("park");
    });
    id
}

async fn tenant_id(db: &crm::db::Db, name: &str) -> i64 {
    on_db!(db, |pool| sqlx::query_scalar(
        "SELECT id FROM tenants WHERE name = $1"
    )
    .bind(name)
    .fetch_one(pool)
    .await
    .expect("tenant"))
}

db_test!(
    an_admin_retries_and_discards_their_own_tenants_failed_jobs,
    settings = |s: &mut crm::config::Settings| s.jobs.workers = 0,
    |app| {
        let alpha = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let beta = registered_admin(&app, "Beta", "bob@beta.example").await;
        let (a, b) = (
            tenant_id(&app.db, "Alpha").await,
            tenant_id(&app.db, "Beta").await,
        );
        let retried = failed_job(&app.db, a, "Alpha boom").await;
        let discarded = failed_job(&app.db, a, "Alpha again").await;
        let theirs = failed_job(&app.db, b, "Beta boom").await;

        let (status, overview) = app
            .call(&alpha, "/api/jobs/list", &[("status", "failed")])
            .await;
        assert_eq!(status, 200, "{overview}");
        let listed: Vec<i64> = overview["jobs"]
            .as_array()
            .expect("jobs")
            .iter()
            .filter_map(|j| j["id"].as_i64())
            .collect();
        assert_eq!(listed.len(), 2, "{overview}");
        assert!(listed.contains(&retried) && listed.contains(&discarded));
        assert!(!overview.to_string().contains("Beta boom"), "{overview}");
        assert!(overview["counts"]
            .as_array()
            .expect("counts")
            .contains(&serde_json::json!(["failed", 2])));

        let id = |n: i64| n.to_string();
        let (status, body) = app
            .call(&alpha, "/api/jobs/retry", &[("id", &id(theirs))])
            .await;
        assert_eq!(status, 404, "another tenant's job: {body}");
        let (status, _) = app
            .call(&alpha, "/api/jobs/discard", &[("id", &id(theirs))])
            .await;
        assert_eq!(status, 404);
        let (status, body) = app
            .call(&alpha, "/api/jobs/retry", &[("id", &id(retried))])
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = app
            .call(&alpha, "/api/jobs/retry", &[("id", &id(retried))])
            .await;
        assert_eq!(status, 409, "queued, not failed: {body}");
        let (status, body) = app
            .call(&alpha, "/api/jobs/discard", &[("id", &id(discarded))])
            .await;
        assert_eq!(status, 200, "{body}");

        let states: Vec<(i64, String, i32)> = on_db!(&app.db, |pool| sqlx::query_as(
            "SELECT id, status, attempts FROM jobs WHERE id IN ($1, $2, $3) ORDER BY id"
        )
        .bind(retried)
        .bind(discarded)
        .bind(theirs)
        .fetch_all(pool)
        .await
        .expect("jobs"));
        assert_eq!(
            states,
            [
                (retried, "queued".to_string(), 0),
                (theirs, "failed".to_string(), 5)
            ]
        );
        let audited: Vec<(String, i64)> = on_db!(&app.db, |pool| sqlx::query_as(
            "SELECT action, entity_id FROM audit_log WHERE entity_type = 'job' ORDER BY id"
        )
        .fetch_all(pool)
        .await
        .expect("audit"));
        assert_eq!(
            audited,
            [
                ("job.retried".to_string(), retried),
                ("job.discarded".to_string(), discarded)
            ]
        );

        let agent = app
            .user_signed_in(&alpha, "nils@alpha.example", "sales_agent", "")
            .await;
        let (status, _) = app
            .call(&agent, "/api/jobs/list", &[("status", "failed")])
            .await;
        assert_eq!(status, 403);
        let (status, _) = app
            .call(&agent, "/api/jobs/retry", &[("id", &id(theirs))])
            .await;
        assert_eq!(status, 403);
        let (status, body) = app
            .call(&beta, "/api/jobs/list", &[("status", "dead")])
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("status"), "{body}");
    }
);
