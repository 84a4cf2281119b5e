//! Moving deals between stages: timeline and audit, and the stage rules on every door.

use super::*;

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
