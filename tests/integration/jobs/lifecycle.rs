//! The nightly contact status, run as its job would with the clock set: each rule applied,
//! each change on the timeline and in the audit log, a second run changing nothing.

use crate::harness::{registered_admin, TestApp};
use chrono::{Duration, Utc};
use crm::contacts::lifecycle::recompute_statuses;

async fn contact(app: &TestApp, client: &reqwest::Client, name: &str) -> String {
    let (status, body) = app
        .call_nested(client, "/api/contacts/create", "form", &[("name", name)])
        .await;
    assert_eq!(status, 200, "{body}");
    body["id"].to_string()
}

async fn talked(app: &TestApp, client: &reqwest::Client, contact: &str, days_ago: i64) {
    let at = (Utc::now() - Duration::days(days_ago)).to_rfc3339();
    let (status, body) = app
        .call_nested(
            client,
            "/api/activities/log",
            "form",
            &[
                ("kind", "call"),
                ("direction", "outbound"),
                ("body", "Talked"),
                ("happened_at", &at),
                ("contact_id", contact),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn status_of(app: &TestApp, client: &reqwest::Client, id: &str) -> String {
    let (_, body) = app.call(client, "/api/contacts/get", &[("id", id)]).await;
    body["status"].as_str().unwrap_or_default().to_string()
}

db_test!(
    the_nightly_status_follows_each_rule_and_is_recorded,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let never = contact(&app, &admin, "Never Called").await;
        let busy = contact(&app, &admin, "Busy Bee").await;
        let recent = contact(&app, &admin, "Recent Rita").await;
        let quiet = contact(&app, &admin, "Quiet Quinn").await;
        let gone = contact(&app, &admin, "Gone Gus").await;
        let likely = contact(&app, &admin, "Likely Lee").await;
        for _ in 0..3 {
            talked(&app, &admin, &busy, 1).await;
        }
        talked(&app, &admin, &recent, 2).await;
        talked(&app, &admin, &quiet, 40).await;
        talked(&app, &admin, &gone, 100).await;
        let (_, pipelines) = app.call(&admin, "/api/pipelines/list", &[]).await;
        let negotiation = pipelines[0]["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .find(|s| s["name"] == "Negotiation")
            .expect("a 75 % stage")["id"]
            .to_string();
        let (status, body) = app
            .call_nested(
                &admin,
                "/api/deals/create",
                "form",
                &[
                    ("title", "Big one"),
                    ("amount", "10"),
                    ("currency", "EUR"),
                    ("stage_id", &negotiation),
                    ("contact_id", &likely),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");

        let tenant_id: i64 = crm::on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT id FROM tenants WHERE name = 'Alpha'"
        )
        .fetch_one(pool)
        .await
        .expect("tenant"));
        let done = recompute_statuses(&app.db, tenant_id, Utc::now())
            .await
            .expect("recompute");
        assert_eq!((done.seen, done.changed), (6, 5), "New stays New");
        for (id, want) in [
            (&never, "New"),
            (&busy, "Hot"),
            (&recent, "Active"),
            (&quiet, "Inactive"),
            (&gone, "Cold"),
            (&likely, "Hot"),
        ] {
            assert_eq!(status_of(&app, &admin, id).await, want, "contact {id}");
        }

        let (_, timeline) = app
            .call(
                &admin,
                "/api/activities/timeline",
                &[("of", "contact"), ("id", gone.as_str())],
            )
            .await;
        let entries = timeline["items"].as_array().cloned().unwrap_or_default();
        let change = entries
            .iter()
            .find(|e| e["kind"] == "system")
            .unwrap_or_else(|| panic!("a system entry on the timeline: {timeline}"));
        assert_eq!(
            change["payload"],
            serde_json::json!({"event": "status_changed", "from": "New", "to": "Cold"})
        );
        let audited: i64 = crm::on_db!(&app.db, |pool| {
            sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1 AND action = 'contact.status_recomputed'"
    )
    .bind(tenant_id)
    .fetch_one(pool)
    .await
    .expect("count")
        });
        assert_eq!(audited, 5);

        let again = recompute_statuses(&app.db, tenant_id, Utc::now())
            .await
            .expect("recompute");
        assert_eq!(again.changed, 0, "idempotent");
        // Thirty days on, the recent contact has gone quiet.
        let later = recompute_statuses(&app.db, tenant_id, Utc::now() + Duration::days(30))
            .await
            .expect("recompute");
        assert!(later.changed >= 1);
        assert_eq!(status_of(&app, &admin, &recent).await, "Inactive");
    }
);

db_test!(
    the_status_rules_are_edited_in_settings_and_the_next_run_follows_them,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (status, rules) = app.call(&admin, "/api/contacts/status_rules", &[]).await;
        assert_eq!(status, 200, "{rules}");
        assert_eq!(rules["inactive_after_days"], 30);
        let form = |inactive: &str, cold: &str, window: &str| {
            vec![
                ("form[hot_min_communications]", "3".to_string()),
                ("form[hot_window_days]", window.to_string()),
                ("form[hot_min_probability]", "70".to_string()),
                ("form[inactive_after_days]", inactive.to_string()),
                ("form[cold_after_days]", cold.to_string()),
            ]
        };
        let post = |fields: Vec<(&'static str, String)>| {
            let (app, admin) = (&app, &admin);
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call(admin, "/api/contacts/update_status_rules", &fields)
                    .await
            }
        };
        let (status, body) = post(form("30", "20", "0")).await;
        assert_eq!(status, 422, "{body}");
        let text = body.to_string();
        assert!(
            text.contains("hot_window_days") && text.contains("from 1 to 365"),
            "{body}"
        );
        assert!(
            text.contains("cold_after_days") && text.contains("more than the 30 days"),
            "{body}"
        );
        let (_, unchanged) = app.call(&admin, "/api/contacts/status_rules", &[]).await;
        assert_eq!(unchanged, rules, "nothing half-saved");

        let (status, body) = post(form("10", "20", "7")).await;
        assert_eq!(status, 200, "{body}");
        let audited: String = crm::on_db!(&app.db, |pool| {
            sqlx::query_scalar(
            "SELECT CAST(changes AS TEXT) FROM audit_log WHERE action = 'tenant.status_rules_changed'"
        )
        .fetch_one(pool)
        .await
        .expect("audit")
        });
        assert!(audited.contains("inactive_after_days") && audited.contains("cold_after_days"));
        assert!(
            !audited.contains("hot_window_days"),
            "only what changed: {audited}"
        );

        // Quiet for 15 days: Active by the old rules, Inactive by the new ones.
        let quiet = contact(&app, &admin, "Quiet Quinn").await;
        talked(&app, &admin, &quiet, 15).await;
        let tenant_id: i64 = crm::on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT id FROM tenants WHERE name = 'Alpha'"
        )
        .fetch_one(pool)
        .await
        .expect("tenant"));
        recompute_statuses(&app.db, tenant_id, Utc::now())
            .await
            .expect("recompute");
        assert_eq!(status_of(&app, &admin, &quiet).await, "Inactive");

        let agent = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        let (status, _) = app.call(&agent, "/api/contacts/status_rules", &[]).await;
        assert_eq!(status, 403);
    }
);
