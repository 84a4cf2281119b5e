//! Signing in and out: lockouts, lost sessions, cookies, cross-site posts, rate limits, demo login.

use super::*;

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
