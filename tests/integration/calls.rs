//! Calls from dial to wrap-up: numbers to E.164, the state machine over the wire, the wrap-up
//! rules, the `call` activity on the timelines, the calls log's scope and recording rights, and
//! the PBX's CDR webhook (idempotent, unmatched records kept), on both backends.

use crate::harness::{registered_admin, TestApp};
use crm::on_db;
use serde_json::{json, Value};

async fn start(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> (u16, Value) {
    app.call_nested(client, "/api/calls/start", "form", fields)
        .await
}

async fn event(app: &TestApp, client: &reqwest::Client, id: i64, event: &str) -> (u16, Value) {
    app.call(
        client,
        "/api/calls/event",
        &[("id", &id.to_string()), ("event", event)],
    )
    .await
}

async fn wrap_up(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    disposition: &str,
    notes: &str,
) -> (u16, Value) {
    let form = [
        ("id", id.to_string()),
        ("form[disposition_id]", disposition.to_string()),
        ("form[notes]", notes.to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(client, "/api/calls/wrap_up", &form).await
}

async fn dispositions(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    let (status, body) = app.call(client, "/api/dispositions/list", &[]).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().expect("list").clone()
}

fn default_disposition(list: &[Value]) -> String {
    list.iter()
        .find(|d| d["is_default"] == true)
        .expect("a default disposition")["id"]
        .to_string()
}

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

db_test!(bad_numbers_and_other_tenants_records_are_refused, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let other = registered_admin(&app, "Beta", "bea@beta.example").await;
    let theirs = app
        .created(&other, "contacts", &[("name", "Bea's client")])
        .await;

    for bad in ["12", "call me", ""] {
        let (status, body) = start(&app, &admin, &[("number", bad)]).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body["Validation"]["fields"]["number"].is_string(), "{body}");
    }
    let (status, body) = start(
        &app,
        &admin,
        &[
            ("number", "+12015550123"),
            ("related_type", "contact"),
            ("related_id", &theirs.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["Validation"]["fields"]["related_id"].is_string(),
        "{body}"
    );
    assert!(!body.to_string().contains("Bea's client"), "{body}");
    let calls: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM calls"
    )
    .fetch_one(pool)
    .await
    .expect("count"));
    assert_eq!(calls, 0, "refused calls leave no row");

    // Another tenant's call cannot be moved or wrapped up: not found.
    let (status, call) = start(&app, &other, &[("number", "+4930123456")]).await;
    assert_eq!(status, 200, "{call}");
    let id = call["id"].as_i64().expect("id");
    assert_eq!(event(&app, &admin, id, "hang_up").await.0, 404);
    let list = dispositions(&app, &admin).await;
    assert_eq!(
        wrap_up(&app, &admin, id, &default_disposition(&list), "")
            .await
            .0,
        404
    );
    // …nor with the other tenant's disposition on one's own call.
    let (_, mine) = start(&app, &admin, &[("number", "+12015550123")]).await;
    let mine = mine["id"].as_i64().expect("id");
    event(&app, &admin, mine, "fail").await;
    let theirs_default = default_disposition(&dispositions(&app, &other).await);
    let (status, body) = wrap_up(&app, &admin, mine, &theirs_default, "").await;
    assert_eq!(status, 422, "{body}");
});

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

db_test!(the_calls_log_follows_scope_and_recording_rights, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    let default = default_disposition(&dispositions(&app, &admin).await);
    let mut ids = Vec::new();
    for (who, number) in [(&admin, "+12015550101"), (&agent, "+12015550102")] {
        let (_, call) = start(&app, who, &[("number", number)]).await;
        let id = call["id"].as_i64().expect("id");
        event(&app, who, id, "hang_up").await;
        assert_eq!(wrap_up(&app, who, id, &default, "").await.0, 200);
        ids.push(id);
    }
    on_db!(&app.db, |pool| {
        sqlx::query("UPDATE calls SET recording_url = 'https://pbx.example/r/1.wav'")
            .execute(pool)
            .await
            .expect("recording");
    });

    let (status, all) = app
        .call_nested(&admin, "/api/calls/list", "filter", &[])
        .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        all["calls"].as_array().map(Vec::len),
        Some(2),
        "admin sees everyone's"
    );
    assert_eq!(
        all["calls"][0]["recording_url"],
        "https://pbx.example/r/1.wav"
    );
    let (_, own) = app
        .call_nested(&agent, "/api/calls/list", "filter", &[])
        .await;
    let own = own["calls"].as_array().expect("calls").clone();
    assert_eq!(own.len(), 1, "an agent sees their own");
    assert_eq!(own[0]["id"], ids[1]);
    assert!(
        own[0]["recording_url"].is_null(),
        "no calls.recordings.view, no link"
    );

    let (_, inbound) = app
        .call_nested(
            &admin,
            "/api/calls/list",
            "filter",
            &[("direction", "inbound")],
        )
        .await;
    assert_eq!(inbound["calls"].as_array().map(Vec::len), Some(0));
    let (status, body) = app
        .call_nested(
            &admin,
            "/api/calls/list",
            "filter",
            &[("from", "yesterday")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["Validation"]["fields"]["from"].is_string(), "{body}");
});

/// The admin makes a PBX token in settings; its secret comes back once.
async fn pbx_token(app: &TestApp, admin: &reqwest::Client) -> String {
    let (status, made) = app.call(admin, "/api/pbx_tokens/rotate", &[]).await;
    assert_eq!(status, 200, "{made}");
    let secret = made["secret"].as_str().expect("secret").to_string();
    assert!(secret.starts_with("pbx_") && secret.len() == 68, "{secret}");
    secret
}

db_test!(
    the_pbx_webhook_attaches_records_once_and_keeps_unmatched_ones,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let api = app.api(&pbx_token(&app, &admin).await);
        let (_, call) = start(&app, &admin, &[("number", "+12015550123")]).await;
        let id = call["id"].as_i64().expect("id");

        let record = json!({"pbx_call_id": "fs-1", "call_id": id, "duration_seconds": 42, "recording_url": "https://pbx.example/r/fs-1.wav"});
        for _ in 0..2 {
            let (status, body) = api.post("/pbx/cdr", record.clone()).await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(body, json!({"status": "attached", "call_id": id}));
        }
        // Later records for the same PBX call find it by pbx_call_id alone.
        let (status, _) = api
            .post(
                "/pbx/cdr",
                json!({"pbx_call_id": "fs-1", "duration_seconds": 43}),
            )
            .await;
        assert_eq!(status, 200);
        let row: (Option<String>, Option<i64>, Option<String>) =
            on_db!(&app.db, |pool| sqlx::query_as(
                "SELECT pbx_call_id, duration_seconds, recording_url FROM calls WHERE id = $1"
            )
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("call"));
        assert_eq!(
            row,
            (
                Some("fs-1".into()),
                Some(43),
                Some("https://pbx.example/r/fs-1.wav".into())
            )
        );
        // No person posted it: the audit row names the PBX token, not an actor.
        let audited: (Option<i64>, String) = on_db!(&app.db, |pool| {
            sqlx::query_as(
            "SELECT actor_id, CAST(changes AS TEXT) FROM audit_log WHERE action = 'call.cdr_received' AND entity_id = $1 ORDER BY id LIMIT 1")
            .bind(id).fetch_one(pool).await.expect("audit row")
        });
        assert_eq!(audited.0, None);
        assert!(audited.1.contains("pbx_"), "{}", audited.1);

        for _ in 0..2 {
            let (status, body) = api
                .post(
                    "/pbx/cdr",
                    json!({"pbx_call_id": "fs-unknown", "duration_seconds": 5}),
                )
                .await;
            assert_eq!(status, 202, "{body}");
            assert_eq!(body["status"], "unmatched");
        }
        let kept: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM pbx_unmatched_cdrs WHERE pbx_call_id = 'fs-unknown'"
        )
        .fetch_one(pool)
        .await
        .expect("count"));
        assert_eq!(kept, 1, "stored once, not dropped");

        let (status, body) = api
            .post(
                "/pbx/cdr",
                json!({"pbx_call_id": "", "duration_seconds": -1, "recording_url": "ftp://x"}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        for field in ["pbx_call_id", "duration_seconds", "recording_url"] {
            assert!(
                body["error"]["fields"][field].is_string(),
                "{field}: {body}"
            );
        }
    }
);

db_test!(
    only_the_tenants_pbx_token_posts_call_records_and_it_posts_nothing_else,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (_, call) = start(&app, &admin, &[("number", "+12015550123")]).await;
        let id = call["id"].as_i64().expect("id");
        let record = json!({"pbx_call_id": "fs-1", "call_id": id, "duration_seconds": 42});

        // An admin's personal token no longer opens the webhook, and no token makes 401.
        let personal = app.api(&app.api_token(&admin).await);
        let (status, body) = personal.post("/pbx/cdr", record.clone()).await;
        assert_eq!(status, 401, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("PBX token"),
            "{body}"
        );
        for secret in [
            "",
            "pbx_0000000000000000000000000000000000000000000000000000000000000000",
        ] {
            assert_eq!(
                app.api(secret).post("/pbx/cdr", record.clone()).await.0,
                401
            );
        }

        // The PBX token does nothing but post call records.
        let secret = pbx_token(&app, &admin).await;
        let pbx = app.api(&secret);
        for path in ["/me", "/contacts", "/deals"] {
            let (status, body) = pbx.get(path).await;
            assert_eq!(status, 401, "{path}: {body}");
        }

        // Only settings.manage makes, lists or revokes PBX tokens.
        let agent = app
            .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
            .await;
        for op in [
            "/api/pbx_tokens/rotate",
            "/api/pbx_tokens/list",
            "/api/pbx_tokens/revoke",
        ] {
            assert_eq!(app.call(&agent, op, &[]).await.0, 403, "{op}");
        }

        // Another tenant's PBX token never reaches Alpha's calls.
        let beta = registered_admin(&app, "Beta", "bea@beta.example").await;
        let beta_pbx = app.api(&pbx_token(&app, &beta).await);
        let (status, body) = beta_pbx.post("/pbx/cdr", record.clone()).await;
        assert_eq!(
            (status, body["status"].as_str()),
            (202, Some("unmatched")),
            "{body}"
        );
        let untouched: Option<String> = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT pbx_call_id FROM calls WHERE id = $1"
        )
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("call"));
        assert_eq!(untouched, None);

        // Rotating: the token before keeps working for a day, then stops.
        let (status, body) = pbx.post("/pbx/cdr", record.clone()).await;
        assert_eq!(status, 200, "{body}");
        let newer = app.api(&pbx_token(&app, &admin).await);
        let (_, listed) = app.call(&admin, "/api/pbx_tokens/list", &[]).await;
        let listed = listed.as_array().expect("list").clone();
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert!(
            listed[0]["expires_at"].is_null() && listed[1]["expires_at"].is_string(),
            "{listed:?}"
        );
        assert_eq!(
            pbx.post("/pbx/cdr", record.clone()).await.0,
            200,
            "within the grace"
        );
        on_db!(&app.db, |pool| sqlx::query(
            "UPDATE pbx_tokens SET expires_at = $1 WHERE expires_at IS NOT NULL"
        )
        .bind(chrono::Utc::now() - chrono::Duration::seconds(1))
        .execute(pool)
        .await
        .expect("end the grace")
        .rows_affected());
        assert_eq!(
            pbx.post("/pbx/cdr", record.clone()).await.0,
            401,
            "after the grace"
        );
        assert_eq!(newer.post("/pbx/cdr", record.clone()).await.0, 200);

        // Revoking ends every PBX token of the tenant now, and only that tenant's.
        let (status, ended) = app.call(&admin, "/api/pbx_tokens/revoke", &[]).await;
        assert_eq!((status, ended), (200, json!(1)));
        assert_eq!(newer.post("/pbx/cdr", record.clone()).await.0, 401);
        let (_, listed) = app.call(&admin, "/api/pbx_tokens/list", &[]).await;
        assert_eq!(listed, json!([]));
        assert_eq!(beta_pbx.post("/pbx/cdr", record.clone()).await.0, 202);

        // A suspended tenant's PBX is refused too.
        on_db!(&app.db, |pool| sqlx::query(
            "UPDATE tenants SET status = 'suspended' WHERE name = 'Beta'"
        )
        .execute(pool)
        .await
        .expect("suspend")
        .rows_affected());
        assert_eq!(beta_pbx.post("/pbx/cdr", record).await.0, 401);
    }
);

db_test!(the_calls_page_and_the_console_are_served_as_html, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    let (status, _) = start(&app, &admin, &[("number", "+12015550123")]).await;
    assert_eq!(status, 200);

    let html = |client: &reqwest::Client, path: &'static str| {
        let request = client.get(app.url(path));
        async move {
            let response = request.send().await.expect("request");
            (
                response.status().as_u16(),
                response.text().await.expect("body"),
            )
        }
    };
    let (status, page) = html(&admin, "/calls").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"calls-log\""), "{page}");
    assert!(page.contains("+12015550123"), "the admin sees the call");
    let (status, page) = html(&agent, "/calls").await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("+12015550123"),
        "an agent sees only their own calls"
    );
    assert!(page.contains("data-testid=\"no-calls\""), "{page}");
    let (status, page) = html(&admin, "/console").await;
    assert_eq!(status, 200);
    assert!(page.contains("Agent console"), "{page}");
});

db_test!(numbers_are_read_in_the_tenants_default_country, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (status, body) = app.call(&admin, "/api/calls/default_country", &[]).await;
    assert_eq!((status, body.as_str()), (200, Some("US")), "{body}");
    let (status, body) = app
        .call(
            &admin,
            "/api/calls/set_default_country",
            &[("country", "XX")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["Validation"]["fields"]["country"].is_string(),
        "{body}"
    );
    let (status, body) = app
        .call(
            &admin,
            "/api/calls/set_default_country",
            &[("country", " de ")],
        )
        .await;
    assert_eq!((status, body.as_str()), (200, Some("DE")), "{body}");

    let (status, call) = start(&app, &admin, &[("number", "030 1234567")]).await;
    assert_eq!(status, 200, "{call}");
    assert_eq!(call["to_number"], "+49301234567");

    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    assert_eq!(
        app.call(
            &agent,
            "/api/calls/set_default_country",
            &[("country", "GB")]
        )
        .await
        .0,
        403
    );
    let other = registered_admin(&app, "Beta", "bea@beta.example").await;
    let (_, theirs) = app.call(&other, "/api/calls/default_country", &[]).await;
    assert_eq!(theirs, "US", "one tenant's setting is its own");
});

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

db_test!(only_roles_that_may_place_calls_get_a_call_button, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let contact = app
        .created(
            &admin,
            "contacts",
            &[("name", "Zoë Ørsted"), ("phone", "+12015550123")],
        )
        .await;
    let path = format!("/contacts/{contact}");
    let reader = app
        .user_signed_in(&admin, "reader@alpha.example", "read_only", "")
        .await;
    for (client, may_call) in [(&admin, true), (&reader, false)] {
        let response = client.get(app.url(&path)).send().await.expect("card");
        assert_eq!(response.status().as_u16(), 200);
        let html = response.text().await.expect("body");
        assert!(
            html.contains("+12015550123"),
            "the number is shown either way"
        );
        assert_eq!(
            html.contains("call-button"),
            may_call,
            "may_call = {may_call}"
        );
    }
});
