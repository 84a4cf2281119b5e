//! The list pages are finished HTML from the server (async SSR): they work before the WASM
//! bundle has loaded, and answer a signed-out visitor 401 with a link to sign in.

use crate::harness::registered_admin;

async fn html(app: &crate::harness::TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.expect("request");
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("body")
}

db_test!(lists_and_tasks_are_server_rendered, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (status, contact) = app
        .call_nested(
            &admin,
            "/api/contacts/create",
            "form",
            &[("name", "Zoë Ørsted")],
        )
        .await;
    assert_eq!(status, 200, "{contact}");
    let contact_id = contact["id"].to_string();
    let task = [
        ("title", "Call back"),
        ("due_at", "2099-01-01T09:00:00Z"),
        ("contact_id", contact_id.as_str()),
    ];
    let (status, body) = app
        .call_nested(&admin, "/api/tasks/create", "form", &task)
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_nested(
            &admin,
            "/api/companies/create",
            "form",
            &[("name", "Acme Ltd")],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let tasks = html(&app, &admin, "/tasks").await;
    assert!(tasks.contains("Call back"), "{tasks}");
    assert!(
        tasks.contains(&format!(r#"href="/contacts/{contact_id}""#)),
        "{tasks}"
    );
    assert!(!tasks.contains("Loading tasks"), "{tasks}");
    let contacts = html(&app, &admin, "/contacts").await;
    assert!(contacts.contains("Zoë Ørsted"), "{contacts}");
    let companies = html(&app, &admin, "/companies").await;
    assert!(companies.contains("Acme Ltd"), "{companies}");
});

db_test!(signed_out_visitors_are_asked_to_sign_in, |app| {
    for path in ["/tasks", "/contacts", "/companies"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 401, "{path}");
        let page = response.text().await.expect("body");
        assert!(page.contains(r#"href="/login""#), "{path}: {page}");
        assert!(page.contains("sign in"), "{path}: {page}");
    }
});
