//! Who sees which calls: the log's scope and recording rights, the pages, the call button.

use super::*;

db_test!(the_calls_log_follows_scope_and_recording_rights, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    let default = default_disposition(&dispositions(&app, &admin).await);
    let mut ids = Vec::new();
    for (who, number) in [(&admin, "+12015550101"), (&agent, "+12015550102")] {
        let (_, call) = start(&app, who, &[("number", number)]).await;
        let id = call["id"].as_i64().expect("id");
        event(&app, who, id, "hang_up").await;
        assert_eq!(wrap_up(&app, who, id, &default, "").await.0, 200);
        ids.push(id);
    }
    on_db!(&app.db, |pool| {
        sqlx::query("UPDATE calls SET recording_url = 'https://pbx.example/r/1.wav'")
            .execute(pool)
            .await
            .expect("recording");
    });

    let (status, all) = app
        .call_nested(&admin, "/api/calls/list", "filter", &[])
        .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        all["calls"].as_array().map(Vec::len),
        Some(2),
        "admin sees everyone's"
    );
    assert_eq!(
        all["calls"][0]["recording_url"],
        "https://pbx.example/r/1.wav"
    );
    let (_, own) = app
        .call_nested(&agent, "/api/calls/list", "filter", &[])
        .await;
    let own = own["calls"].as_array().expect("calls").clone();
    assert_eq!(own.len(), 1, "an agent sees their own");
    assert_eq!(own[0]["id"], ids[1]);
    assert!(
        own[0]["recording_url"].is_null(),
        "no calls.recordings.view, no link"
    );

    let (_, inbound) = app
        .call_nested(
            &admin,
            "/api/calls/list",
            "filter",
            &[("direction", "inbound")],
        )
        .await;
    assert_eq!(inbound["calls"].as_array().map(Vec::len), Some(0));
    let (status, body) = app
        .call_nested(
            &admin,
            "/api/calls/list",
            "filter",
            &[("from", "yesterday")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["Validation"]["fields"]["from"].is_string(), "{body}");
});

db_test!(the_calls_page_and_the_console_are_served_as_html, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    let (status, _) = start(&app, &admin, &[("number", "+12015550123")]).await;
    assert_eq!(status, 200);

    let html = |client: &reqwest::Client, path: &'static str| {
        let request = client.get(app.url(path));
        async move {
            let response = request.send().await.expect("request");
            (
                response.status().as_u16(),
                response.text().await.expect("body"),
            )
        }
    };
    let (status, page) = html(&admin, "/calls").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"calls-log\""), "{page}");
    assert!(page.contains("+12015550123"), "the admin sees the call");
    let (status, page) = html(&agent, "/calls").await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("+12015550123"),
        "an agent sees only their own calls"
    );
    assert!(page.contains("data-testid=\"no-calls\""), "{page}");
    let (status, page) = html(&admin, "/console").await;
    assert_eq!(status, 200);
    assert!(page.contains("Agent console"), "{page}");
});

db_test!(only_roles_that_may_place_calls_get_a_call_button, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let contact = app
        .created(
            &admin,
            "contacts",
            &[("name", "Zoë Ørsted"), ("phone", "+12015550123")],
        )
        .await;
    let path = format!("/contacts/{contact}");
    let reader = app
        .user_signed_in(&admin, "reader@alpha.example", "read_only", "")
        .await;
    for (client, may_call) in [(&admin, true), (&reader, false)] {
        let response = client.get(app.url(&path)).send().await.expect("card");
        assert_eq!(response.status().as_u16(), 200);
        let html = response.text().await.expect("body");
        assert!(
            html.contains("+12015550123"),
            "the number is shown either way"
        );
        assert_eq!(
            html.contains("call-button"),
            may_call,
            "may_call = {may_call}"
        );
    }
});
