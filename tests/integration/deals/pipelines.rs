//! Pipelines and stages: the default pipeline, admins editing stages and rules, agents kept out.

use super::*;

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
