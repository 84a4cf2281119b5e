//! REST API v1: personal tokens (hashed, revocable), the resources over JSON with the same rules
//! as the UI, JSON errors naming their field, and the OpenAPI document checked against the routes.

use crate::harness::{registered_admin, ApiClient, TestApp};
use crm::on_db;
use serde_json::{json, Value};

async fn admin_api(app: &TestApp, company: &str) -> (reqwest::Client, ApiClient) {
    let email = format!("admin@{}.example", company.to_lowercase());
    let browser = registered_admin(app, company, &email).await;
    let token = app.api_token(&browser).await;
    (browser, app.api(&token))
}

/// The default pipeline's stage ids by name.
async fn stage_ids(api: &ApiClient) -> std::collections::HashMap<String, i64> {
    let (status, pipelines) = api.get("/pipelines").await;
    assert_eq!(status, 200, "{pipelines}");
    pipelines[0]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            let name = s["name"].as_str().expect("name").to_string();
            (name, s["id"].as_i64().expect("id"))
        })
        .collect()
}

fn field<'a>(body: &'a Value, name: &str) -> &'a Value {
    &body["error"]["fields"][name]
}

db_test!(without_a_valid_token_the_api_answers_401, |app| {
    let (browser, api) = admin_api(&app, "Alpha").await;
    let (status, me) = api.get("/me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], "admin@alpha.example");
    assert_eq!(me["role"], "tenant_admin");

    let anonymous = reqwest::Client::new()
        .get(app.url("/api/v1/deals"))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        anonymous.headers()["www-authenticate"],
        "Bearer realm=\"crm\""
    );
    let body: Value = anonymous.json().await.expect("json");
    assert_eq!(body["error"]["code"], "unauthorized");

    let forged = app.api("crm_0000000000000000000000000000000000000000000000000000000000000000");
    assert_eq!(forged.get("/deals").await.0, 401);
    // A session cookie is no API credential.
    let (status, _) = app.call(&browser, "/api/v1/deals", &[]).await;
    assert_eq!(status, 401);
});

db_test!(tokens_are_stored_hashed_shown_once_and_revocable, |app| {
    let browser = registered_admin(&app, "Alpha", "admin@alpha.example").await;
    let (status, made) = app
        .call(
            &browser,
            "/api/api_tokens/create",
            &[("name", "Zapier"), ("expires_in_days", "30")],
        )
        .await;
    assert_eq!(status, 200, "{made}");
    let secret = made["secret"].as_str().expect("secret").to_string();
    assert!(secret.starts_with("crm_") && secret.len() == 68, "{secret}");

    let rows: Vec<(String, String)> = on_db!(&app.db, |pool| {
        sqlx::query_as("SELECT prefix, token_hash FROM api_tokens")
            .fetch_all(pool)
            .await
            .expect("rows")
    });
    assert_eq!(rows.len(), 1);
    assert!(
        secret.starts_with(&rows[0].0),
        "the prefix is the secret's start"
    );
    assert_ne!(rows[0].1, secret, "only a hash is stored");
    assert!(!rows[0].1.contains(&secret[4..]), "{rows:?}");

    let (status, listed) = app.call(&browser, "/api/api_tokens/list", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["name"], "Zapier");
    assert!(
        !listed.to_string().contains(&secret),
        "the list never shows the secret"
    );
    assert!(listed[0]["expires_at"].is_string());

    let api = app.api(&secret);
    assert_eq!(api.get("/me").await.0, 200);
    let (_, listed) = app.call(&browser, "/api/api_tokens/list", &[]).await;
    assert!(listed[0]["last_used_at"].is_string(), "{listed}");

    let id = made["token"]["id"].as_i64().expect("id").to_string();
    let (status, _) = app
        .call(&browser, "/api/api_tokens/revoke", &[("id", &id)])
        .await;
    assert_eq!(status, 200);
    assert_eq!(api.get("/me").await.0, 401, "a revoked token stops working");
    let (status, _) = app
        .call(&browser, "/api/api_tokens/revoke", &[("id", &id)])
        .await;
    assert_eq!(status, 404, "revoked already");

    let (status, body) = app
        .call(
            &browser,
            "/api/api_tokens/create",
            &[("name", " "), ("expires_in_days", "9999")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["Validation"]["fields"]["name"].is_string(), "{body}");
    assert!(
        body["Validation"]["fields"]["expires_in_days"].is_string(),
        "{body}"
    );
});

db_test!(expired_tokens_and_deactivated_users_are_refused, |app| {
    let (admin, _) = admin_api(&app, "Alpha").await;
    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    let agent_api = app.api(&app.api_token(&agent).await);
    assert_eq!(agent_api.get("/me").await.0, 200);

    let agent_id: i64 = on_db!(&app.db, |pool| {
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'agent@alpha.example'")
            .fetch_one(pool)
            .await
            .expect("id")
    });
    let (status, _) = app
        .call(
            &admin,
            "/api/users/set_active",
            &[("user_id", &agent_id.to_string()), ("active", "false")],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(agent_api.get("/me").await.0, 401);

    let token = app.api_token(&admin).await;
    on_db!(&app.db, |pool| {
        sqlx::query("UPDATE api_tokens SET expires_at = $1")
            .bind(chrono::Utc::now() - chrono::Duration::minutes(1))
            .execute(pool)
            .await
            .expect("expire");
    });
    assert_eq!(app.api(&token).get("/me").await.0, 401);
});

db_test!(deals_over_rest_follow_the_same_rules, |app| {
    let (_, api) = admin_api(&app, "Alpha").await;
    let stages = stage_ids(&api).await;

    let (status, deal) = api
        .post(
            "/deals",
            json!({"title": "Rollout", "amount_minor": 125_050, "currency": "usd", "expected_close_on": "2026-12-31"}),
        )
        .await;
    assert_eq!(status, 201, "{deal}");
    assert_eq!(deal["amount_minor"], 125_050);
    assert_eq!(deal["currency"], "USD");
    assert_eq!(deal["stage_name"], "New");
    let id = deal["id"].as_i64().expect("id");

    // PATCH changes what it names, keeps the rest, and moves the version on.
    let (status, edited) = api
        .patch(
            &format!("/deals/{id}"),
            json!({"version": 1, "title": "Rollout EU"}),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["title"], "Rollout EU");
    assert_eq!(edited["amount_minor"], 125_050);
    assert_eq!(edited["expected_close_on"], "2026-12-31");
    assert_eq!(edited["version"], 2);
    let (status, cleared) = api
        .patch(
            &format!("/deals/{id}"),
            json!({"version": 2, "expected_close_on": null}),
        )
        .await;
    assert_eq!(status, 200, "{cleared}");
    assert_eq!(cleared["expected_close_on"], Value::Null);

    // A stale version is a 409 carrying the deal as it is now; nothing changes.
    let (status, stale) = api
        .patch(
            &format!("/deals/{id}"),
            json!({"version": 1, "title": "Lost update"}),
        )
        .await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["error"]["code"], "stale_version");
    assert_eq!(stale["error"]["current"]["title"], "Rollout EU");
    assert_eq!(stale["error"]["current"]["version"], 3);

    // A stage that requires a note refuses a move without one, naming the field.
    let lost = stages["Lost"];
    let (status, refused) = api
        .post(
            &format!("/deals/{id}/move"),
            json!({"stage_id": lost, "version": 3}),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(field(&refused, "note").is_string(), "{refused}");
    let (status, moved) = api
        .post(
            &format!("/deals/{id}/move"),
            json!({"stage_id": lost, "version": 3, "note": "Went with a competitor"}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["deal"]["stage_id"], lost);
    assert!(moved["deal"]["closed_at"].is_string());
    assert_eq!(moved["stage"]["name"], "Lost");
    assert_eq!(moved["stage"]["is_lost"], true);
    assert_eq!(moved["activity"]["kind"], "stage_change");
    let (status, timeline) = api.get(&format!("/deals/{id}/timeline")).await;
    assert_eq!(status, 200, "{timeline}");
    assert_eq!(timeline["items"][0]["kind"], "stage_change");

    let (status, gone) = api.delete(&format!("/deals/{id}")).await;
    assert_eq!((status, gone), (204, Value::Null));
    assert_eq!(api.get(&format!("/deals/{id}")).await.0, 404);
    let (status, back) = api.post(&format!("/deals/{id}/restore"), json!({})).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(api.get(&format!("/deals/{id}")).await.0, 200);
});

db_test!(deal_lists_filter_and_page_without_gaps_or_repeats, |app| {
    let (_, api) = admin_api(&app, "Alpha").await;
    let stages = stage_ids(&api).await;
    let qualified = stages["Qualified"];
    for n in 0..5 {
        let (status, body) = api
            .post(
                "/deals",
                json!({"title": format!("Q{n}"), "stage_id": qualified}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, _) = api.post("/deals", json!({"title": "Elsewhere"})).await;
    assert_eq!(status, 201);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/deals?stage_id={qualified}&limit=2&cursor={c}"),
            None => format!("/deals?stage_id={qualified}&limit=2"),
        };
        let (status, page) = api.get(&path).await;
        assert_eq!(status, 200, "{page}");
        for deal in page["items"].as_array().expect("items") {
            seen.push(deal["title"].as_str().expect("title").to_string());
        }
        if seen.len() == 2 {
            // Deals added while paging come after the cursor and are not skipped.
            let (status, _) = api
                .post("/deals", json!({"title": "Q5", "stage_id": qualified}))
                .await;
            assert_eq!(status, 201);
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ["Q0", "Q1", "Q2", "Q3", "Q4", "Q5"]);

    let (status, bad) = api.get("/deals?stage_id=abc").await;
    assert_eq!(status, 422, "{bad}");
    assert!(field(&bad, "stage_id").is_string(), "{bad}");
    let (status, bad) = api.get("/deals?cursor=nonsense").await;
    assert_eq!(status, 422, "{bad}");
    assert!(field(&bad, "cursor").is_string(), "{bad}");
});

db_test!(
    bad_input_gets_a_json_error_per_field_and_writes_nothing,
    |app| {
        let (_, api) = admin_api(&app, "Alpha").await;
        let (status, body) = api
        .post(
            "/deals",
            json!({"title": "", "amount_minor": -5, "currency": "XYZ", "stage_id": 999_999, "expected_close_on": "31.12.2026"}),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "validation_failed");
        for name in [
            "title",
            "amount_minor",
            "currency",
            "stage_id",
            "expected_close_on",
        ] {
            assert!(field(&body, name).is_string(), "{name}: {body}");
        }
        assert_eq!(field(&body, "amount_minor"), "must not be negative");

        let (status, body) = api
            .post("/deals", json!({"title": "x", "amount_minor": "ten"}))
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(field(&body, "amount_minor").is_string(), "{body}");
        let (status, body) = api
            .post("/deals", json!({"title": "x", "titel": "typo"}))
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(field(&body, "titel").is_string(), "{body}");
        let (status, body) = api.patch("/deals/1", json!({"title": "no version"})).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(field(&body, "version"), "is required");

        let raw = reqwest::Client::new()
            .post(app.url("/api/v1/deals"))
            .bearer_auth(&api_token_of(&app).await)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("request");
        assert_eq!(raw.status(), 400);
        let body: Value = raw.json().await.expect("json");
        assert_eq!(body["error"]["code"], "bad_request");

        let count: i64 = on_db!(&app.db, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM deals")
                .fetch_one(pool)
                .await
                .expect("count")
        });
        assert_eq!(count, 0, "nothing written");
    }
);

/// A second token of the tenant's admin, for raw requests.
async fn api_token_of(app: &TestApp) -> String {
    let browser = crate::harness::new_browser();
    let (status, _) = app
        .call(
            &browser,
            "/api/auth/sign_in",
            &[
                ("email", "admin@alpha.example"),
                ("password", crate::harness::TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 200);
    app.api_token(&browser).await
}

db_test!(contacts_activities_and_tasks_over_rest, |app| {
    let (_, api) = admin_api(&app, "Alpha").await;
    let (status, contact) = api
        .post(
            "/contacts",
            json!({"name": "Zoë Ørsted", "email": "zoe@example.com", "phone": "+49 30 1234567"}),
        )
        .await;
    assert_eq!(status, 201, "{contact}");
    let id = contact["id"].as_i64().expect("id");

    let (status, dup) = api
        .post(
            "/contacts",
            json!({"name": "Zoe again", "email": "ZOE@example.com"}),
        )
        .await;
    assert_eq!(status, 409, "{dup}");
    assert_eq!(dup["error"]["code"], "duplicate");
    assert_eq!(dup["error"]["existing_id"], id);
    assert!(field(&dup, "email").is_string(), "{dup}");

    let (status, found) = api.get("/contacts?q=ZOE%20orsted").await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["items"][0]["id"], id, "accent- and case-blind search");

    let (status, edited) = api
        .patch(
            &format!("/contacts/{id}"),
            json!({"phone": null, "status": "Hot"}),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["phone"], Value::Null);
    assert_eq!(edited["status"], "Hot");
    assert_eq!(edited["email"], "zoe@example.com", "untouched");

    let (status, call) = api
        .post(
            "/activities",
            json!({"kind": "call", "body": "Discussed the rollout", "direction": "outbound", "duration_seconds": 240, "contact_id": id}),
        )
        .await;
    assert_eq!(status, 201, "{call}");
    let (_, timeline) = api.get(&format!("/contacts/{id}/timeline")).await;
    assert_eq!(timeline["items"][0]["id"], call["id"]);
    let (_, contact) = api.get(&format!("/contacts/{id}")).await;
    assert!(contact["last_contacted_at"].is_string(), "{contact}");
    let activity = call["id"].as_i64().expect("id");
    for method in [
        reqwest::Method::PATCH,
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
    ] {
        let (status, _) = api
            .send(
                method.clone(),
                &format!("/activities/{activity}"),
                Some(json!({})),
            )
            .await;
        assert!(
            matches!(status, 404 | 405),
            "{method} on an activity: {status}"
        );
    }

    let (status, task) = api
        .post(
            "/tasks",
            json!({"title": "Send the offer", "due_at": "2026-11-24T09:00:00Z", "contact_id": id}),
        )
        .await;
    assert_eq!(status, 201, "{task}");
    let (_, contact) = api.get(&format!("/contacts/{id}")).await;
    assert_eq!(contact["next_followup_at"], task["due_at"]);
    let task_id = task["id"].as_i64().expect("id");
    let (status, done) = api
        .patch(&format!("/tasks/{task_id}"), json!({"status": "completed"}))
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["status"], "completed");
    let (_, contact) = api.get(&format!("/contacts/{id}")).await;
    assert_eq!(contact["next_followup_at"], Value::Null);
    let (status, bad) = api
        .post("/tasks", json!({"title": "x", "due_at": "tomorrow-ish"}))
        .await;
    assert_eq!(status, 422);
    assert!(field(&bad, "due_at").is_string(), "{bad}");

    let (status, company) = api.post("/companies", json!({"name": "Ørsted A/S"})).await;
    assert_eq!(status, 201, "{company}");
    let company_id = company["id"].as_i64().expect("id");
    let (status, linked) = api
        .patch(
            &format!("/contacts/{id}"),
            json!({"company_id": company_id}),
        )
        .await;
    assert_eq!(status, 200, "{linked}");
    assert_eq!(linked["company_name"], "Ørsted A/S");
    let (status, _) = api.get(&format!("/companies/{company_id}/timeline")).await;
    assert_eq!(status, 200);
});

db_test!(read_only_tokens_cannot_write, |app| {
    let (admin, _) = admin_api(&app, "Alpha").await;
    let viewer = app
        .user_signed_in(&admin, "viewer@alpha.example", "read_only", "")
        .await;
    // Read-only users do not hold api_tokens.manage by default, so they cannot make one...
    let (status, body) = app
        .call(&viewer, "/api/api_tokens/create", &[("name", "mine")])
        .await;
    assert_eq!(status, 403, "{body}");
    // ...until the admin grants it; then the token reads but never writes.
    let grant = [
        ("role", "read_only"),
        ("permission", "api_tokens.manage"),
        ("granted", "true"),
    ];
    assert_eq!(
        app.call(&admin, "/api/permissions/set", &grant).await.0,
        200
    );
    let api = app.api(&app.api_token(&viewer).await);
    assert_eq!(api.get("/deals").await.0, 200);
    let (status, body) = api.post("/deals", json!({"title": "Nope"})).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
});
