//! Creating and editing deals: validation, money in minor units, optimistic locking, races.

use super::*;

db_test!(
    deals_are_created_in_the_default_stage_with_money_in_minor_units,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (status, deal) = create_deal(
            &app,
            &admin,
            &[("title", "Big one"), ("amount", "1 250.50")],
        )
        .await;
        assert_eq!(status, 200, "{deal}");
        assert_eq!(deal["stage_name"], "New");
        assert_eq!(deal["amount_minor"], 125_050);
        assert_eq!(deal["currency"], "EUR", "the tenant's default currency");
        assert_eq!(deal["version"], 1);
        assert_eq!(deal["closed_at"], Value::Null);

        let (status, body) = create_deal(
            &app,
            &admin,
            &[
                ("title", ""),
                ("amount", "-3"),
                ("currency", "EURO"),
                ("stage_id", "999999"),
                ("expected_close_on", "31.12.2026"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        for field in [
            "title",
            "amount",
            "currency",
            "stage_id",
            "expected_close_on",
        ] {
            assert!(
                body["Validation"]["fields"][field].is_string(),
                "{field}: {body}"
            );
        }
    }
);

db_test!(a_stale_version_answers_409_with_the_current_deal, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (_, stages) = stages(&app, &admin).await;
    let (_, deal) = create_deal(&app, &admin, &[("title", "Contested"), ("amount", "10")]).await;
    let (status, _) = move_deal(
        &app,
        &admin,
        &deal,
        &[("stage_id", &stages["Qualified"]), ("version", "1")],
    )
    .await;
    assert_eq!(status, 200);
    // A second tab still shows version 1.
    let (status, body) = move_deal(
        &app,
        &admin,
        &deal,
        &[("stage_id", &stages["Proposal"]), ("version", "1")],
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["Stale"]["current"]["stage_name"], "Qualified");
    assert_eq!(body["Stale"]["current"]["version"], 2);

    let id = deal["id"].as_i64().expect("id").to_string();
    let (status, body) = app
        .call(
            &admin,
            "/api/deals/update",
            &[
                ("id", &id),
                ("version", "1"),
                ("form[title]", "Mine"),
                ("form[amount]", "99"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["Stale"]["current"]["title"], "Contested",
        "no lost update"
    );
    let (status, body) = app
        .call(
            &admin,
            "/api/deals/update",
            &[
                ("id", &id),
                ("version", "2"),
                ("form[title]", "Mine"),
                ("form[amount]", "99"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            body["title"].clone(),
            body["amount_minor"].clone(),
            body["version"].clone()
        ),
        (Value::from("Mine"), Value::from(9900), Value::from(3))
    );
});

db_test!(
    two_simultaneous_moves_from_one_version_let_exactly_one_win,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (_, stages) = stages(&app, &admin).await;
        let (_, deal) = create_deal(&app, &admin, &[("title", "Race")]).await;
        let to_qualified = [("stage_id", stages["Qualified"].as_str()), ("version", "1")];
        let to_proposal = [("stage_id", stages["Proposal"].as_str()), ("version", "1")];
        let (a, b) = tokio::join!(
            move_deal(&app, &admin, &deal, &to_qualified),
            move_deal(&app, &admin, &deal, &to_proposal),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
        let id = deal["id"].as_i64().expect("id").to_string();
        let (_, now) = app.call(&admin, "/api/deals/get", &[("id", &id)]).await;
        assert_eq!(now["version"], 2);
    }
);

// Two reps adding deals at the same moment must both succeed: on SQLite a write transaction
// that read first would otherwise fail with SQLITE_BUSY when the other one committed.
db_test!(deals_created_at_the_same_time_all_land, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let titles: Vec<String> = (0..24).map(|i| format!("Rush {i}")).collect();
    let answers = futures::future::join_all(
        titles
            .iter()
            .map(|title| async { create_deal(&app, &admin, &[("title", title.as_str())]).await }),
    )
    .await;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    let stored: i64 = on_db!(&app.db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM deals WHERE title LIKE 'Rush %'")
            .fetch_one(pool)
            .await
            .expect("count")
    });
    assert_eq!(stored, 24);
});
