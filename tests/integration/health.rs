use crm::db::Backend;
use serde_json::Value;

db_test!(health_is_ok_and_names_backend_and_version, |app| {
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON body");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "up");
    let expected_backend = match app.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(body["backend"], expected_backend);
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
});

db_test!(health_is_503_when_the_database_is_gone, |app| {
    match app.backend {
        // The file cannot be made unreachable under a live pool; closing the pool is the same
        // failure as far as the handler can tell (every query errors).
        Backend::Sqlite => app.db.close().await,
        // A real outage: the database disappears and its connections are terminated.
        Backend::Postgres => app.database.drop_now().await,
    }
    let response = app.get("/health").await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.expect("JSON body");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "down");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
});

db_test!(graceful_stop_finishes_cleanly, |app| {
    assert_eq!(app.get("/health").await.status(), 200);
    let address = app.address;
    app.stop().await.expect("server stopped without error");
    let after = reqwest::Client::new()
        .get(format!("http://{address}/health"))
        .send()
        .await;
    assert!(after.is_err(), "nothing listens after shutdown");
});
