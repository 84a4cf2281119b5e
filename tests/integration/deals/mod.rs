//! Deals: pipelines, creation, moves with stage rules and optimistic locking, the stage-change
//! timeline, board order and visibility, on both backends.

use crate::harness::{new_browser, registered_admin, TestApp, TEST_PASSWORD};
use crm::on_db;
use serde_json::Value;

mod board;
mod board_filter;
mod board_paging;
mod moves;
mod pipelines;
mod writes;

fn nested<'a>(prefix: &str, fields: &[(&'a str, &'a str)]) -> Vec<(String, &'a str)> {
    fields
        .iter()
        .map(|(k, v)| (format!("{prefix}[{k}]"), *v))
        .collect()
}

async fn create_deal(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let form = nested("form", fields);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.call(client, "/api/deals/create", &form).await
}

async fn move_deal(
    app: &TestApp,
    client: &reqwest::Client,
    deal: &Value,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let id = deal["id"].as_i64().expect("id").to_string();
    let mut form = vec![("id".to_string(), id.as_str())];
    form.extend(nested("to", fields));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.call(client, "/api/deals/move", &form).await
}

/// The stage ids of the tenant's default pipeline, by name.
async fn stages(
    app: &TestApp,
    client: &reqwest::Client,
) -> (i64, std::collections::HashMap<String, String>) {
    let (status, pipelines) = app.call(client, "/api/pipelines/list", &[]).await;
    assert_eq!(status, 200, "{pipelines}");
    let pipeline = &pipelines[0];
    let stages = pipeline["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_string(),
                s["id"].as_i64().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (pipeline["id"].as_i64().expect("pipeline id"), stages)
}

/// The board of `pipeline` under a filter (`("q", "acme")` is sent as `filter[q]`).
async fn board(
    app: &TestApp,
    client: &reqwest::Client,
    pipeline: i64,
    filter: &[(&str, &str)],
) -> Value {
    let pipeline = pipeline.to_string();
    let mut form = vec![("pipeline_id".to_string(), pipeline.as_str())];
    form.extend(nested("filter", filter));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let (status, board) = app.call(client, "/api/deals/board", &form).await;
    assert_eq!(status, 200, "{board}");
    board
}

/// Every card's title on the board, column by column.
fn titles(board: &Value) -> Vec<String> {
    board
        .as_array()
        .expect("columns")
        .iter()
        .flat_map(|column| column["deals"].as_array().expect("deals").iter())
        .map(|deal| deal["title"].as_str().unwrap_or_default().to_string())
        .collect()
}
