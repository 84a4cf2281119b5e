//! The activity timeline: logging calls, emails, meetings and notes; one feed per contact,
//! company and deal; immutability; on both backends.

use crate::harness::{registered_admin, TestApp};
use crm::on_db;
use serde_json::Value;

async fn nested(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    app.call_nested(client, path, "form", fields).await
}

async fn id_of(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> String {
    let (status, body) = nested(app, client, path, fields).await;
    assert_eq!(status, 200, "{path}: {body}");
    body["id"].as_i64().expect("id").to_string()
}

async fn log(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> (u16, Value) {
    nested(app, client, "/api/activities/log", fields).await
}

async fn timeline(app: &TestApp, client: &reqwest::Client, of: &str, id: &str) -> Vec<String> {
    let (status, page) = app
        .call(
            client,
            "/api/activities/timeline",
            &[("of", of), ("id", id)],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

db_test!(
    one_feed_per_card_with_links_completed_from_the_deal,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let company = id_of(&app, &admin, "/api/companies/create", &[("name", "Acme")]).await;
        let contact = id_of(
            &app,
            &admin,
            "/api/contacts/create",
            &[("name", "Ana"), ("company_id", &company)],
        )
        .await;
        let deal = id_of(
            &app,
            &admin,
            "/api/deals/create",
            &[
                ("title", "Acme deal"),
                ("contact_id", &contact),
                ("company_id", &company),
            ],
        )
        .await;

        let (status, note) = log(
            &app,
            &admin,
            &[
                ("kind", "note"),
                ("body", "Prefers email"),
                ("contact_id", &contact),
            ],
        )
        .await;
        assert_eq!(status, 200, "{note}");
        assert_eq!(
            note["company_id"].to_string(),
            company,
            "the contact's company is linked too"
        );
        let (status, logged) = log(
            &app,
            &admin,
            &[
                ("kind", "call"),
                ("direction", "outbound"),
                ("duration_seconds", "95"),
                ("body", "Discussed pricing"),
                ("deal_id", &deal),
            ],
        )
        .await;
        assert_eq!(status, 200, "{logged}");
        assert_eq!(logged["payload"]["duration_seconds"], 95);
        assert_eq!(
            logged["contact_id"].to_string(),
            contact,
            "the deal's contact is linked"
        );

        assert_eq!(
            timeline(&app, &admin, "contact", &contact).await,
            ["call", "note"],
            "newest first"
        );
        assert_eq!(
            timeline(&app, &admin, "company", &company).await,
            ["call", "note"]
        );
        assert_eq!(timeline(&app, &admin, "deal", &deal).await, ["call"]);

        let (_, ana) = app
            .call(&admin, "/api/contacts/get", &[("id", &contact)])
            .await;
        assert_eq!(
            ana["last_contacted_at"], logged["happened_at"],
            "a call marks the contact as contacted"
        );
    }
);

db_test!(
    a_note_does_not_count_as_contact_and_bad_input_is_refused,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let contact = id_of(&app, &admin, "/api/contacts/create", &[("name", "Ben")]).await;
        assert_eq!(
            log(
                &app,
                &admin,
                &[("kind", "note"), ("body", "x"), ("contact_id", &contact)]
            )
            .await
            .0,
            200
        );
        let (_, ben) = app
            .call(&admin, "/api/contacts/get", &[("id", &contact)])
            .await;
        assert_eq!(ben["last_contacted_at"], Value::Null);

        let cases: [(&[(&str, &str)], &str); 6] = [
            (&[("kind", "stage_change"), ("contact_id", "1")], "kind"),
            (&[("kind", "note"), ("contact_id", &contact)], "body"),
            (
                &[
                    ("kind", "email"),
                    ("direction", "outbound"),
                    ("contact_id", &contact),
                ],
                "subject",
            ),
            (
                &[
                    ("kind", "call"),
                    ("direction", "sideways"),
                    ("contact_id", &contact),
                ],
                "direction",
            ),
            (
                &[
                    ("kind", "meeting"),
                    ("happened_at", "2999-01-01T00:00:00Z"),
                    ("contact_id", &contact),
                ],
                "happened_at",
            ),
            (&[("kind", "meeting")], "contact_id"),
        ];
        for (fields, field) in cases {
            let (status, body) = log(&app, &admin, fields).await;
            assert_eq!(status, 422, "{fields:?}: {body}");
            assert!(
                body["Validation"]["fields"][field].is_string(),
                "{field}: {body}"
            );
        }
        assert_eq!(
            timeline(&app, &admin, "contact", &contact).await,
            ["note"],
            "nothing else was written"
        );
    }
);

db_test!(activities_cannot_be_changed_or_removed, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let contact = id_of(&app, &admin, "/api/contacts/create", &[("name", "Cyd")]).await;
    assert_eq!(
        log(
            &app,
            &admin,
            &[
                ("kind", "note"),
                ("body", "Original"),
                ("contact_id", &contact)
            ]
        )
        .await
        .0,
        200
    );
    let update = on_db!(&app.db, |pool| sqlx::query(
        "UPDATE activities SET body = 'Rewritten'"
    )
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(update.is_err(), "the schema refuses UPDATE");
    let delete = on_db!(&app.db, |pool| sqlx::query("DELETE FROM activities")
        .execute(pool)
        .await
        .map(|_| ()));
    assert!(delete.is_err(), "the schema refuses DELETE");
    let (_, page) = app
        .call(
            &admin,
            "/api/activities/timeline",
            &[("of", "contact"), ("id", &contact)],
        )
        .await;
    assert_eq!(page["items"][0]["body"], "Original");
});

db_test!(
    timelines_page_by_keyset_and_hide_other_peoples_cards,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let contact = id_of(&app, &admin, "/api/contacts/create", &[("name", "Dan")]).await;
        for n in 1..=5 {
            let at = format!("2026-11-0{n}T10:00:00Z");
            let body = format!("note {n}");
            assert_eq!(
                log(
                    &app,
                    &admin,
                    &[
                        ("kind", "note"),
                        ("body", &body),
                        ("happened_at", &at),
                        ("contact_id", &contact)
                    ]
                )
                .await
                .0,
                200
            );
        }
        let mut bodies = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut form = vec![("of", "contact"), ("id", contact.as_str()), ("limit", "2")];
            if let Some(c) = &cursor {
                form.push(("cursor", c.as_str()));
            }
            let (status, page) = app.call(&admin, "/api/activities/timeline", &form).await;
            assert_eq!(status, 200, "{page}");
            bodies.extend(
                page["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .map(|a| a["body"].as_str().unwrap_or_default().to_string()),
            );
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        assert_eq!(bodies, ["note 5", "note 4", "note 3", "note 2", "note 1"]);

        let nils = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        assert_eq!(
            app.call(
                &nils,
                "/api/activities/timeline",
                &[("of", "contact"), ("id", &contact)]
            )
            .await
            .0,
            404
        );
        assert_eq!(
            log(
                &app,
                &nils,
                &[
                    ("kind", "note"),
                    ("body", "sneaky"),
                    ("contact_id", &contact)
                ]
            )
            .await
            .0,
            422
        );
    }
);
