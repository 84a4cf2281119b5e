//! Calls from dial to wrap-up: numbers to E.164, the state machine over the wire, the wrap-up
//! rules, the `call` activity on the timelines, the calls log's scope and recording rights, and
//! the PBX's CDR webhook (idempotent, unmatched records kept), on both backends.

use crate::harness::{registered_admin, TestApp};
use crm::on_db;
use serde_json::{json, Value};

mod dialing;
mod numbers;
mod pbx;
mod stored_numbers;
mod visibility;

async fn start(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> (u16, Value) {
    app.call_nested(client, "/api/calls/start", "form", fields)
        .await
}

async fn event(app: &TestApp, client: &reqwest::Client, id: i64, event: &str) -> (u16, Value) {
    app.call(
        client,
        "/api/calls/event",
        &[("id", &id.to_string()), ("event", event)],
    )
    .await
}

async fn wrap_up(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    disposition: &str,
    notes: &str,
) -> (u16, Value) {
    let form = [
        ("id", id.to_string()),
        ("form[disposition_id]", disposition.to_string()),
        ("form[notes]", notes.to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(client, "/api/calls/wrap_up", &form).await
}

async fn dispositions(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    let (status, body) = app.call(client, "/api/dispositions/list", &[]).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().expect("list").clone()
}

fn default_disposition(list: &[Value]) -> String {
    list.iter()
        .find(|d| d["is_default"] == true)
        .expect("a default disposition")["id"]
        .to_string()
}
