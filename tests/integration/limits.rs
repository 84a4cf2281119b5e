//! Limits that hold across instances: the sign-in rate limit per client address, the lockout of
//! emails without an account and the REST API's per-token rate limit are counted in the shared
//! database, so two app instances on one database allow what one does.

use crate::harness::{new_browser, spawn_app_with, test_settings, TestApp};
use crm::config::Settings;

/// A second instance of `app`'s server on the same database, with the same settings changes.
async fn second_instance(app: &TestApp, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = test_settings(app.database.url.clone());
    configure(&mut settings);
    spawn_app_with(settings, app.database.shared()).await
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    let (status, body) = app
        .call(
            &new_browser(),
            "/api/auth/sign_in",
            &[("email", email), ("password", password)],
        )
        .await;
    (status, body.to_string())
}

db_test!(
    the_sign_in_rate_limit_holds_across_two_instances,
    settings = |s| s.auth.login_attempts_per_minute = 4,
    |app| {
        let other = second_instance(&app, |s| s.auth.login_attempts_per_minute = 4).await;
        // Four attempts from 127.0.0.1, split over both instances, use up the minute...
        for instance in [&app, &other, &app, &other] {
            let (status, body) = sign_in(instance, "admin@demo.example", "wrong password!").await;
            assert_eq!(status, 401, "{body}");
        }
        // ...so the fifth is refused on either, even with the right password.
        for instance in [&app, &other] {
            let (status, body) = sign_in(instance, "admin@demo.example", "demo-password-1").await;
            assert_eq!(status, 429, "{body}");
            assert!(body.contains("Too many sign-in attempts"), "{body}");
        }
    }
);

db_test!(
    an_unknown_email_locks_across_two_instances_like_a_real_one,
    settings = |s| s.auth.max_failed_logins = 3,
    |app| {
        let other = second_instance(&app, |s| s.auth.max_failed_logins = 3).await;
        for instance in [&app, &other] {
            let (status, body) = sign_in(instance, "nobody@nowhere.example", "guess guess 1").await;
            assert_eq!(status, 401, "{body}");
            assert!(body.contains("Email or password is incorrect"), "{body}");
        }
        // The third failure, on the first instance, locks it; the second instance says so too.
        let (_, body) = sign_in(&app, "nobody@nowhere.example", "guess guess 1").await;
        assert!(body.contains("locked"), "{body}");
        let (_, body) = sign_in(&other, "nobody@nowhere.example", "guess guess 1").await;
        assert!(body.contains("locked"), "{body}");
        // A real account's wording is the same, so the lock tells nothing about who exists.
        for _ in 0..3 {
            sign_in(&other, "admin@demo.example", "wrong password!").await;
        }
        let (_, real) = sign_in(&app, "admin@demo.example", "wrong password!").await;
        assert_eq!(real, body);
    }
);

db_test!(
    each_api_token_is_rate_limited_across_two_instances,
    settings = |s| s.api.requests_per_minute = 5,
    |app| {
        let other = second_instance(&app, |s| s.api.requests_per_minute = 5).await;
        let admin = crate::harness::registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let token = app.api_token(&admin).await;
        let (here, there) = (app.api(&token), other.api(&token));
        for api in [&here, &there, &here, &there, &here] {
            assert_eq!(api.get("/me").await.0, 200);
        }
        let response = reqwest::Client::new()
            .get(other.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 429);
        let retry_after: u32 = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("a Retry-After header in seconds");
        assert!((1..=60).contains(&retry_after), "{retry_after}");
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "too_many_requests", "{body}");
        // Another token has its own allowance.
        let fresh = app.api(&app.api_token(&admin).await);
        assert_eq!(fresh.get("/me").await.0, 200);
    }
);
