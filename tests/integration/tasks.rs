//! Follow-up tasks: next_followup_at kept in step, "my tasks" grouped in the user's timezone,
//! status changes, bad input and visibility, on both backends.

use crate::harness::{registered_admin, TestApp};
use chrono::{Duration, Utc};
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

async fn task(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> Value {
    let (status, body) = nested(app, client, "/api/tasks/create", fields).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn next_followup(app: &TestApp, client: &reqwest::Client, contact: &str) -> Value {
    app.call(client, "/api/contacts/get", &[("id", contact)])
        .await
        .1["next_followup_at"]
        .clone()
}

db_test!(next_followup_follows_the_earliest_pending_task, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (_, contact) = nested(&app, &admin, "/api/contacts/create", &[("name", "Ana")]).await;
    let contact = contact["id"].to_string();
    let later = task(
        &app,
        &admin,
        &[
            ("title", "Send offer"),
            ("due_at", "2026-12-10T09:00:00Z"),
            ("contact_id", &contact),
        ],
    )
    .await;
    assert_eq!(next_followup(&app, &admin, &contact).await, later["due_at"]);
    let sooner = task(
        &app,
        &admin,
        &[
            ("title", "Call back"),
            ("due_at", "2026-12-01T09:00:00+01:00"),
            ("contact_id", &contact),
        ],
    )
    .await;
    assert_eq!(
        next_followup(&app, &admin, &contact).await,
        sooner["due_at"]
    );

    let sooner_id = sooner["id"].to_string();
    let later_id = later["id"].to_string();
    let (status, done) = app
        .call(
            &admin,
            "/api/tasks/set_status",
            &[("id", &sooner_id), ("status", "completed")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(done["completed_at"].is_string());
    assert_eq!(next_followup(&app, &admin, &contact).await, later["due_at"]);
    app.call(
        &admin,
        "/api/tasks/set_status",
        &[("id", &later_id), ("status", "cancelled")],
    )
    .await;
    assert_eq!(next_followup(&app, &admin, &contact).await, Value::Null);
    let (_, reopened) = app
        .call(
            &admin,
            "/api/tasks/set_status",
            &[("id", &sooner_id), ("status", "pending")],
        )
        .await;
    assert_eq!(reopened["completed_at"], Value::Null);
    assert_eq!(
        next_followup(&app, &admin, &contact).await,
        sooner["due_at"]
    );

    let (_, timeline) = app
        .call(
            &admin,
            "/api/activities/timeline",
            &[("of", "contact"), ("id", &contact)],
        )
        .await;
    let kinds: Vec<&str> = timeline["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["followup", "followup"]);
});

db_test!(my_tasks_are_grouped_by_the_users_own_day, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    on_db!(&app.db, |pool| {
        sqlx::query(
            "UPDATE users SET timezone = 'Pacific/Auckland' WHERE email = 'ada@alpha.example'",
        )
        .execute(pool)
        .await
        .expect("tz");
    });
    let (today, tomorrow) =
        crm::tasks::service::day_bounds(chrono_tz::Pacific::Auckland, Utc::now());
    let at = |t: chrono::DateTime<Utc>| t.to_rfc3339();
    task(
        &app,
        &admin,
        &[
            ("title", "Late"),
            ("due_at", &at(today - Duration::hours(1))),
        ],
    )
    .await;
    task(
        &app,
        &admin,
        &[
            ("title", "Now"),
            ("due_at", &at(today + Duration::minutes(1))),
        ],
    )
    .await;
    task(
        &app,
        &admin,
        &[
            ("title", "Soon"),
            ("due_at", &at(tomorrow + Duration::hours(1))),
        ],
    )
    .await;
    let (status, mine) = app.call(&admin, "/api/tasks/mine", &[]).await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["timezone"], "Pacific/Auckland");
    let titles = |group: &str| -> Vec<String> {
        mine[group]
            .as_array()
            .expect("group")
            .iter()
            .map(|t| t["title"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(titles("overdue"), ["Late"]);
    assert_eq!(titles("today"), ["Now"]);
    assert_eq!(titles("upcoming"), ["Soon"]);
});

db_test!(bad_task_input_and_other_peoples_tasks_are_refused, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (status, body) = nested(
        &app,
        &admin,
        "/api/tasks/create",
        &[
            ("title", ""),
            ("due_at", "tomorrow"),
            ("priority", "urgent"),
            ("contact_id", "999999"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    for field in ["title", "due_at", "priority", "contact_id"] {
        assert!(
            body["Validation"]["fields"][field].is_string(),
            "{field}: {body}"
        );
    }
    let nils = app
        .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
        .await;
    let admins = task(
        &app,
        &admin,
        &[("title", "Admin's"), ("due_at", "2026-12-01T09:00:00Z")],
    )
    .await;
    assert_eq!(
        app.call(
            &nils,
            "/api/tasks/set_status",
            &[("id", &admins["id"].to_string()), ("status", "completed")]
        )
        .await
        .0,
        404
    );
    let (status, body) = nested(
        &app,
        &nils,
        "/api/tasks/create",
        &[
            ("title", "For the boss"),
            ("due_at", "2026-12-01T09:00:00Z"),
            ("assignee_id", &admins["assignee_id"].to_string()),
        ],
    )
    .await;
    assert_eq!(status, 422, "agents assign only to themselves: {body}");
    let (_, mine) = app.call(&nils, "/api/tasks/mine", &[]).await;
    assert_eq!(
        mine["upcoming"].as_array().map(Vec::len).unwrap_or(0)
            + mine["overdue"].as_array().map(Vec::len).unwrap_or(0),
        0
    );
});
