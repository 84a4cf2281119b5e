//! The board: column order, who sees and moves which deals, deleted deals and their restore.

use super::*;

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
    let board = board(&app, &admin, pipeline, &[]).await;
    assert_eq!(titles(&board), ["Three", "One", "Two"]);
    assert_eq!(board[0]["count"], 3, "all three in New");
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
    let theirs = board(&app, &agents[1], pipeline, &[]).await;
    assert!(titles(&theirs).is_empty());
    assert_eq!(theirs[0]["count"], 0, "nor counts them");
    assert_eq!(
        titles(&board(&app, &agents[2], pipeline, &[]).await),
        ["Nils's"],
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
        assert!(titles(&board(&app, &admin, pipeline, &[]).await).is_empty());
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
