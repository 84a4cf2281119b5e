//! What a team sets up first: the company's name, timezone and default currency (admins), and
//! each user's own timezone and language; every change audited, bad values refused per field.

use crate::harness::{registered_admin, TestApp};
use serde_json::Value;

async fn tenant_settings(app: &TestApp, client: &reqwest::Client) -> (u16, Value) {
    app.call(client, "/api/tenant/settings", &[]).await
}

async fn save_tenant(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    app.call_nested(client, "/api/tenant/update_settings", "form", fields)
        .await
}

async fn save_preferences(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    app.call_nested(client, "/api/users/update_preferences", "form", fields)
        .await
}

/// The timezone "my tasks" groups days in: the user's own, else the company's.
async fn task_timezone(app: &TestApp, client: &reqwest::Client) -> Value {
    let (status, mine) = app.call(client, "/api/tasks/mine", &[]).await;
    assert_eq!(status, 200, "{mine}");
    mine["timezone"].clone()
}

async fn newest_audit(app: &TestApp, client: &reqwest::Client, action: &str) -> Value {
    let (status, rows) = app
        .call(client, "/api/audit/list", &[("filter[action]", action)])
        .await;
    assert_eq!(status, 200, "{rows}");
    rows[0].clone()
}

db_test!(admins_set_the_company_name_timezone_and_currency, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (status, before) = tenant_settings(&app, &admin).await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(
        before,
        serde_json::json!({"name": "Alpha", "timezone": "UTC", "default_currency": "EUR"})
    );

    // Every bad field is named at once, and nothing is saved.
    let (status, body) = save_tenant(
        &app,
        &admin,
        &[
            ("name", " "),
            ("timezone", "Mars/Olympus"),
            ("default_currency", "EURO"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    for field in ["name", "timezone", "default_currency"] {
        assert!(
            body["Validation"]["fields"][field].is_string(),
            "{field}: {body}"
        );
    }
    assert_eq!(tenant_settings(&app, &admin).await.1, before);

    let (status, saved) = save_tenant(
        &app,
        &admin,
        &[
            ("name", " Alpha GmbH "),
            ("timezone", "America/New_York"),
            ("default_currency", "usd"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        saved,
        serde_json::json!({"name": "Alpha GmbH", "timezone": "America/New_York", "default_currency": "USD"})
    );
    assert_eq!(tenant_settings(&app, &admin).await.1, saved);
    let entry = newest_audit(&app, &admin, "tenant.settings_changed").await;
    assert_eq!(
        entry["changes"]["timezone"],
        serde_json::json!(["UTC", "America/New_York"])
    );
    assert_eq!(
        entry["changes"]["default_currency"],
        serde_json::json!(["EUR", "USD"])
    );
    assert_eq!(
        entry["changes"]["name"],
        serde_json::json!(["Alpha", "Alpha GmbH"])
    );
    // The header's company name follows.
    let (_, me) = app.call(&admin, "/api/auth/current_user", &[]).await;
    assert_eq!(me["tenant_name"], "Alpha GmbH");
    assert_eq!(task_timezone(&app, &admin).await, "America/New_York");

    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    assert_eq!(tenant_settings(&app, &agent).await.0, 403);
    let agent_try = [
        ("name", "Taken over"),
        ("timezone", "UTC"),
        ("default_currency", "EUR"),
    ];
    assert_eq!(save_tenant(&app, &agent, &agent_try).await.0, 403);
    let other = registered_admin(&app, "Beta", "bea@beta.example").await;
    assert_eq!(tenant_settings(&app, &other).await.1["timezone"], "UTC");
});

db_test!(each_user_sets_their_own_timezone_and_language, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    let (status, prefs) = app.call(&agent, "/api/users/preferences", &[]).await;
    assert_eq!(status, 200, "{prefs}");
    assert_eq!(prefs, serde_json::json!({"timezone": null, "locale": "en"}));

    let (status, body) =
        save_preferences(&app, &agent, &[("timezone", "Berlin"), ("locale", "xx")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["Validation"]["fields"]["timezone"].is_string(),
        "{body}"
    );
    assert!(body["Validation"]["fields"]["locale"].is_string(), "{body}");

    let (status, saved) = save_preferences(
        &app,
        &agent,
        &[("timezone", "Asia/Tokyo"), ("locale", "de")],
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        saved,
        serde_json::json!({"timezone": "Asia/Tokyo", "locale": "de"})
    );
    assert_eq!(task_timezone(&app, &agent).await, "Asia/Tokyo");
    // Only their own: the admin's day still follows the company.
    assert_eq!(task_timezone(&app, &admin).await, "UTC");
    let entry = newest_audit(&app, &admin, "user.preferences_changed").await;
    assert_eq!(
        entry["changes"]["timezone"],
        serde_json::json!([null, "Asia/Tokyo"])
    );
    assert_eq!(entry["changes"]["locale"], serde_json::json!(["en", "de"]));

    // Blank goes back to the company's timezone.
    let (status, saved) =
        save_preferences(&app, &agent, &[("timezone", " "), ("locale", "de")]).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["timezone"], Value::Null);
    assert_eq!(task_timezone(&app, &agent).await, "UTC");
});
