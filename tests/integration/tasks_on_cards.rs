//! Tasks from a card: edited and rescheduled on the user's own clock (a DST gap refused), and
//! each card's open tasks, on both backends.

use crate::harness::{registered_admin, TestApp};
use crm::on_db;
use serde_json::Value;

async fn nested(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    app.call_nested(client, path, "form", fields).await
}

async fn in_berlin(app: &TestApp, email: &str) {
    on_db!(&app.db, |pool| {
        sqlx::query("UPDATE users SET timezone = 'Europe/Berlin' WHERE email = $1")
            .bind(email)
            .execute(pool)
            .await
            .expect("tz");
    });
}

fn titles(tasks: &Value) -> Vec<String> {
    tasks
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| t["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

db_test!(a_task_is_rescheduled_on_the_users_own_clock, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    in_berlin(&app, "ada@alpha.example").await;
    let ana = app
        .created(&admin, "contacts", &[("name", "Ana")])
        .await
        .to_string();
    let (status, task) = nested(
        &app,
        &admin,
        "/api/tasks/create",
        &[
            ("title", "Call back"),
            ("due_at", "2026-12-10T09:30"),
            ("contact_id", &ana),
        ],
    )
    .await;
    assert_eq!(status, 200, "{task}");
    // 09:30 in Berlin in winter is 08:30 UTC, and shown back as typed.
    assert_eq!(task["due_at"], "2026-12-10T08:30:00Z");
    assert_eq!(task["due_local"], "2026-12-10T09:30");

    let id = task["id"].to_string();
    let (status, moved) = app
        .call(
            &admin,
            "/api/tasks/update",
            &[
                ("id", &id),
                ("form[title]", "Call back about the offer"),
                ("form[due_at]", "2026-12-03T16:00"),
                ("form[priority]", "high"),
                ("form[contact_id]", &ana),
            ],
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["title"], "Call back about the offer");
    assert_eq!(moved["due_at"], "2026-12-03T15:00:00Z");
    assert_eq!(moved["priority"], "high");
    let (_, contact) = app.call(&admin, "/api/contacts/get", &[("id", &ana)]).await;
    assert_eq!(contact["next_followup_at"], "2026-12-03T15:00:00Z");
    let audited: i64 = on_db!(&app.db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'task.updated'")
            .fetch_one(pool)
            .await
            .expect("audit")
    });
    assert_eq!(audited, 1);

    // Moving it off the contact clears the contact's next follow-up.
    let (status, _) = app
        .call(
            &admin,
            "/api/tasks/update",
            &[
                ("id", &id),
                ("form[title]", "Call back"),
                ("form[due_at]", "2026-12-03T16:00"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let (_, contact) = app.call(&admin, "/api/contacts/get", &[("id", &ana)]).await;
    assert_eq!(contact["next_followup_at"], Value::Null);

    // 02:30 on 28 March 2027 does not happen in Berlin: the clocks jump from 02:00 to 03:00.
    let (status, refused) = app
        .call(
            &admin,
            "/api/tasks/update",
            &[
                ("id", &id),
                ("form[title]", "Call back"),
                ("form[due_at]", "2027-03-28T02:30"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    let reason = refused["Validation"]["fields"]["due_at"]
        .as_str()
        .unwrap_or_default();
    assert!(reason.contains("Europe/Berlin"), "{reason}");
    let (_, unchanged) = app.call(&admin, "/api/tasks/mine", &[]).await;
    assert!(
        unchanged.to_string().contains("2026-12-03T15:00:00Z"),
        "{unchanged}"
    );
});

db_test!(each_card_lists_its_own_open_tasks, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let acme = app
        .created(&admin, "companies", &[("name", "Acme")])
        .await
        .to_string();
    let ana = app
        .created(
            &admin,
            "contacts",
            &[("name", "Ana"), ("company_id", &acme)],
        )
        .await
        .to_string();
    let bo = app
        .created(&admin, "contacts", &[("name", "Bo")])
        .await
        .to_string();
    let deal = app
        .created(
            &admin,
            "deals",
            &[("title", "Renewal"), ("company_id", &acme)],
        )
        .await
        .to_string();
    let mut ids = Vec::new();
    for (title, due, link, id) in [
        ("Ana later", "2026-12-20T09:00:00Z", "contact_id", &ana),
        ("Ana first", "2026-12-02T09:00:00Z", "contact_id", &ana),
        ("Bo's", "2026-12-05T09:00:00Z", "contact_id", &bo),
        ("Deal's", "2026-12-07T09:00:00Z", "deal_id", &deal),
    ] {
        let (status, task) = nested(
            &app,
            &admin,
            "/api/tasks/create",
            &[("title", title), ("due_at", due), (link, id)],
        )
        .await;
        assert_eq!(status, 200, "{task}");
        ids.push(task["id"].to_string());
    }
    let open = |field: &'static str, id: String| {
        let app = &app;
        let admin = &admin;
        async move {
            let (status, body) = app.call(admin, "/api/tasks/open", &[(field, &id)]).await;
            assert_eq!(status, 200, "{body}");
            titles(&body)
        }
    };
    assert_eq!(
        open("link[contact_id]", ana.clone()).await,
        ["Ana first", "Ana later"]
    );
    assert_eq!(open("link[deal_id]", deal.clone()).await, ["Deal's"]);
    // A company's: its contacts' and its deals'.
    assert_eq!(
        open("link[company_id]", acme.clone()).await,
        ["Ana first", "Deal's", "Ana later"]
    );
    // Completed tasks leave the card.
    app.call(
        &admin,
        "/api/tasks/set_status",
        &[("id", &ids[1]), ("status", "completed")],
    )
    .await;
    assert_eq!(open("link[contact_id]", ana.clone()).await, ["Ana later"]);

    let (status, body) = app
        .call(
            &admin,
            "/api/tasks/open",
            &[("link[contact_id]", &ana), ("link[deal_id]", &deal)],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["Validation"]["fields"]["link"].is_string(), "{body}");
    let (status, _) = app
        .call(&admin, "/api/tasks/open", &[("link[contact_id]", "987654")])
        .await;
    assert_eq!(status, 404);
});
