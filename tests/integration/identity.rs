//! Registration, sign-in, lockout, sessions and the CSRF guard, over HTTP, on both backends.

use crate::harness::{new_browser, TestApp};
use crm::on_db;
use serde_json::Value;

const REGISTER: &str = "/api/auth/register";
const SIGN_IN: &str = "/api/auth/sign_in";
const SIGN_OUT: &str = "/api/auth/sign_out";
const CURRENT_USER: &str = "/api/auth/current_user";
const PASSWORD: &str = crate::harness::TEST_PASSWORD;

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .expect(sql))
}

async fn execute(app: &TestApp, sql: &str) {
    on_db!(&app.db, |pool| {
        sqlx::query(sql).execute(pool).await.expect(sql);
    })
}

async fn register(app: &TestApp, company: &str, email: &str) -> reqwest::Response {
    crate::harness::register_company(app, &app.client, company, email).await
}

async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.post_form_as(client, SIGN_IN, &[("email", email), ("password", password)])
        .await
}

async fn current_user(app: &TestApp, client: &reqwest::Client) -> Value {
    let response = app.post_form_as(client, CURRENT_USER, &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

/// A server function that succeeded and tells the browser where to go next.
fn assert_redirects(response: &reqwest::Response, to: &str) {
    assert_eq!(response.status(), 200, "success");
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok());
    assert_eq!(location, Some(to), "then navigates to {to}");
}

async fn error_message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.expect("error body is JSON");
    body["SignInFailed"]
        .as_str()
        .or(body["TooManyRequests"].as_str())
        .unwrap_or_default()
        .to_string()
}

db_test!(
    registration_provisions_the_tenant_and_signs_the_admin_in,
    |app| {
        let response = register(&app, "Acme Widgets", "Ana@Acme.example").await;
        assert_redirects(&response, "/");
        let tenant_id = scalar(&app, "SELECT id FROM tenants WHERE slug = 'acme-widgets'").await;
        let counted =
            |table: &str| format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = {tenant_id}");
        assert_eq!(scalar(&app, &counted("users")).await, 1);
        assert_eq!(scalar(&app, &counted("pipelines")).await, 1);
        assert_eq!(scalar(&app, &counted("pipeline_stages")).await, 6);
        assert_eq!(
            scalar(
                &app,
                &format!("{} AND is_won = TRUE", counted("pipeline_stages"))
            )
            .await,
            1
        );
        assert_eq!(
            scalar(
                &app,
                &format!("{} AND is_lost = TRUE", counted("pipeline_stages"))
            )
            .await,
            1
        );
        assert_eq!(scalar(&app, &counted("call_dispositions")).await, 6);
        assert_eq!(
            scalar(
                &app,
                &format!("{} AND requires_note = TRUE", counted("call_dispositions"))
            )
            .await,
            1
        );
        assert!(scalar(&app, &counted("role_permissions")).await > 20);
        assert_eq!(
            scalar(
                &app,
                &format!("{} AND action = 'tenant.registered'", counted("audit_log"))
            )
            .await,
            1
        );

        let me = current_user(&app, &app.client).await;
        assert_eq!(me["email"], "ana@acme.example", "stored lower-cased");
        assert_eq!(me["role"], "tenant_admin");
        assert_eq!(me["tenant_name"], "Acme Widgets");
        assert!(me["permissions"]
            .as_array()
            .expect("list")
            .iter()
            .any(|p| p == "users.manage"));
    }
);

db_test!(
    registration_with_a_taken_email_is_rejected_on_the_field_and_writes_nothing,
    |app| {
        assert_redirects(&register(&app, "First Co", "owner@example.com").await, "/");
        let tenants = scalar(&app, "SELECT COUNT(*) FROM tenants").await;
        let response = register(&app, "Second Co", "OWNER@example.com").await;
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.expect("json");
        assert_eq!(
            body["Validation"]["fields"]["email"],
            "is already registered: sign in instead"
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM tenants").await, tenants);
    }
);

db_test!(
    registration_reports_every_bad_field_and_writes_nothing,
    |app| {
        let before = scalar(&app, "SELECT COUNT(*) FROM tenants").await;
        let response = app
            .post_form(
                REGISTER,
                &[
                    ("company_name", " "),
                    ("admin_name", "Ana"),
                    ("email", "ana@"),
                    ("password", "ana@"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.expect("json");
        let fields = &body["Validation"]["fields"];
        assert_eq!(fields["company_name"], "is required");
        assert_eq!(fields["email"], "must look like name@example.com");
        assert_eq!(
            fields["password"],
            "must be at least 10 characters, and not your email address"
        );
        assert!(fields.get("admin_name").is_none());
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM tenants").await, before);
    }
);

db_test!(
    a_failure_midway_through_registration_rolls_everything_back,
    |app| {
        // Make the last provisioning step fail, as a full disk or a bug would.
        match app.backend {
        crm::db::Backend::Sqlite => {
            execute(&app, "CREATE TRIGGER fail_dispositions BEFORE INSERT ON call_dispositions BEGIN SELECT RAISE(ABORT, 'boom'); END").await
        }
        crm::db::Backend::Postgres => {
            execute(&app, "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END; $$").await;
            execute(&app, "CREATE TRIGGER fail_dispositions BEFORE INSERT ON call_dispositions FOR EACH ROW EXECUTE FUNCTION boom()").await;
        }
    }
        let counts = "SELECT (SELECT COUNT(*) FROM tenants) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM pipelines)
                  + (SELECT COUNT(*) FROM pipeline_stages) + (SELECT COUNT(*) FROM role_permissions) + (SELECT COUNT(*) FROM audit_log)";
        let before = scalar(&app, counts).await;
        let response = register(&app, "Doomed Co", "doomed@example.com").await;
        assert_eq!(response.status(), 500);
        let body: Value = response.json().await.expect("json");
        assert_eq!(
            body,
            Value::String("Internal".into()),
            "no internal detail leaks: {body}"
        );
        assert_eq!(scalar(&app, counts).await, before, "nothing half-written");
        assert_eq!(
            current_user(&app, &app.client).await,
            Value::Null,
            "not signed in"
        );
    }
);

db_test!(
    five_wrong_passwords_lock_the_account_until_the_window_passes,
    |app| {
        assert_redirects(&register(&app, "Lock Co", "lock@example.com").await, "/");
        let browser = new_browser();
        for attempt in 1..=4 {
            let response = sign_in(&app, &browser, "lock@example.com", "wrong password!").await;
            assert_eq!(response.status(), 401, "attempt {attempt}");
            assert_eq!(
                error_message(response).await,
                "Email or password is incorrect."
            );
        }
        let fifth = sign_in(&app, &browser, "lock@example.com", "wrong password!").await;
        assert_eq!(fifth.status(), 401);
        assert!(error_message(fifth).await.contains("locked for 15 minutes"));
        // Even the right password is refused while locked.
        let locked = sign_in(&app, &browser, "lock@example.com", PASSWORD).await;
        assert!(error_message(locked).await.contains("locked"));
        assert_eq!(current_user(&app, &browser).await, Value::Null);

        let audit =
            |action: &str| format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'");
        assert_eq!(scalar(&app, &audit("user.locked")).await, 1);
        assert_eq!(scalar(&app, &audit("user.login_failed")).await, 6);

        // The lockout window passes.
        execute(&app, "UPDATE users SET locked_until = '2000-01-01T00:00:00Z' WHERE email = 'lock@example.com'").await;
        let response = sign_in(&app, &browser, "lock@example.com", PASSWORD).await;
        assert_redirects(&response, "/");
        assert_eq!(
            current_user(&app, &browser).await["email"],
            "lock@example.com"
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM users WHERE email = 'lock@example.com' AND failed_login_attempts = 0 AND locked_until IS NULL").await, 1);
    }
);

db_test!(unknown_emails_fail_and_lock_exactly_like_real_ones, |app| {
    let browser = new_browser();
    let mut messages = Vec::new();
    for _ in 1..=5 {
        let response = sign_in(&app, &browser, "nobody@example.com", "wrong password!").await;
        assert_eq!(response.status(), 401);
        messages.push(error_message(response).await);
    }
    assert_eq!(messages[0], "Email or password is incorrect.");
    assert!(
        messages[4].contains("locked for 15 minutes"),
        "{messages:?}"
    );
});

db_test!(
    suspended_tenants_and_deactivated_users_lose_their_sessions,
    |app| {
        assert_redirects(&register(&app, "Pause Co", "pause@example.com").await, "/");
        assert_eq!(
            current_user(&app, &app.client).await["email"],
            "pause@example.com"
        );

        execute(
            &app,
            "UPDATE tenants SET status = 'suspended' WHERE slug = 'pause-co'",
        )
        .await;
        assert_eq!(
            current_user(&app, &app.client).await,
            Value::Null,
            "the live session stops working"
        );
        let response = sign_in(&app, &app.client, "pause@example.com", PASSWORD).await;
        assert_eq!(response.status(), 401);
        assert_eq!(
            error_message(response).await,
            "This account cannot sign in. Ask your administrator."
        );

        execute(
            &app,
            "UPDATE tenants SET status = 'active' WHERE slug = 'pause-co'",
        )
        .await;
        assert_redirects(
            &sign_in(&app, &app.client, "pause@example.com", PASSWORD).await,
            "/",
        );
        execute(
            &app,
            "UPDATE users SET is_active = FALSE WHERE email = 'pause@example.com'",
        )
        .await;
        assert_eq!(current_user(&app, &app.client).await, Value::Null);
    }
);

db_test!(
    session_cookie_is_http_only_lax_and_rotated_at_sign_in,
    |app| {
        let response = register(&app, "Cookie Co", "cookie@example.com").await;
        let first = response
            .headers()
            .get("set-cookie")
            .expect("cookie set")
            .to_str()
            .expect("ascii")
            .to_string();
        assert!(first.starts_with("crm_session="), "{first}");
        assert!(
            first.contains("HttpOnly")
                && first.contains("SameSite=Lax")
                && first.contains("Path=/"),
            "{first}"
        );
        assert!(!first.contains("Secure"), "plain http in tests: {first}");

        let again = sign_in(&app, &app.client, "cookie@example.com", PASSWORD).await;
        let second = again
            .headers()
            .get("set-cookie")
            .expect("cookie set")
            .to_str()
            .expect("ascii")
            .to_string();
        let id = |c: &str| c.split(';').next().unwrap_or_default().to_string();
        assert_ne!(id(&first), id(&second), "a new session id at sign-in");
    }
);

db_test!(sign_out_ends_the_session_for_good, |app| {
    assert_redirects(&register(&app, "Bye Co", "bye@example.com").await, "/");
    let stolen = app.client.clone();
    assert_redirects(&app.post_form(SIGN_OUT, &[]).await, "/login");
    assert_eq!(current_user(&app, &app.client).await, Value::Null);
    assert_eq!(current_user(&app, &stolen).await, Value::Null);
});

db_test!(cross_site_posts_are_refused_before_anything_runs, |app| {
    let before = scalar(&app, "SELECT COUNT(*) FROM audit_log").await;
    let response = app
        .client
        .post(app.url(SIGN_IN))
        .header("Origin", "http://evil.example")
        .form(&[
            ("email", "admin@demo.example"),
            ("password", "demo-password-1"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 403);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM audit_log").await,
        before,
        "the login did not run"
    );
});

db_test!(
    sign_in_is_rate_limited_per_client_ip,
    settings = |s| s.auth.login_attempts_per_minute = 3,
    |app| {
        let browser = new_browser();
        for _ in 0..3 {
            assert_eq!(
                sign_in(&app, &browser, "admin@demo.example", "wrong password!")
                    .await
                    .status(),
                401
            );
        }
        let limited = sign_in(&app, &browser, "admin@demo.example", "demo-password-1").await;
        assert_eq!(limited.status(), 429);
        assert!(error_message(limited)
            .await
            .contains("Too many sign-in attempts"));
    }
);

db_test!(
    the_demo_admin_can_sign_in_with_the_printed_password,
    |app| {
        let response = sign_in(&app, &app.client, "admin@demo.example", "demo-password-1").await;
        assert_redirects(&response, "/");
        let me = current_user(&app, &app.client).await;
        assert_eq!(me["tenant_name"], "Demo Company");
        assert_eq!(me["role"], "tenant_admin");
    }
);

db_test!(
    secure_cookie_setting_marks_the_cookie_secure,
    settings = |s| s.session.secure_cookie = true,
    |app| {
        let response = register(&app, "Tls Co", "tls@example.com").await;
        let cookie = response
            .headers()
            .get("set-cookie")
            .expect("cookie set")
            .to_str()
            .expect("ascii")
            .to_string();
        assert!(cookie.contains("Secure"), "{cookie}");
    }
);
