//! A call through the console: dial, answer, hang up, wrap up, inbound, one open call at a time.

use super::*;

db_test!(
    a_call_runs_from_dial_to_wrap_up_and_lands_on_the_timeline,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let contact = app
            .created(
                &admin,
                "contacts",
                &[("name", "Zoë Ørsted"), ("phone", "(201) 555-0123")],
            )
            .await;
        let contact_id = contact.to_string();

        let (status, call) = start(
            &app,
            &admin,
            &[
                ("number", "(201) 555-0123"),
                ("related_type", "contact"),
                ("related_id", &contact_id),
                ("request_id", "req-1"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{call}");
        assert_eq!(call["state"], "dialing");
        assert_eq!(
            call["to_number"], "+12015550123",
            "stored in E.164 (tenant default US)"
        );
        assert_eq!(call["contact_id"], contact);
        let id = call["id"].as_i64().expect("id");

        // The same click-to-call request again is the same call, not a second dial.
        let (status, again) = start(
            &app,
            &admin,
            &[("number", "(201) 555-0123"), ("request_id", "req-1")],
        )
        .await;
        assert_eq!((status, again["id"].as_i64()), (200, Some(id)), "{again}");
        // Another call while this one is going is refused.
        let (status, body) = start(&app, &admin, &[("number", "+12015550100")]).await;
        assert_eq!(status, 409, "{body}");

        // Only allowed transitions: answer, not answer twice, then hang up.
        assert_eq!(
            event(&app, &admin, id, "answer").await.1["state"],
            "answered"
        );
        let (status, body) = event(&app, &admin, id, "answer").await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(event(&app, &admin, id, "wrap_up").await.0, 422);
        assert_eq!(event(&app, &admin, id, "teleport").await.0, 422);
        let (status, ended) = event(&app, &admin, id, "hang_up").await;
        assert_eq!(
            (status, ended["state"].as_str()),
            (200, Some("ended")),
            "{ended}"
        );
        assert!(
            ended["duration_seconds"].as_i64().is_some_and(|d| d >= 0),
            "{ended}"
        );
        // Still waiting for its wrap-up: no next call yet.
        assert_eq!(
            start(&app, &admin, &[("number", "+12015550100")]).await.0,
            409
        );

        // Wrap-up rules: a disposition is required; a note when the disposition says so.
        let (status, body) = wrap_up(&app, &admin, id, "", "").await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body["Validation"]["fields"]["disposition_id"].is_string(),
            "{body}"
        );
        let (status, callback) = app
            .call_nested(
                &admin,
                "/api/dispositions/create",
                "form",
                &[
                    ("name", "Promised to think it over"),
                    ("requires_note", "true"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{callback}");
        let (status, body) = wrap_up(&app, &admin, id, &callback["id"].to_string(), "  ").await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body["Validation"]["fields"]["notes"]
                .as_str()
                .is_some_and(|m| m.contains("Promised to think it over")),
            "{body}"
        );
        let call_row: (String,) = on_db!(&app.db, |pool| sqlx::query_as(
            "SELECT state FROM calls WHERE id = $1"
        )
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("call"));
        assert_eq!(call_row.0, "ended", "a refused wrap-up changes nothing");

        let (status, done) = wrap_up(
            &app,
            &admin,
            id,
            &callback["id"].to_string(),
            "Call back Tuesday",
        )
        .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["state"], "wrapped_up");
        assert_eq!(done["disposition_name"], "Promised to think it over");
        assert_eq!(
            wrap_up(&app, &admin, id, &callback["id"].to_string(), "again")
                .await
                .0,
            409
        );

        // On the contact's timeline as a call, and the contact counts as contacted.
        let (status, timeline) = app
            .call(
                &admin,
                "/api/activities/timeline",
                &[("of", "contact"), ("id", &contact_id)],
            )
            .await;
        assert_eq!(status, 200, "{timeline}");
        let calls: Vec<&Value> = timeline["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|a| a["kind"] == "call")
            .collect();
        assert_eq!(calls.len(), 1, "{timeline}");
        assert_eq!(calls[0]["body"], "Call back Tuesday");
        let (status, card) = app
            .call(&admin, "/api/contacts/get", &[("id", &contact_id)])
            .await;
        assert_eq!(status, 200, "{card}");
        assert!(card["last_contacted_at"].is_string(), "{card}");

        // Now the next call may start.
        assert_eq!(
            start(&app, &admin, &[("number", "+12015550100")]).await.0,
            200
        );
    }
);

db_test!(
    inbound_calls_find_their_contact_and_interrupted_calls_ask_for_wrap_up,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let contact = app
            .created(
                &admin,
                "contacts",
                &[("name", "Caller"), ("phone", "+1 201 555 0199")],
            )
            .await;
        let (status, call) = start(
            &app,
            &admin,
            &[("number", "2015550199"), ("direction", "inbound")],
        )
        .await;
        assert_eq!(status, 200, "{call}");
        assert_eq!(call["from_number"], "+12015550199");
        assert_eq!(call["contact_id"], contact, "looked up by number");
        let id = call["id"].as_i64().expect("id");
        event(&app, &admin, id, "answer").await;

        // The console went away mid-call: the next console finds it live and closes it.
        let (status, console) = app.call(&admin, "/api/calls/console", &[]).await;
        assert_eq!(status, 200, "{console}");
        assert_eq!(console["current"]["id"], id);
        assert_eq!(console["current"]["state"], "answered");
        let (status, closed) = event(&app, &admin, id, "interrupt").await;
        assert_eq!(
            (status, closed["state"].as_str()),
            (200, Some("interrupted")),
            "{closed}"
        );
        let (_, console) = app.call(&admin, "/api/calls/console", &[]).await;
        assert_eq!(
            console["current"]["state"], "interrupted",
            "wrap-up asked for"
        );
        assert!(!console["dispositions"]
            .as_array()
            .expect("dispositions")
            .is_empty());
        let default = default_disposition(&dispositions(&app, &admin).await);
        assert_eq!(wrap_up(&app, &admin, id, &default, "").await.0, 200);
        let (_, console) = app.call(&admin, "/api/calls/console", &[]).await;
        assert!(console["current"].is_null(), "{console}");
        assert_eq!(console["recent"][0]["id"], id);
    }
);

db_test!(
    calls_started_at_the_same_moment_leave_one_unfinished_call,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let numbers: Vec<String> = (0..8).map(|i| format!("+1201555010{i}")).collect();
        let answers = futures::future::join_all(
            numbers
                .iter()
                .map(|n| async { start(&app, &admin, &[("number", n.as_str())]).await }),
        )
        .await;
        let started = answers.iter().filter(|(status, _)| *status == 200).count();
        assert_eq!(started, 1, "{answers:?}");
        for (status, body) in answers.iter().filter(|(s, _)| *s != 200) {
            assert_eq!(*status, 409, "a refused start is a conflict: {body}");
        }
        let unfinished: i64 = on_db!(&app.db, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM calls WHERE state <> 'wrapped_up'")
                .fetch_one(pool)
                .await
                .expect("count")
        });
        assert_eq!(unfinished, 1);
    }
);
