//! Contact and company phones are stored in E.164 beside the typed form, read with the tenant's
//! default country; a number that is none there is refused at save, naming the number and the
//! country; inbound calls find the contact by the normalised number; rows saved before are
//! filled in at start-up.

use super::*;
use crm::records::service::{normalise_saved_phones, PhonesNormalised};

db_test!(
    phones_are_stored_in_e164_and_bad_ones_refused_at_save,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        // The tenant is in the US by default: a German local number is no number there.
        let (status, body) = app
            .call_nested(
                &admin,
                "/api/contacts/create",
                "form",
                &[("name", "Jonas"), ("phone", "030 123 45 67")],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let reason = body["Validation"]["fields"]["phone"]
            .as_str()
            .expect("the phone field's reason");
        assert!(
            reason.contains("'030 123 45 67'")
                && reason.contains(" in US")
                && reason.contains("+49"),
            "names the number, the country and how to fix it: {reason}"
        );
        let contacts: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM contacts"
        )
        .fetch_one(pool)
        .await
        .expect("count"));
        assert_eq!(contacts, 0, "nothing saved");

        let (status, _) = app
            .call(
                &admin,
                "/api/calls/set_default_country",
                &[("country", "DE")],
            )
            .await;
        assert_eq!(status, 200);
        let (status, contact) = app
            .call_nested(
                &admin,
                "/api/contacts/create",
                "form",
                &[("name", "Jonas"), ("phone", "030 123 45 67")],
            )
            .await;
        assert_eq!(status, 200, "{contact}");
        assert_eq!(contact["phone"], "030 123 45 67", "shown as typed");
        assert_eq!(contact["phone_e164"], "+49301234567");
        let (status, company) = app
            .call_nested(
                &admin,
                "/api/companies/create",
                "form",
                &[("name", "Acme"), ("phone", "(030) 98 76 54")],
            )
            .await;
        assert_eq!(status, 200, "{company}");
        assert_eq!(company["phone_e164"], "+4930987654");

        // An edit re-reads the number; clearing it clears both forms.
        let id = contact["id"].as_i64().expect("id");
        let (status, edited) = app
            .call(
                &admin,
                "/api/contacts/update",
                &[
                    ("id", id.to_string().as_str()),
                    ("form[name]", "Jonas"),
                    ("form[phone]", "+1 (201) 555-0123"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(edited["phone_e164"], "+12015550123");
        let (status, cleared) = app
            .call(
                &admin,
                "/api/contacts/update",
                &[("id", id.to_string().as_str()), ("form[name]", "Jonas")],
            )
            .await;
        assert_eq!(status, 200, "{cleared}");
        assert!(cleared["phone_e164"].is_null(), "{cleared}");
    }
);

db_test!(inbound_calls_match_the_number_in_any_layout, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    app.call(
        &admin,
        "/api/calls/set_default_country",
        &[("country", "DE")],
    )
    .await;
    // Written with spaces in one layout, called from another: only the E.164 forms agree.
    let contact = app
        .created(
            &admin,
            "contacts",
            &[("name", "Jonas"), ("phone", "030 123 45 67")],
        )
        .await;
    // Same last four digits, another number: must not be taken for Jonas.
    app.created(
        &admin,
        "contacts",
        &[("name", "Other"), ("phone", "040 123 45 67")],
    )
    .await;
    let (status, call) = start(
        &app,
        &admin,
        &[("number", "+49 (30) 1234-567"), ("direction", "inbound")],
    )
    .await;
    assert_eq!(status, 200, "{call}");
    assert_eq!(call["from_number"], "+49301234567");
    assert_eq!(call["contact_id"], contact, "{call}");
});

db_test!(phones_saved_before_normalisation_are_filled_in, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let readable = app
        .created(
            &admin,
            "contacts",
            &[("name", "Old"), ("phone", "(201) 555-0123")],
        )
        .await;
    let unreadable = app
        .created(
            &admin,
            "contacts",
            &[("name", "Odd"), ("phone", "(201) 555-0124")],
        )
        .await;
    let company = app
        .created(
            &admin,
            "companies",
            &[("name", "Old Co"), ("phone", "212 555 0188")],
        )
        .await;
    // As rows saved before the migration: the typed phone only.
    on_db!(&app.db, |pool| {
        sqlx::query("UPDATE contacts SET phone_e164 = NULL, phone = CASE WHEN id = $1 THEN '99' ELSE phone END")
            .bind(unreadable)
            .execute(pool)
            .await
            .expect("contacts");
        sqlx::query("UPDATE companies SET phone_e164 = NULL")
            .execute(pool)
            .await
            .expect("companies");
    });

    let done = normalise_saved_phones(&app.db).await.expect("normalised");
    assert_eq!(
        done,
        PhonesNormalised {
            written: 2,
            unreadable: 1
        }
    );
    let stored = |table: &'static str, id: i64| {
        let db = app.db.clone();
        async move {
            let sql = format!("SELECT phone_e164 FROM {table} WHERE id = $1");
            let e164: Option<String> = on_db!(&db, |pool| sqlx::query_scalar(&sql)
                .bind(id)
                .fetch_one(pool)
                .await
                .expect("row"));
            e164
        }
    };
    assert_eq!(
        stored("contacts", readable).await.as_deref(),
        Some("+12015550123")
    );
    assert_eq!(stored("contacts", unreadable).await, None, "left as typed");
    assert_eq!(
        stored("companies", company).await.as_deref(),
        Some("+12125550188")
    );
    // Run again (another instance starting): nothing more to write.
    let again = normalise_saved_phones(&app.db).await.expect("again");
    assert_eq!(again.written, 0);
});
