//! The audit log: what writes it (logging an activity, signing out), whose address and browser
//! it records, and that nobody can change or remove a row once written — on both backends.

use crate::harness::{registered_admin, TestApp};
use crm::on_db;

const BROWSER: &str = "AuditTest/1.0 (+https://crm.example/test)";

/// Posts a server function's form as `client` with our own User-Agent and, optionally, a
/// proxy's X-Forwarded-For.
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
    forwarded_for: Option<&str>,
) -> u16 {
    let mut request = client
        .post(app.url(path))
        .header("Origin", format!("http://{}", app.address))
        .header(reqwest::header::USER_AGENT, BROWSER)
        .form(form);
    if let Some(chain) = forwarded_for {
        request = request.header("X-Forwarded-For", chain);
    }
    request.send().await.expect("request").status().as_u16()
}

type Row = (
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
);

/// The newest row of `action`: actor, entity, ip, user agent, changes.
async fn newest(app: &TestApp, action: &str) -> Row {
    on_db!(&app.db, |pool| sqlx::query_as::<
        _,
        (
            Option<i64>,
            Option<i64>,
            Option<String>,
            Option<String>,
            String
        ),
    >(
        "SELECT actor_id, entity_id, ip, user_agent, CAST(changes AS TEXT) FROM audit_log
         WHERE action = $1 ORDER BY id DESC LIMIT 1"
    )
    .bind(action)
    .fetch_optional(pool)
    .await
    .expect("audit query"))
    .unwrap_or_else(|| panic!("no audit row for {action}"))
}

async fn admin_id(app: &TestApp) -> i64 {
    on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM users WHERE email = 'ada@alpha.example'"
    )
    .fetch_one(pool)
    .await
    .expect("admin"))
}

db_test!(
    logging_an_activity_and_signing_out_are_audited_with_address_and_browser,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let contact = app
            .created(&admin, "contacts", &[("name", "Ana")])
            .await
            .to_string();
        let form = [
            ("form[kind]", "note"),
            ("form[body]", "Asked for a quote"),
            ("form[contact_id]", contact.as_str()),
        ];
        assert_eq!(
            post(&app, &admin, "/api/activities/log", &form, None).await,
            200
        );
        let activity: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT MAX(id) FROM activities WHERE kind = 'note'"
        )
        .fetch_one(pool)
        .await
        .expect("activity"));
        let (actor, entity, ip, agent, changes) = newest(&app, "activity.logged").await;
        assert_eq!(actor, Some(admin_id(&app).await));
        assert_eq!(entity, Some(activity));
        // Not behind a proxy: the peer's address; a forged X-Forwarded-For would be ignored.
        assert_eq!(ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(agent.as_deref(), Some(BROWSER));
        let changes: serde_json::Value = serde_json::from_str(&changes).expect("changes JSON");
        assert_eq!(changes["kind"][1], "note", "{changes}");
        assert_eq!(changes["contact_id"][1].to_string(), contact, "{changes}");

        assert_eq!(
            post(
                &app,
                &admin,
                "/api/auth/sign_out",
                &[],
                Some("198.51.100.7")
            )
            .await,
            200
        );
        let (actor, entity, ip, agent, _) = newest(&app, "user.logout").await;
        let ada = Some(admin_id(&app).await);
        assert_eq!((actor, entity), (ada, ada));
        assert_eq!(
            ip.as_deref(),
            Some("127.0.0.1"),
            "not behind a proxy: the header is not trusted"
        );
        assert_eq!(agent.as_deref(), Some(BROWSER));
        // Signed out, the session no longer acts.
        let (status, _) = app.call(&admin, "/api/contacts/list", &[]).await;
        assert_eq!(status, 401);
    }
);

db_test!(
    behind_a_proxy_the_address_is_the_one_the_proxy_added,
    settings = |s| s.server.behind_proxy = true,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        // The client may send its own X-Forwarded-For; the proxy appends the real address last.
        assert_eq!(
            post(
                &app,
                &admin,
                "/api/auth/sign_out",
                &[],
                Some("10.9.9.9, 203.0.113.42")
            )
            .await,
            200
        );
        let (_, _, ip, agent, _) = newest(&app, "user.logout").await;
        assert_eq!(ip.as_deref(), Some("203.0.113.42"));
        assert_eq!(agent.as_deref(), Some(BROWSER));
    }
);

db_test!(audit_rows_can_be_neither_changed_nor_removed, |app| {
    registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let before: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log"
    )
    .fetch_one(pool)
    .await
    .expect("count"));
    assert!(before > 0, "registration is audited");
    let update = on_db!(&app.db, |pool| sqlx::query(
        "UPDATE audit_log SET action = 'forged'"
    )
    .execute(pool)
    .await
    .map(|_| ()));
    let error = update.expect_err("an UPDATE of audit_log must fail");
    assert!(error.to_string().contains("append-only"), "{error}");
    let delete = on_db!(&app.db, |pool| sqlx::query("DELETE FROM audit_log")
        .execute(pool)
        .await
        .map(|_| ()));
    let error = delete.expect_err("a DELETE from audit_log must fail");
    assert!(error.to_string().contains("append-only"), "{error}");
    let (after, forged): (i64, i64) = on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE action = 'forged') FROM audit_log"
    )
    .fetch_one(pool)
    .await
    .expect("count"));
    assert_eq!((after, forged), (before, 0));
});
