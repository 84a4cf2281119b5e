//! Contacts, activities and tasks over REST, and bad input answered with a JSON error per field.

use super::*;

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
