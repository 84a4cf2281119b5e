//! Numbers and refusals: bad numbers, other tenants' records, the tenant's default country.

use super::*;

db_test!(bad_numbers_and_other_tenants_records_are_refused, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let other = registered_admin(&app, "Beta", "bea@beta.example").await;
    let theirs = app
        .created(&other, "contacts", &[("name", "Bea's client")])
        .await;

    for bad in ["12", "call me", ""] {
        let (status, body) = start(&app, &admin, &[("number", bad)]).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body["Validation"]["fields"]["number"].is_string(), "{body}");
    }
    let (status, body) = start(
        &app,
        &admin,
        &[
            ("number", "+12015550123"),
            ("related_type", "contact"),
            ("related_id", &theirs.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["Validation"]["fields"]["related_id"].is_string(),
        "{body}"
    );
    assert!(!body.to_string().contains("Bea's client"), "{body}");
    let calls: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM calls"
    )
    .fetch_one(pool)
    .await
    .expect("count"));
    assert_eq!(calls, 0, "refused calls leave no row");

    // Another tenant's call cannot be moved or wrapped up: not found.
    let (status, call) = start(&app, &other, &[("number", "+4930123456")]).await;
    assert_eq!(status, 200, "{call}");
    let id = call["id"].as_i64().expect("id");
    assert_eq!(event(&app, &admin, id, "hang_up").await.0, 404);
    let list = dispositions(&app, &admin).await;
    assert_eq!(
        wrap_up(&app, &admin, id, &default_disposition(&list), "")
            .await
            .0,
        404
    );
    // …nor with the other tenant's disposition on one's own call.
    let (_, mine) = start(&app, &admin, &[("number", "+12015550123")]).await;
    let mine = mine["id"].as_i64().expect("id");
    event(&app, &admin, mine, "fail").await;
    let theirs_default = default_disposition(&dispositions(&app, &other).await);
    let (status, body) = wrap_up(&app, &admin, mine, &theirs_default, "").await;
    assert_eq!(status, 422, "{body}");
});

db_test!(numbers_are_read_in_the_tenants_default_country, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let (status, body) = app.call(&admin, "/api/calls/default_country", &[]).await;
    assert_eq!((status, body.as_str()), (200, Some("US")), "{body}");
    let (status, body) = app
        .call(
            &admin,
            "/api/calls/set_default_country",
            &[("country", "XX")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["Validation"]["fields"]["country"].is_string(),
        "{body}"
    );
    let (status, body) = app
        .call(
            &admin,
            "/api/calls/set_default_country",
            &[("country", " de ")],
        )
        .await;
    assert_eq!((status, body.as_str()), (200, Some("DE")), "{body}");

    let (status, call) = start(&app, &admin, &[("number", "030 1234567")]).await;
    assert_eq!(status, 200, "{call}");
    assert_eq!(call["to_number"], "+49301234567");

    let agent = app
        .user_signed_in(&admin, "agent@alpha.example", "sales_agent", "")
        .await;
    assert_eq!(
        app.call(
            &agent,
            "/api/calls/set_default_country",
            &[("country", "GB")]
        )
        .await
        .0,
        403
    );
    let other = registered_admin(&app, "Beta", "bea@beta.example").await;
    let (_, theirs) = app.call(&other, "/api/calls/default_country", &[]).await;
    assert_eq!(theirs, "US", "one tenant's setting is its own");
});
