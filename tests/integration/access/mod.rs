//! User management, teams, the permission matrix and own/team/all visibility, on both backends.

use crate::harness::{new_browser, TestApp};
use crm::on_db;
use serde_json::Value;

mod permissions;
mod users;

const PASSWORD: &str = crate::harness::TEST_PASSWORD;

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .expect(sql))
}

/// Registers "Alpha" and returns its admin's browser.
async fn alpha_admin(app: &TestApp) -> reqwest::Client {
    crate::harness::registered_admin(app, "Alpha", "ada@alpha.example").await
}

async fn create_team(app: &TestApp, admin: &reqwest::Client, name: &str) -> String {
    let (status, team) = app
        .call(admin, "/api/teams/create", &[("name", name)])
        .await;
    assert_eq!(status, 200, "{team}");
    team["id"].as_i64().expect("team id").to_string()
}

async fn create_user(
    app: &TestApp,
    admin: &reqwest::Client,
    name: &str,
    email: &str,
    role: &str,
    team: &str,
) -> Value {
    let form = [
        ("name", name),
        ("email", email),
        ("role", role),
        ("team_id", team),
        ("temporary_password", PASSWORD),
    ];
    let (status, user) = app.call(admin, "/api/users/create", &form).await;
    assert_eq!(status, 200, "{user}");
    user
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let browser = new_browser();
    let (status, body) = app
        .call(
            &browser,
            "/api/auth/sign_in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{email}: {body}");
    browser
}
