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
    // Nothing about the installation's tenants for an anonymous visitor (that is `crm status`).
    for leak in ["tenants", "active-users", "Tenants", "Active users"] {
        assert!(!html.contains(leak), "{leak} shown signed out: {html}");
    }
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

db_test!(
    home_page_signed_in_is_the_dashboard_with_its_charts,
    |app| {
        let admin = crate::harness::registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (_, pipelines) = app.call(&admin, "/api/pipelines/list", &[]).await;
        let stage = pipelines[0]["stages"][0]["id"].to_string();
        let fields = [
            ("title", "Big one"),
            ("stage_id", stage.as_str()),
            ("amount", "1250.50"),
            ("currency", "EUR"),
        ];
        let (status, body) = app
            .call_nested(&admin, "/api/deals/create", "form", &fields)
            .await;
        assert_eq!(status, 200, "{body}");

        let response = admin.get(app.url("/")).send().await.expect("request");
        assert_eq!(response.status(), 200);
        let html = response.text().await.expect("body");
        // Finished HTML with the charts drawn on the server, not a loading placeholder.
        assert!(!html.contains("Loading the dashboard"), "{html}");
        assert!(html.contains(r#"data-testid="dashboard""#), "{html}");
        assert!(
            html.contains(r#"data-testid="chart-pipeline-eur""#),
            "{html}"
        );
        assert!(html.contains("<svg"), "{html}");
        assert!(html.contains("<title"), "{html}");
        assert!(html.contains("1 deal · 1,250.50 EUR"), "{html}");
        assert!(html.contains(r#"data-testid="won-count">0<"#), "{html}");
        assert!(
            html.contains(r#"data-testid="overdue-count" class="badge">0<"#),
            "{html}"
        );
        assert!(!html.contains("Installation status"), "{html}");

        // Signed out, the start page stays the welcome text with the status panel.
        let html = app.get("/").await.text().await.expect("body");
        assert!(html.contains("Installation status"), "{html}");
        assert!(!html.contains(r#"data-testid="dashboard""#), "{html}");
    }
);

db_test!(
    pages_send_a_nonce_policy_and_every_inline_script_carries_it,
    |app| {
        let response = app.get("/login").await;
        assert_eq!(response.status(), 200);
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let policy = header("content-security-policy");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
        assert!(
            header("strict-transport-security").is_empty(),
            "no HSTS over plain http"
        );
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {policy}"))
            .to_string();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!scripts.contains("unsafe-inline"), "{policy}");
        let html = response.text().await.expect("body");
        let inline = html.matches("<script").count();
        assert!(inline > 0, "the page has its hydration script");
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            inline,
            "every <script> carries this response's nonce: {html}"
        );
        // Another response, another nonce.
        let again = app.get("/login").await;
        let second = again
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(!second.contains(&nonce), "nonces are not reused");
        // Non-page responses allow nothing at all.
        let health = app.get("/health").await;
        let policy = health
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert_eq!(policy, "default-src 'none'; frame-ancestors 'none'");
    }
);

db_test!(
    hsts_is_sent_when_the_app_is_served_over_https,
    settings = |s| s.session.secure_cookie = true,
    |app| {
        let response = app.get("/health").await;
        let hsts = response
            .headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert_eq!(hsts, "max-age=31536000; includeSubDomains");
    }
);
