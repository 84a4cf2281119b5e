//! The board's filter runs on the server: folded search over the title, contact and company,
//! whose deals, an amount range in every currency's own minor units, and the won/lost window.

use super::*;

async fn created(app: &TestApp, client: &reqwest::Client, path: &str, name: &str) -> String {
    let (status, record) = app
        .call_nested(client, path, "form", &[("name", name)])
        .await;
    assert_eq!(status, 200, "{record}");
    record["id"].to_string()
}

async fn user(app: &TestApp, admin: &reqwest::Client, email: &str, role: &str, team: &str) {
    let form = [
        ("name", email),
        ("email", email),
        ("role", role),
        ("team_id", team),
        ("temporary_password", TEST_PASSWORD),
    ];
    let (status, body) = app.call(admin, "/api/users/create", &form).await;
    assert_eq!(status, 200, "{body}");
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let browser = new_browser();
    let form = [("email", email), ("password", TEST_PASSWORD)];
    assert_eq!(app.call(&browser, "/api/auth/sign_in", &form).await.0, 200);
    browser
}

async fn sorted_titles(
    app: &TestApp,
    client: &reqwest::Client,
    pipeline: i64,
    filter: &[(&str, &str)],
) -> Vec<String> {
    let mut titles = titles(&board(app, client, pipeline, filter).await);
    titles.sort();
    titles
}

fn refused_field(body: &Value) -> Vec<String> {
    body["Validation"]["fields"]
        .as_object()
        .map(|fields| fields.keys().cloned().collect())
        .unwrap_or_default()
}

db_test!(search_folds_accents_over_title_contact_and_company, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (pipeline, _) = stages(&app, &admin).await;
    let contact = created(&app, &admin, "/api/contacts/create", "José Núñez").await;
    let company = created(&app, &admin, "/api/companies/create", "Société Générale").await;
    for (title, link) in [
        ("Crème brûlée supply", ("", "")),
        ("Renewal", ("contact_id", contact.as_str())),
        ("Expansion", ("company_id", company.as_str())),
        ("Unrelated", ("", "")),
    ] {
        let mut form = vec![("title", title)];
        if !link.0.is_empty() {
            form.push(link);
        }
        assert_eq!(create_deal(&app, &admin, &form).await.0, 200);
    }
    for (q, expected) in [
        ("CREME", "Crème brûlée supply"),
        ("nunez", "Renewal"),
        ("societe gen", "Expansion"),
    ] {
        let board = board(&app, &admin, pipeline, &[("q", q)]).await;
        assert_eq!(titles(&board), [expected], "{q}");
        assert_eq!(board[0]["count"], 1, "the count follows the filter: {q}");
    }
    assert_eq!(
        titles(&board(&app, &admin, pipeline, &[("q", "  ")]).await).len(),
        4
    );
});

db_test!(owner_filter_narrows_within_what_the_role_sees, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (status, team) = app
        .call(&admin, "/api/teams/create", &[("name", "East")])
        .await;
    assert_eq!(status, 200, "{team}");
    let east = team["id"].to_string();
    user(&app, &admin, "nils@alpha.example", "sales_agent", &east).await;
    user(&app, &admin, "sofia@alpha.example", "sales_agent", "").await;
    user(&app, &admin, "rita@alpha.example", "read_only", &east).await;
    let (pipeline, _) = stages(&app, &admin).await;
    for (email, title) in [
        ("nils@alpha.example", "East's"),
        ("sofia@alpha.example", "Sofia's"),
    ] {
        let agent = signed_in(&app, email).await;
        assert_eq!(create_deal(&app, &agent, &[("title", title)]).await.0, 200);
    }
    assert_eq!(
        create_deal(&app, &admin, &[("title", "Ada's")]).await.0,
        200
    );

    let rita = signed_in(&app, "rita@alpha.example").await;
    let everyone = sorted_titles(&app, &rita, pipeline, &[("owner", "everyone")]).await;
    assert_eq!(everyone, ["Ada's", "East's", "Sofia's"]);
    let team = sorted_titles(&app, &rita, pipeline, &[("owner", "team")]).await;
    assert_eq!(team, ["East's"], "her team's deals");
    assert!(sorted_titles(&app, &rita, pipeline, &[("owner", "me")])
        .await
        .is_empty());
    assert_eq!(
        titles(&board(&app, &admin, pipeline, &[("owner", "team")]).await),
        ["Ada's"],
        "without a team, 'my team' is the user alone"
    );
    let sofia = signed_in(&app, "sofia@alpha.example").await;
    assert_eq!(
        titles(&board(&app, &sofia, pipeline, &[("owner", "everyone")]).await),
        ["Sofia's"],
        "the filter never widens what an agent may see"
    );
});

db_test!(
    amount_range_counts_each_currency_in_its_own_minor_units,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (pipeline, _) = stages(&app, &admin).await;
        for (title, amount, currency) in [
            ("Small", "100", "EUR"),
            ("Mid", "1500.50", "EUR"),
            ("Big", "20000", "EUR"),
            ("Yen", "150000", "JPY"),
        ] {
            let form = [("title", title), ("amount", amount), ("currency", currency)];
            let (status, body) = create_deal(&app, &admin, &form).await;
            assert_eq!(status, 200, "{body}");
        }
        let all = board(&app, &admin, pipeline, &[]).await;
        assert_eq!(all[0]["count"], 4);
        assert_eq!(
            all[0]["totals"],
            serde_json::json!([
                {"currency": "EUR", "count": 3, "amount_minor": 2_160_050},
                {"currency": "JPY", "count": 1, "amount_minor": 150_000},
            ])
        );
        for (range, expected) in [
            (vec![("min", "1500.5")], vec!["Mid", "Big", "Yen"]),
            (vec![("max", "1500.50")], vec!["Small", "Mid"]),
            (vec![("min", "1500.5"), ("max", "1500.5")], vec!["Mid"]),
            (vec![("min", "150000.5")], vec![]),
            (vec![("min", "150000")], vec!["Yen"]),
            (vec![("min", "149999.99"), ("max", "149999.99")], vec![]),
        ] {
            let got = sorted_titles(&app, &admin, pipeline, &range).await;
            let mut expected: Vec<String> = expected.iter().map(|t| t.to_string()).collect();
            expected.sort();
            assert_eq!(got, expected, "{range:?}");
            let board = board(&app, &admin, pipeline, &range).await;
            assert_eq!(board[0]["count"], expected.len(), "{range:?}");
        }
    }
);

db_test!(
    won_and_lost_columns_reach_back_as_far_as_the_window,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (pipeline, stages) = stages(&app, &admin).await;
        let mut ids = Vec::new();
        for title in ["Won long ago", "Won last quarter", "Won today"] {
            let form = [("title", title), ("stage_id", stages["Won"].as_str())];
            let (status, deal) = create_deal(&app, &admin, &form).await;
            assert_eq!(status, 200, "{deal}");
            ids.push(deal["id"].as_i64().expect("id"));
        }
        assert_eq!(create_deal(&app, &admin, &[("title", "Open")]).await.0, 200);
        for (id, days) in [(ids[0], 400), (ids[1], 60)] {
            let at = chrono::Utc::now() - chrono::Duration::days(days);
            on_db!(&app.db, |pool| {
                sqlx::query("UPDATE deals SET closed_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(id)
                    .execute(pool)
                    .await
                    .expect("backdate");
            });
        }
        for (window, expected) in [
            (None, vec!["Open", "Won today"]),
            (Some("90"), vec!["Open", "Won today", "Won last quarter"]),
            (
                Some("all"),
                vec!["Open", "Won today", "Won last quarter", "Won long ago"],
            ),
        ] {
            let filter: Vec<(&str, &str)> = window.map(|w| ("closed", w)).into_iter().collect();
            assert_eq!(
                titles(&board(&app, &admin, pipeline, &filter).await),
                expected,
                "newest closed first, within {window:?}"
            );
        }
    }
);

db_test!(
    a_stage_flagged_won_closes_its_deals_and_unflagging_reopens_them,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (pipeline, _) = stages(&app, &admin).await;
        let (status, stage) = app
            .call(
                &admin,
                "/api/stages/create",
                &[
                    ("pipeline_id", &pipeline.to_string()),
                    ("form[name]", "Signed"),
                    ("form[probability]", "90"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{stage}");
        let stage_id = stage["id"].to_string();
        let (_, deal) = create_deal(
            &app,
            &admin,
            &[("title", "Ink dry"), ("stage_id", &stage_id)],
        )
        .await;
        assert!(deal["closed_at"].is_null(), "{deal}");
        let id = deal["id"].to_string();
        for (won, closed) in [("true", true), ("false", false)] {
            let form = [
                ("id", stage_id.as_str()),
                ("form[name]", "Signed"),
                ("form[probability]", "90"),
                ("form[is_won]", won),
            ];
            let (status, body) = app.call(&admin, "/api/stages/update", &form).await;
            assert_eq!(status, 200, "{body}");
            let (_, deal) = app.call(&admin, "/api/deals/get", &[("id", &id)]).await;
            assert_eq!(!deal["closed_at"].is_null(), closed, "won {won}: {deal}");
            assert_eq!(
                titles(&board(&app, &admin, pipeline, &[]).await),
                ["Ink dry"],
                "on the board either way (closed today)"
            );
        }
    }
);

db_test!(bad_filters_and_cursors_name_their_field, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (pipeline, stages) = stages(&app, &admin).await;
    let pipeline = pipeline.to_string();
    for (filter, field) in [
        (("filter[owner]", "boss"), "owner"),
        (("filter[closed]", "7"), "closed"),
        (("filter[min]", "-1"), "min"),
    ] {
        let form = [("pipeline_id", pipeline.as_str()), filter];
        let (status, body) = app.call(&admin, "/api/deals/board", &form).await;
        assert_eq!(status, 422, "{filter:?}: {body}");
        assert_eq!(refused_field(&body), [field], "{body}");
    }
    let form = [
        ("pipeline_id", pipeline.as_str()),
        ("filter[min]", "10"),
        ("filter[max]", "5"),
    ];
    let (status, body) = app.call(&admin, "/api/deals/board", &form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(refused_field(&body), ["max"], "{body}");
    for cursor in ["", "zzz", "p1", "px.1", "c99999999999999999999.1", "q1.1"] {
        let form = [("stage_id", stages["New"].as_str()), ("cursor", cursor)];
        let (status, body) = app.call(&admin, "/api/deals/board_column", &form).await;
        assert_eq!(status, 422, "{cursor:?}: {body}");
        assert_eq!(refused_field(&body), ["cursor"], "{body}");
    }
});
