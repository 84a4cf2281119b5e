//! What the dashboard counts: open deals, won and lost this month, activities, overdue tasks.

use super::*;

const AUCKLAND: chrono_tz::Tz = chrono_tz::Pacific::Auckland;

async fn set_closed_at(app: &TestApp, deal_id: i64, at: DateTime<Utc>) {
    on_db!(&app.db, |pool| {
        sqlx::query("UPDATE deals SET closed_at = $1 WHERE id = $2")
            .bind(at)
            .bind(deal_id)
            .execute(pool)
            .await
            .expect("closed_at");
    });
}

async fn use_auckland_time(app: &TestApp) {
    on_db!(&app.db, |pool| {
        sqlx::query("UPDATE tenants SET timezone = 'Pacific/Auckland' WHERE name = 'Alpha'")
            .execute(pool)
            .await
            .expect("tz");
    });
}

async fn log(
    app: &TestApp,
    client: &reqwest::Client,
    contact: &str,
    kind: &str,
    at: DateTime<Utc>,
) {
    ok(
        app,
        client,
        "/api/activities/log",
        &[
            ("kind", kind),
            ("body", "logged"),
            ("subject", "Hello"),
            ("direction", "outbound"),
            ("contact_id", contact),
            ("happened_at", &at.to_rfc3339()),
        ],
    )
    .await;
}

db_test!(open_deals_are_summed_per_stage_and_currency, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let ids = stage_ids(&app, &admin).await;
    deal(&app, &admin, "A", &ids["New"], "100.00", "EUR").await;
    deal(&app, &admin, "B", &ids["New"], "50.50", "EUR").await;
    deal(&app, &admin, "C", &ids["New"], "20", "USD").await;
    deal(&app, &admin, "D", &ids["Qualified"], "7", "EUR").await;
    let gone = deal(&app, &admin, "Deleted", &ids["Qualified"], "1000", "EUR").await;
    app.call(&admin, "/api/deals/delete", &[("id", &gone.to_string())])
        .await;
    deal(&app, &admin, "Closed", &ids["Won"], "999", "EUR").await;

    let d = dashboard(&app, &admin).await;
    let names: Vec<&str> = d["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["name"].as_str().unwrap_or(""))
        .collect();
    // Open stages only, in board order, empty ones included.
    assert_eq!(names, ["New", "Qualified", "Proposal", "Negotiation"]);
    assert_eq!(stage(&d, "New")["count"], 3);
    assert_eq!(
        stage(&d, "New")["amounts"],
        json!([
            {"currency": "EUR", "amount_minor": 15050, "count": 2},
            {"currency": "USD", "amount_minor": 2000, "count": 1}
        ])
    );
    assert_eq!(
        stage(&d, "Qualified")["amounts"],
        json!([{"currency": "EUR", "amount_minor": 700, "count": 1}])
    );
    assert_eq!(stage(&d, "Proposal")["count"], 0);
    assert_eq!(stage(&d, "Proposal")["amounts"], json!([]));
    assert_eq!(stage(&d, "New")["color"], "#64748b");
    assert!(d["pipeline_id"].is_i64());
});

db_test!(won_and_lost_count_only_this_month_of_the_tenant, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    use_auckland_time(&app).await;
    let month = month_of(AUCKLAND, Utc::now());
    let ids = stage_ids(&app, &admin).await;
    // Won now, and won in the first second of the month in Auckland (still last month in UTC).
    deal(&app, &admin, "Now", &ids["Won"], "100", "EUR").await;
    let early = deal(&app, &admin, "Early", &ids["Won"], "5", "USD").await;
    set_closed_at(&app, early, month.start + Duration::seconds(1)).await;
    let last_month = deal(&app, &admin, "Last month", &ids["Won"], "700", "EUR").await;
    set_closed_at(&app, last_month, month.start - Duration::minutes(1)).await;
    deal(&app, &admin, "Lost one", &ids["Lost"], "30", "EUR").await;
    let lost_long_ago = deal(&app, &admin, "Lost long ago", &ids["Lost"], "40", "EUR").await;
    set_closed_at(&app, lost_long_ago, month.start - Duration::days(40)).await;

    let d = dashboard(&app, &admin).await;
    let w = &d["won_lost"];
    assert_eq!(w["won_count"], 2, "{w}");
    assert_eq!(
        w["won_amounts"],
        json!([
            {"currency": "EUR", "amount_minor": 10000, "count": 1},
            {"currency": "USD", "amount_minor": 500, "count": 1}
        ])
    );
    assert_eq!(w["lost_count"], 1);
    assert_eq!(
        w["lost_amounts"],
        json!([{"currency": "EUR", "amount_minor": 3000, "count": 1}])
    );
    assert_eq!(d["timezone"], "Pacific/Auckland");
    assert_eq!(d["month_start"], json!(month.start));
    // Closed deals are no pipeline value.
    assert!(d["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .all(|s| s["count"] == 0));
});

db_test!(activities_are_counted_per_rep_for_this_week, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    use_auckland_time(&app).await;
    let agent = app
        .user_signed_in(&admin, "sam@alpha.example", "sales_agent", "")
        .await;
    let now = Utc::now();
    let week = week_of(AUCKLAND, now);
    let ada_contact = contact(&app, &admin, "Ana").await;
    let sam_contact = contact(&app, &agent, "Sol").await;
    log(&app, &admin, &ada_contact, "call", now).await;
    log(&app, &admin, &ada_contact, "call", week.start).await;
    log(&app, &admin, &ada_contact, "email", now).await;
    log(
        &app,
        &admin,
        &ada_contact,
        "call",
        week.start - Duration::minutes(1),
    )
    .await;
    log(&app, &agent, &sam_contact, "meeting", now).await;
    log(
        &app,
        &agent,
        &sam_contact,
        "note",
        week.start + Duration::seconds(1),
    )
    .await;
    log(
        &app,
        &agent,
        &sam_contact,
        "note",
        week.start - Duration::days(3),
    )
    .await;
    // A stage change is an activity too, but not one a rep logs.
    let ids = stage_ids(&app, &admin).await;
    let moved = deal(&app, &admin, "Moved", &ids["New"], "1", "EUR").await;
    let (status, body) = app
        .call(
            &admin,
            "/api/deals/move",
            &[
                ("id", &moved.to_string()),
                ("to[stage_id]", &ids["Qualified"]),
                ("to[version]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let d = dashboard(&app, &admin).await;
    let reps: Vec<(String, Value)> = d["activities_by_rep"]
        .as_array()
        .expect("reps")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or("").to_string(),
                r["counts"].clone(),
            )
        })
        .collect();
    assert_eq!(
        reps,
        [
            ("Ana Admin".to_string(), json!([2, 1, 0, 0])),
            ("sam@alpha.example".to_string(), json!([0, 0, 1, 1]))
        ]
    );
    // The agent counts only their own.
    let d = dashboard(&app, &agent).await;
    assert_eq!(d["activities_by_rep"].as_array().expect("reps").len(), 1);
    assert_eq!(d["activities_by_rep"][0]["counts"], json!([0, 0, 1, 1]));
});

db_test!(overdue_tasks_are_counted_and_the_oldest_listed, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let c = contact(&app, &admin, "Ana").await;
    let now = Utc::now();
    task(&app, &admin, "Yesterday", now - Duration::days(1), &c).await;
    task(&app, &admin, "Last week", now - Duration::days(7), &c).await;
    task(&app, &admin, "Tomorrow", now + Duration::days(1), &c).await;
    let done = task(&app, &admin, "Done", now - Duration::days(2), &c).await;
    app.call(
        &admin,
        "/api/tasks/set_status",
        &[("id", &done), ("status", "completed")],
    )
    .await;

    let d = dashboard(&app, &admin).await;
    let overdue = &d["overdue_tasks"];
    assert_eq!(overdue["count"], 2, "{overdue}");
    let titles: Vec<&str> = overdue["top"]
        .as_array()
        .expect("top")
        .iter()
        .map(|t| t["title"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(titles, ["Last week", "Yesterday"]);
    assert_eq!(overdue["top"][0]["contact_name"], "Ana");
    assert_eq!(overdue["top"][0]["contact_id"].to_string(), c);
});
