//! Registration, sign-in, lockout, sessions and the CSRF guard, over HTTP, on both backends.

use crate::harness::{new_browser, TestApp};
use crm::on_db;
use serde_json::Value;

mod registration;
mod sign_in;

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
