//! API tokens: 401 without one, stored hashed, revocable, expiry, deactivated users, read-only.

use super::*;

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
