//! Deals: pipelines, creation, moves with stage rules and optimistic locking, the stage-change
//! timeline, board order and visibility, on both backends.

use crate::harness::{new_browser, registered_admin, TestApp, TEST_PASSWORD};
use crm::on_db;
use serde_json::Value;

fn nested<'a>(prefix: &str, fields: &[(&'a str, &'a str)]) -> Vec<(String, &'a str)> {
    fields
        .iter()
        .map(|(k, v)| (format!("{prefix}[{k}]"), *v))
        .collect()
}

async fn create_deal(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let form = nested("form", fields);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.call(client, "/api/deals/create", &form).await
}

async fn move_deal(
    app: &TestApp,
    client: &reqwest::Client,
    deal: &Value,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let id = deal["id"].as_i64().expect("id").to_string();
    let mut form = vec![("id".to_string(), id.as_str())];
    form.extend(nested("to", fields));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.call(client, "/api/deals/move", &form).await
}

/// The stage ids of the tenant's default pipeline, by name.
async fn stages(
    app: &TestApp,
    client: &reqwest::Client,
) -> (i64, std::collections::HashMap<String, String>) {
    let (status, pipelines) = app.call(client, "/api/pipelines/list", &[]).await;
    assert_eq!(status, 200, "{pipelines}");
    let pipeline = &pipelines[0];
    let stages = pipeline["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_string(),
                s["id"].as_i64().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (pipeline["id"].as_i64().expect("pipeline id"), stages)
}

db_test!(a_new_tenant_has_a_pipeline_whose_rules_are_flags, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (_, pipelines) = app.call(&admin, "/api/pipelines/list", &[]).await;
    let pipelines = pipelines.as_array().expect("list");
    assert_eq!(pipelines.len(), 1);
    let stages = pipelines[0]["stages"].as_array().expect("stages");
    let names: Vec<&str> = stages
        .iter()
        .map(|s| s["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["New", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
    );
    assert_eq!(stages.iter().filter(|s| s["is_won"] == true).count(), 1);
    assert_eq!(
        stages
            .iter()
            .filter(|s| s["is_lost"] == true && s["requires_note"] == true)
            .count(),
        1
    );
});

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

db_test!(
    a_move_writes_the_stage_change_to_the_timeline_and_audit,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (_, stages) = stages(&app, &admin).await;
        let (_, deal) = create_deal(&app, &admin, &[("title", "Moving")]).await;
        let (status, moved) = move_deal(
            &app,
            &admin,
            &deal,
            &[("stage_id", &stages["Qualified"]), ("version", "1")],
        )
        .await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["deal"]["stage_name"], "Qualified");
        assert_eq!(moved["deal"]["version"], 2);
        assert_eq!(moved["activity"]["kind"], "stage_change");
        assert_eq!(moved["activity"]["payload"]["from"]["name"], "New");
        assert_eq!(moved["activity"]["payload"]["to"]["name"], "Qualified");

        let id = deal["id"].as_i64().expect("id").to_string();
        let (_, timeline) = app
            .call(
                &admin,
                "/api/activities/timeline",
                &[("of", "deal"), ("id", &id)],
            )
            .await;
        assert_eq!(
            timeline["items"].as_array().expect("list").len(),
            1,
            "{timeline}"
        );
        let audited = on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'deal.moved'"
        )
        .fetch_one(pool)
        .await
        .expect("count"));
        assert_eq!(audited, 1);
    }
);

db_test!(
    stage_rules_are_enforced_and_won_or_lost_set_closed_at,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (_, stages) = stages(&app, &admin).await;
        let (_, deal) = create_deal(&app, &admin, &[("title", "Doomed")]).await;

        let (status, body) = move_deal(
            &app,
            &admin,
            &deal,
            &[("stage_id", &stages["Lost"]), ("version", "1")],
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            body["Validation"]["fields"]["note"],
            "is required for a deal in Lost"
        );
        let id = deal["id"].as_i64().expect("id").to_string();
        let (_, unchanged) = app.call(&admin, "/api/deals/get", &[("id", &id)]).await;
        assert_eq!(
            (
                unchanged["stage_name"].clone(),
                unchanged["version"].clone()
            ),
            (Value::from("New"), Value::from(1))
        );

        let (status, lost) = move_deal(
            &app,
            &admin,
            &deal,
            &[
                ("stage_id", &stages["Lost"]),
                ("version", "1"),
                ("note", "Went with a rival"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{lost}");
        assert!(lost["deal"]["closed_at"].is_string(), "closed when lost");
        assert_eq!(lost["activity"]["body"], "Went with a rival");

        let (_, reopened) = move_deal(
            &app,
            &admin,
            &lost["deal"],
            &[("stage_id", &stages["Proposal"]), ("version", "2")],
        )
        .await;
        assert_eq!(
            reopened["deal"]["closed_at"],
            Value::Null,
            "reopening clears closed_at"
        );
        let (_, won) = move_deal(
            &app,
            &admin,
            &reopened["deal"],
            &[("stage_id", &stages["Won"]), ("version", "3")],
        )
        .await;
        assert!(won["deal"]["closed_at"].is_string(), "closed when won");
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

db_test!(positions_order_the_board_columns, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (pipeline, stages) = stages(&app, &admin).await;
    let mut deals = Vec::new();
    for title in ["One", "Two", "Three"] {
        deals.push(create_deal(&app, &admin, &[("title", title)]).await.1);
    }
    let (status, _) = move_deal(
        &app,
        &admin,
        &deals[2],
        &[
            ("stage_id", &stages["New"]),
            ("position", "0"),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (_, board) = app
        .call(
            &admin,
            "/api/deals/board",
            &[("pipeline_id", &pipeline.to_string())],
        )
        .await;
    let titles: Vec<&str> = board
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["title"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(titles, ["Three", "One", "Two"]);
    let third = deals[2]["id"].to_string();
    let (_, timeline) = app
        .call(
            &admin,
            "/api/activities/timeline",
            &[("of", "deal"), ("id", &third)],
        )
        .await;
    assert!(
        timeline["items"].as_array().expect("list").is_empty(),
        "a reorder within a column is no stage change"
    );
});

db_test!(agents_see_and_move_only_their_own_deals, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let mut agents = Vec::new();
    for (email, role) in [
        ("nils@alpha.example", "sales_agent"),
        ("sofia@alpha.example", "sales_agent"),
        ("rita@alpha.example", "read_only"),
    ] {
        let form = [
            ("name", email),
            ("email", email),
            ("role", role),
            ("team_id", ""),
            ("temporary_password", TEST_PASSWORD),
        ];
        assert_eq!(app.call(&admin, "/api/users/create", &form).await.0, 200);
        let browser = new_browser();
        assert_eq!(
            app.call(
                &browser,
                "/api/auth/sign_in",
                &[("email", email), ("password", TEST_PASSWORD)]
            )
            .await
            .0,
            200
        );
        agents.push(browser);
    }
    let (pipeline, stages) = stages(&app, &admin).await;
    let (_, deal) = create_deal(&app, &agents[0], &[("title", "Nils's")]).await;
    let id = deal["id"].as_i64().expect("id").to_string();
    assert_eq!(
        app.call(&agents[1], "/api/deals/get", &[("id", &id)])
            .await
            .0,
        404
    );
    assert_eq!(
        move_deal(
            &app,
            &agents[1],
            &deal,
            &[("stage_id", &stages["Won"]), ("version", "1")]
        )
        .await
        .0,
        404
    );
    let (_, board) = app
        .call(
            &agents[1],
            "/api/deals/board",
            &[("pipeline_id", &pipeline.to_string())],
        )
        .await;
    assert!(board.as_array().expect("list").is_empty());
    let (_, board) = app
        .call(
            &agents[2],
            "/api/deals/board",
            &[("pipeline_id", &pipeline.to_string())],
        )
        .await;
    assert_eq!(
        board.as_array().expect("list").len(),
        1,
        "read only sees all"
    );
    assert_eq!(
        create_deal(&app, &agents[2], &[("title", "Nope")]).await.0,
        403
    );
    assert_eq!(
        move_deal(
            &app,
            &agents[2],
            &deal,
            &[("stage_id", &stages["Won"]), ("version", "1")]
        )
        .await
        .0,
        403
    );
});

db_test!(
    admins_edit_pipelines_and_stages_and_rules_follow_the_flags,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (status, pipeline) = app
            .call(&admin, "/api/pipelines/create", &[("name", "Renewals")])
            .await;
        assert_eq!(status, 200, "{pipeline}");
        let pipeline_id = pipeline["id"].to_string();
        let mut ids = Vec::new();
        for name in ["Due", "Talking", "Renewed"] {
            let (status, stage) = app
                .call(
                    &admin,
                    "/api/stages/create",
                    &[
                        ("pipeline_id", &pipeline_id),
                        ("form[name]", name),
                        ("form[probability]", "50"),
                    ],
                )
                .await;
            assert_eq!(status, 200, "{stage}");
            ids.push(stage["id"].to_string());
        }
        let (status, reordered) = app
            .call(
                &admin,
                "/api/stages/reorder",
                &[
                    ("pipeline_id", &pipeline_id),
                    ("stage_ids[0]", &ids[1]),
                    ("stage_ids[1]", &ids[0]),
                    ("stage_ids[2]", &ids[2]),
                ],
            )
            .await;
        assert_eq!(status, 200, "{reordered}");
        let names: Vec<&str> = reordered["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .map(|s| s["name"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(names, ["Talking", "Due", "Renewed"]);
        let (status, _) = app
            .call(
                &admin,
                "/api/stages/reorder",
                &[("pipeline_id", &pipeline_id), ("stage_ids[0]", &ids[0])],
            )
            .await;
        assert_eq!(status, 422, "every stage exactly once");

        // A renamed stage with a new flag: the rule follows the flag.
        let (status, renamed) = app
            .call(
                &admin,
                "/api/stages/update",
                &[
                    ("id", &ids[2]),
                    ("form[name]", "Signed"),
                    ("form[requires_note]", "true"),
                    ("form[is_won]", "true"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{renamed}");
        let (_, deal) =
            create_deal(&app, &admin, &[("title", "Renewal"), ("stage_id", &ids[0])]).await;
        let (status, body) = move_deal(
            &app,
            &admin,
            &deal,
            &[("stage_id", &ids[2]), ("version", "1")],
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            body["Validation"]["fields"]["note"],
            "is required for a deal in Signed"
        );

        let (status, body) = app
            .call(&admin, "/api/stages/delete", &[("id", &ids[0])])
            .await;
        assert_eq!(status, 409, "a stage with deals stays: {body}");
        assert!(body["Conflict"]
            .as_str()
            .unwrap_or_default()
            .contains("move them to another stage first"));
        assert_eq!(
            app.call(&admin, "/api/stages/delete", &[("id", &ids[1])])
                .await
                .0,
            200
        );

        let bad = [
            ("pipeline_id", pipeline_id.as_str()),
            ("form[name]", ""),
            ("form[color]", "blue"),
            ("form[probability]", "150"),
            ("form[is_won]", "true"),
            ("form[is_lost]", "true"),
        ];
        let (status, body) = app.call(&admin, "/api/stages/create", &bad).await;
        assert_eq!(status, 422);
        for field in ["name", "color", "probability", "is_lost"] {
            assert!(
                body["Validation"]["fields"][field].is_string(),
                "{field}: {body}"
            );
        }
    }
);

db_test!(agents_cannot_edit_stages, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let nils = app
        .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
        .await;
    let (_, stages) = stages(&app, &admin).await;
    assert_eq!(
        app.call(
            &nils,
            "/api/stages/update",
            &[("id", &stages["New"]), ("form[name]", "Mine")]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.call(&nils, "/api/stages/delete", &[("id", &stages["New"])])
            .await
            .0,
        403
    );
    assert_eq!(
        app.call(&nils, "/api/pipelines/create", &[("name", "Mine")])
            .await
            .0,
        403
    );
});

db_test!(
    deleted_deals_leave_the_board_and_admins_restore_them_with_an_audit_trail,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        registered_admin(&app, "Beta", "bob@beta.example").await;
        let (pipeline, _) = stages(&app, &admin).await;
        let (_, deal) = create_deal(&app, &admin, &[("title", "Gone soon")]).await;
        let id = deal["id"].to_string();
        assert_eq!(
            app.call(&admin, "/api/deals/delete", &[("id", &id)])
                .await
                .0,
            200
        );
        let (_, board) = app
            .call(
                &admin,
                "/api/deals/board",
                &[("pipeline_id", &pipeline.to_string())],
            )
            .await;
        assert!(board.as_array().expect("list").is_empty());
        assert_eq!(
            app.call(&admin, "/api/deals/get", &[("id", &id)]).await.0,
            404
        );
        let (status, restored) = app.call(&admin, "/api/deals/restore", &[("id", &id)]).await;
        assert_eq!(status, 200, "{restored}");

        let (status, entries) = app
            .call(
                &admin,
                "/api/audit/list",
                &[("filter[action]", "deal."), ("filter[entity_id]", &id)],
            )
            .await;
        assert_eq!(status, 200, "{entries}");
        let actions: Vec<&str> = entries
            .as_array()
            .expect("list")
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            actions,
            ["deal.restored", "deal.deleted", "deal.created"],
            "newest first"
        );
        assert_eq!(entries[0]["actor_name"], "Ana Admin");

        let (_, everything) = app.call(&admin, "/api/audit/list", &[]).await;
        assert!(
            !everything.to_string().contains("beta.example"),
            "only this tenant's rows"
        );
        let (_, page) = app
            .call(
                &admin,
                "/api/audit/list",
                &[
                    ("filter[limit]", "1"),
                    ("filter[before_id]", &entries[0]["id"].to_string()),
                ],
            )
            .await;
        assert_eq!(page[0]["action"], "deal.deleted");

        let form = [
            ("name", "Nils"),
            ("email", "nils@alpha.example"),
            ("role", "sales_agent"),
            ("team_id", ""),
            ("temporary_password", TEST_PASSWORD),
        ];
        assert_eq!(app.call(&admin, "/api/users/create", &form).await.0, 200);
        let nils = new_browser();
        assert_eq!(
            app.call(
                &nils,
                "/api/auth/sign_in",
                &[("email", "nils@alpha.example"), ("password", TEST_PASSWORD)]
            )
            .await
            .0,
            200
        );
        assert_eq!(app.call(&nils, "/api/audit/list", &[]).await.0, 403);
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

db_test!(
    stage_rules_hold_on_create_move_and_edit_through_every_door,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let api = app.api(&app.api_token(&admin).await);
        let (_, stages) = stages(&app, &admin).await;
        let lost = stages["Lost"].clone();
        // Qualified asks for a follow-up date from now on.
        let (status, body) = app
            .call(
                &admin,
                "/api/stages/update",
                &[
                    ("id", &stages["Qualified"]),
                    ("form[name]", "Qualified"),
                    ("form[color]", "#0ea5e9"),
                    ("form[probability]", "25"),
                    ("form[requires_followup_date]", "true"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let qualified = stages["Qualified"].clone();
        let contact = app
            .created(&admin, "contacts", &[("name", "Ana")])
            .await
            .to_string();
        let deals_before: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM deals"
        )
        .fetch_one(pool)
        .await
        .expect("count"));

        // Created as Lost without a reason: refused on the UI's door and on REST, nothing written.
        let (status, body) =
            create_deal(&app, &admin, &[("title", "Gone"), ("stage_id", &lost)]).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body["Validation"]["fields"]["note"],
            "is required for a deal in Lost"
        );
        let (status, body) = api
            .post(
                "/deals",
                serde_json::json!({"title": "Gone", "stage_id": lost.parse::<i64>().expect("id")}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body["error"]["fields"]["note"],
            "is required for a deal in Lost"
        );
        let (status, body) = api
            .post(
                "/deals",
                serde_json::json!({"title": "Later", "stage_id": qualified.parse::<i64>().expect("id")}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["followup_on"].is_string(), "{body}");
        let deals_after: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM deals"
        )
        .fetch_one(pool)
        .await
        .expect("count"));
        assert_eq!(deals_after, deals_before, "refused creates write nothing");

        // With the reason: created, and the reason is on the deal's timeline.
        let (status, gone) = create_deal(
            &app,
            &admin,
            &[
                ("title", "Gone"),
                ("stage_id", &lost),
                ("note", "Chose a rival"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{gone}");
        assert!(gone["closed_at"].is_string(), "{gone}");
        let gone_id = gone["id"].as_i64().expect("id");
        let note: String = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT body FROM activities WHERE deal_id = $1 AND kind = 'stage_change'"
        )
        .bind(gone_id)
        .fetch_one(pool)
        .await
        .expect("stage_change"));
        assert_eq!(note, "Chose a rival");

        // Created in Qualified over REST with a date: a follow-up task for the owner, on the deal
        // and its contact, and the contact's next follow-up is that task.
        let (status, later) = api
            .post(
                "/deals",
                serde_json::json!({"title": "Later", "stage_id": qualified.parse::<i64>().expect("id"),
                    "contact_id": contact.parse::<i64>().expect("id"), "followup_on": "2031-03-04"}),
            )
            .await;
        assert_eq!(status, 201, "{later}");
        let later_id = later["id"].as_i64().expect("id");
        let ada: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT id FROM users WHERE email = 'ada@alpha.example'"
        )
        .fetch_one(pool)
        .await
        .expect("ada"));
        type TaskRow = (i64, Option<i64>, String, chrono::DateTime<chrono::Utc>);
        let task: TaskRow = on_db!(&app.db, |pool| sqlx::query_as(
            "SELECT assignee_id, contact_id, status, due_at FROM tasks WHERE deal_id = $1"
        )
        .bind(later_id)
        .fetch_one(pool)
        .await
        .expect("follow-up task"));
        assert_eq!(task.0, ada);
        assert_eq!(task.1, contact.parse().ok());
        assert_eq!(task.2, "pending");
        assert_eq!(
            task.3.to_rfc3339(),
            "2031-03-04T09:00:00+00:00",
            "09:00 in the tenant's timezone (UTC)"
        );
        let (_, card) = app
            .call(&admin, "/api/contacts/get", &[("id", &contact)])
            .await;
        assert_eq!(card["next_followup_at"], "2031-03-04T09:00:00Z", "{card}");

        // A move into Qualified (UI door) without a date is refused; with one it makes the task.
        let (_, fresh) = create_deal(&app, &admin, &[("title", "Warm")]).await;
        let (status, body) = move_deal(
            &app,
            &admin,
            &fresh,
            &[("stage_id", &qualified), ("version", "1")],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body["Validation"]["fields"]["followup_on"],
            "is required for a deal in Qualified"
        );
        let (status, body) = move_deal(
            &app,
            &admin,
            &fresh,
            &[
                ("stage_id", &qualified),
                ("version", "1"),
                ("followup_on", "2030-01-15"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let tasks: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM tasks WHERE deal_id = $1 AND title = 'Follow up: Warm'"
        )
        .bind(fresh["id"].as_i64().expect("id"))
        .fetch_one(pool)
        .await
        .expect("count"));
        assert_eq!(tasks, 1);

        // The same move over REST, on a new deal.
        let (_, other) = create_deal(&app, &admin, &[("title", "Other")]).await;
        let other_id = other["id"].as_i64().expect("id");
        let (status, body) = api
            .post(
                &format!("/deals/{other_id}/move"),
                serde_json::json!({"stage_id": qualified.parse::<i64>().expect("id"), "version": 1}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["followup_on"].is_string(), "{body}");

        // An edit cannot change the stage around its rules.
        let form = [
            ("id", other_id.to_string()),
            ("version", "1".to_string()),
            ("form[title]", "Other".to_string()),
            ("form[stage_id]", lost.clone()),
        ];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = app.call(&admin, "/api/deals/update", &form).await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body["Validation"]["fields"]["stage_id"].is_string(),
            "{body}"
        );
        let (_, unchanged) = app
            .call(&admin, "/api/deals/get", &[("id", &other_id.to_string())])
            .await;
        assert_eq!(unchanged["stage_name"], "New");
    }
);
