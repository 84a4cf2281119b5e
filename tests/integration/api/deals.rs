//! Deals over REST: the same rules as the UI, and lists that filter and page without gaps.

use super::*;

/// The default pipeline's stage ids by name.
async fn stage_ids(api: &ApiClient) -> std::collections::HashMap<String, i64> {
    let (status, pipelines) = api.get("/pipelines").await;
    assert_eq!(status, 200, "{pipelines}");
    pipelines[0]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            let name = s["name"].as_str().expect("name").to_string();
            (name, s["id"].as_i64().expect("id"))
        })
        .collect()
}

db_test!(deals_over_rest_follow_the_same_rules, |app| {
    let (_, api) = admin_api(&app, "Alpha").await;
    let stages = stage_ids(&api).await;

    let (status, deal) = api
        .post(
            "/deals",
            json!({"title": "Rollout", "amount_minor": 125_050, "currency": "usd", "expected_close_on": "2026-12-31"}),
        )
        .await;
    assert_eq!(status, 201, "{deal}");
    assert_eq!(deal["amount_minor"], 125_050);
    assert_eq!(deal["currency"], "USD");
    assert_eq!(deal["stage_name"], "New");
    let id = deal["id"].as_i64().expect("id");

    // PATCH changes what it names, keeps the rest, and moves the version on.
    let (status, edited) = api
        .patch(
            &format!("/deals/{id}"),
            json!({"version": 1, "title": "Rollout EU"}),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["title"], "Rollout EU");
    assert_eq!(edited["amount_minor"], 125_050);
    assert_eq!(edited["expected_close_on"], "2026-12-31");
    assert_eq!(edited["version"], 2);
    let (status, cleared) = api
        .patch(
            &format!("/deals/{id}"),
            json!({"version": 2, "expected_close_on": null}),
        )
        .await;
    assert_eq!(status, 200, "{cleared}");
    assert_eq!(cleared["expected_close_on"], Value::Null);

    // A stale version is a 409 carrying the deal as it is now; nothing changes.
    let (status, stale) = api
        .patch(
            &format!("/deals/{id}"),
            json!({"version": 1, "title": "Lost update"}),
        )
        .await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["error"]["code"], "stale_version");
    assert_eq!(stale["error"]["current"]["title"], "Rollout EU");
    assert_eq!(stale["error"]["current"]["version"], 3);

    // A stage that requires a note refuses a move without one, naming the field.
    let lost = stages["Lost"];
    let (status, refused) = api
        .post(
            &format!("/deals/{id}/move"),
            json!({"stage_id": lost, "version": 3}),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(field(&refused, "note").is_string(), "{refused}");
    let (status, moved) = api
        .post(
            &format!("/deals/{id}/move"),
            json!({"stage_id": lost, "version": 3, "note": "Went with a competitor"}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["deal"]["stage_id"], lost);
    assert!(moved["deal"]["closed_at"].is_string());
    assert_eq!(moved["stage"]["name"], "Lost");
    assert_eq!(moved["stage"]["is_lost"], true);
    assert_eq!(moved["activity"]["kind"], "stage_change");
    let (status, timeline) = api.get(&format!("/deals/{id}/timeline")).await;
    assert_eq!(status, 200, "{timeline}");
    assert_eq!(timeline["items"][0]["kind"], "stage_change");

    let (status, gone) = api.delete(&format!("/deals/{id}")).await;
    assert_eq!((status, gone), (204, Value::Null));
    assert_eq!(api.get(&format!("/deals/{id}")).await.0, 404);
    let (status, back) = api.post(&format!("/deals/{id}/restore"), json!({})).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(api.get(&format!("/deals/{id}")).await.0, 200);
});

db_test!(deal_lists_filter_and_page_without_gaps_or_repeats, |app| {
    let (_, api) = admin_api(&app, "Alpha").await;
    let stages = stage_ids(&api).await;
    let qualified = stages["Qualified"];
    for n in 0..5 {
        let (status, body) = api
            .post(
                "/deals",
                json!({"title": format!("Q{n}"), "stage_id": qualified}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, _) = api.post("/deals", json!({"title": "Elsewhere"})).await;
    assert_eq!(status, 201);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/deals?stage_id={qualified}&limit=2&cursor={c}"),
            None => format!("/deals?stage_id={qualified}&limit=2"),
        };
        let (status, page) = api.get(&path).await;
        assert_eq!(status, 200, "{page}");
        for deal in page["items"].as_array().expect("items") {
            seen.push(deal["title"].as_str().expect("title").to_string());
        }
        if seen.len() == 2 {
            // Deals added while paging come after the cursor and are not skipped.
            let (status, _) = api
                .post("/deals", json!({"title": "Q5", "stage_id": qualified}))
                .await;
            assert_eq!(status, 201);
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ["Q0", "Q1", "Q2", "Q3", "Q4", "Q5"]);

    let (status, bad) = api.get("/deals?stage_id=abc").await;
    assert_eq!(status, 422, "{bad}");
    assert!(field(&bad, "stage_id").is_string(), "{bad}");
    let (status, bad) = api.get("/deals?cursor=nonsense").await;
    assert_eq!(status, 422, "{bad}");
    assert!(field(&bad, "cursor").is_string(), "{bad}");
});
