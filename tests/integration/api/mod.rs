//! REST API v1: personal tokens (hashed, revocable), the resources over JSON with the same rules
//! as the UI, JSON errors naming their field, and the OpenAPI document checked against the routes.

use crate::harness::{registered_admin, ApiClient, TestApp};
use crm::on_db;
use serde_json::{json, Value};

mod deals;
mod records;
mod tokens;

async fn admin_api(app: &TestApp, company: &str) -> (reqwest::Client, ApiClient) {
    let email = format!("admin@{}.example", company.to_lowercase());
    let browser = registered_admin(app, company, &email).await;
    let token = app.api_token(&browser).await;
    (browser, app.api(&token))
}

fn field<'a>(body: &'a Value, name: &str) -> &'a Value {
    &body["error"]["fields"][name]
}
