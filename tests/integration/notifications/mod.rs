//! Notifications on both backends: who is told of what (and who is not), muting, visibility, the
//! marks, and the reminder and digest jobs with the clock given.

mod reminders;
mod telling;

use crate::harness::TestApp;
use serde_json::Value;

async fn inbox(app: &TestApp, client: &reqwest::Client) -> Value {
    let (status, inbox) = app.call(client, "/api/notifications/inbox", &[]).await;
    assert_eq!(status, 200, "{inbox}");
    inbox
}

fn titles(inbox: &Value) -> Vec<String> {
    inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn user_id(app: &TestApp, client: &reqwest::Client) -> i64 {
    let (status, me) = app.call(client, "/api/auth/current_user", &[]).await;
    assert_eq!(status, 200, "{me}");
    me["user_id"].as_i64().expect("user id")
}
