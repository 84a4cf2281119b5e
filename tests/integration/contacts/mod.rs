//! Contacts: create, read, update, soft delete and restore; search without regard to case or
//! accents; filters and keyset pages; visibility by owner; on both backends.

use crate::harness::{registered_admin, TestApp};
use crm::on_db;
use serde_json::Value;

mod companies;
mod editing;
mod finding;

async fn create(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> (u16, Value) {
    app.call_nested(client, "/api/contacts/create", "form", fields)
        .await
}

async fn created(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> i64 {
    let (status, body) = create(app, client, fields).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_i64().expect("id")
}

async fn search(app: &TestApp, client: &reqwest::Client, filter: &[(&str, &str)]) -> Vec<String> {
    let form: Vec<(String, &str)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), *v))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let (status, page) = app.call(client, "/api/contacts/list", &form).await;
    assert_eq!(status, 200, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn add_user(
    app: &TestApp,
    admin: &reqwest::Client,
    email: &str,
    role: &str,
    team: &str,
) -> reqwest::Client {
    app.user_signed_in(admin, email, role, team).await
}
