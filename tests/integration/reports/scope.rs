//! Whose numbers the dashboard shows: own, team or everyone's; strangers turned away.

use super::*;

db_test!(
    an_agent_sees_their_own_numbers_and_an_admin_everyones,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let agent = app
            .user_signed_in(&admin, "sam@alpha.example", "sales_agent", "")
            .await;
        let ids = stage_ids(&app, &admin).await;
        deal(&app, &admin, "Admin's", &ids["New"], "100", "EUR").await;
        deal(&app, &agent, "Sam's", &ids["New"], "10", "EUR").await;
        deal(&app, &admin, "Admin won", &ids["Won"], "1", "EUR").await;
        deal(&app, &agent, "Sam won", &ids["Won"], "2", "EUR").await;
        let admin_contact = contact(&app, &admin, "Ana").await;
        let agent_contact = contact(&app, &agent, "Sol").await;
        let past = Utc::now() - Duration::hours(1);
        task(&app, &admin, "Admin late", past, &admin_contact).await;
        task(&app, &agent, "Sam late", past, &agent_contact).await;

        let mine = dashboard(&app, &agent).await;
        assert_eq!(
            stage(&mine, "New")["amounts"],
            json!([{"currency": "EUR", "amount_minor": 1000, "count": 1}])
        );
        assert_eq!(mine["won_lost"]["won_count"], 1);
        assert_eq!(mine["won_lost"]["won_amounts"][0]["amount_minor"], 200);
        assert_eq!(mine["overdue_tasks"]["count"], 1);
        assert_eq!(mine["overdue_tasks"]["top"][0]["title"], "Sam late");

        let all = dashboard(&app, &admin).await;
        assert_eq!(
            stage(&all, "New")["amounts"],
            json!([{"currency": "EUR", "amount_minor": 11000, "count": 2}])
        );
        assert_eq!(all["won_lost"]["won_count"], 2);
        assert_eq!(all["overdue_tasks"]["count"], 2);
    }
);

db_test!(
    a_foreign_pipeline_is_not_found_and_strangers_are_turned_away,
    |app| {
        let a = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let b = registered_admin(&app, "Beta", "bea@beta.example").await;
        let (_, b_pipelines) = app.call(&b, "/api/pipelines/list", &[]).await;
        let b_pipeline = b_pipelines[0]["id"].to_string();
        let (_, a_pipelines) = app.call(&a, "/api/pipelines/list", &[]).await;
        let a_pipeline = a_pipelines[0]["id"].to_string();

        let (status, _) = app
            .call(
                &a,
                "/api/reports/dashboard",
                &[("pipeline_id", &b_pipeline)],
            )
            .await;
        assert_eq!(status, 404);
        let (status, _) = app
            .call(
                &a,
                "/api/reports/dashboard",
                &[("pipeline_id", "987654321")],
            )
            .await;
        assert_eq!(status, 404);
        let (status, own) = app
            .call(
                &a,
                "/api/reports/dashboard",
                &[("pipeline_id", &a_pipeline)],
            )
            .await;
        assert_eq!(status, 200, "{own}");
        assert_eq!(own["pipeline_id"].to_string(), a_pipeline);

        // A second pipeline is chosen by id; without one the default is shown.
        let (status, second) = app
            .call(&a, "/api/pipelines/create", &[("name", "Renewals")])
            .await;
        assert_eq!(status, 200, "{second}");
        let (_, chosen) = app
            .call(
                &a,
                "/api/reports/dashboard",
                &[("pipeline_id", &second["id"].to_string())],
            )
            .await;
        assert_eq!(chosen["pipeline_id"], second["id"]);
        assert_eq!(chosen["pipelines"].as_array().expect("pipelines").len(), 2);
        assert_eq!(
            dashboard(&app, &a).await["pipeline_id"].to_string(),
            a_pipeline
        );

        let (status, _) = app
            .call(
                &crate::harness::new_browser(),
                "/api/reports/dashboard",
                &[],
            )
            .await;
        assert_eq!(status, 401);
    }
);

db_test!(a_supervisor_counts_their_team_only, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (status, team) = app
        .call(&admin, "/api/teams/create", &[("name", "North")])
        .await;
    assert_eq!(status, 200, "{team}");
    let team = team["id"].to_string();
    let boss = app
        .user_signed_in(&admin, "sue@alpha.example", "supervisor", &team)
        .await;
    let member = app
        .user_signed_in(&admin, "tom@alpha.example", "sales_agent", &team)
        .await;
    let outsider = app
        .user_signed_in(&admin, "ola@alpha.example", "sales_agent", "")
        .await;
    let ids = stage_ids(&app, &admin).await;
    deal(&app, &member, "Team's", &ids["New"], "10", "EUR").await;
    deal(&app, &boss, "Boss's", &ids["New"], "1", "EUR").await;
    deal(&app, &outsider, "Outside", &ids["New"], "100", "EUR").await;

    let d = dashboard(&app, &boss).await;
    assert_eq!(
        stage(&d, "New")["amounts"],
        json!([{"currency": "EUR", "amount_minor": 1100, "count": 2}])
    );
});
