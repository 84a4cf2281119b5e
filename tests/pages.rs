#[macro_use]
mod common;

db_test!(home_page_is_server_rendered_from_the_database, |app| {
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    // Content from the database through the status server function, rendered on the server.
    let backend = app.db.backend().display_name();
    assert!(
        html.contains(&format!(r#"data-testid="backend">{backend}<"#)),
        "{html}"
    );
    let version = app.db.schema_version().await.expect("schema version");
    assert!(version > 0);
    assert!(
        html.contains(&format!(r#"data-testid="schema-version">{version}<"#)),
        "{html}"
    );
    // Finished HTML, not a loading placeholder swapped later by script: works without JS.
    assert!(!html.contains("Asking the database"), "{html}");
    // The seeded demo tenant and its admin are counted.
    assert!(html.contains(r#"data-testid="tenants">1<"#), "{html}");
    assert!(html.contains(r#"data-testid="active-users">1<"#), "{html}");
    // The shell: navigation and the hydration script that loads the WASM bundle.
    for nav in ["Pipeline", "Contacts", "Tasks", "Console"] {
        assert!(html.contains(nav), "nav item {nav} missing");
    }
    assert!(html.contains("/pkg/crm.js"), "hydration script missing");
    assert!(html.contains("/pkg/crm.css"), "stylesheet missing");
});

db_test!(unknown_page_is_a_404_with_a_way_back, |app| {
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.expect("body");
    assert!(html.contains("Page not found"), "{html}");
    assert!(html.contains(r#"href="/""#), "{html}");
});
