//! The PBX's CDR webhook: records attached once, unmatched ones kept, only the tenant's token.

use super::*;

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
