//! Creating and changing contacts: duplicate emails, bad input, audit, delete and restore.

use super::*;

db_test!(
    duplicate_email_is_rejected_with_a_link_to_the_existing_contact,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let first = created(
            &app,
            &admin,
            &[("name", "Ana"), ("email", "ana@example.com")],
        )
        .await;
        let (status, body) = create(
            &app,
            &admin,
            &[("name", "Ana Again"), ("email", "ANA@example.com")],
        )
        .await;
        assert_eq!(status, 409);
        assert_eq!(body["Duplicate"]["existing_id"], first);
        assert_eq!(body["Duplicate"]["field"], "email");

        // Deleted contacts do not block the address; restoring one that would clash is refused.
        assert_eq!(
            app.call(
                &admin,
                "/api/contacts/delete",
                &[("id", &first.to_string())]
            )
            .await
            .0,
            200
        );
        let second = created(
            &app,
            &admin,
            &[("name", "Ana New"), ("email", "ana@example.com")],
        )
        .await;
        let (status, body) = app
            .call(
                &admin,
                "/api/contacts/restore",
                &[("id", &first.to_string())],
            )
            .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["Duplicate"]["existing_id"], second);
    }
);

db_test!(bad_input_names_each_field_and_writes_nothing, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let fields = [
        ("name", " "),
        ("email", "nope"),
        ("phone", "call me"),
        ("status", "Warm"),
        ("score", "lukewarm"),
        ("company_id", "12345"),
    ];
    let (status, body) = create(&app, &admin, &fields).await;
    assert_eq!(status, 422);
    let errors = &body["Validation"]["fields"];
    for field in ["name", "email", "phone", "status", "score", "company_id"] {
        assert!(errors[field].is_string(), "{field} missing: {body}");
    }
    let count = on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM contacts"
    )
    .fetch_one(pool)
    .await
    .expect("count"));
    assert_eq!(count, 0);
});

db_test!(
    updates_are_audited_field_by_field_and_deletes_can_be_restored_by_admins,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let agent = add_user(&app, &admin, "nils@alpha.example", "sales_agent", "").await;
        let id = created(&app, &agent, &[("name", "Lena"), ("score", "cold")])
            .await
            .to_string();
        let update = [
            ("id", id.as_str()),
            ("form[name]", "Lena Berg"),
            ("form[score]", "hot"),
        ];
        let (status, contact) = app.call(&agent, "/api/contacts/update", &update).await;
        assert_eq!(status, 200, "{contact}");
        assert_eq!(contact["name"], "Lena Berg");
        assert_eq!(contact["score"], "hot");
        let changes: String = on_db!(&app.db, |pool| {
            sqlx::query_scalar::<_, String>(
                "SELECT CAST(changes AS TEXT) FROM audit_log WHERE action = 'contact.updated'",
            )
            .fetch_one(pool)
            .await
            .expect("audit row")
        });
        let changes: Value = serde_json::from_str(&changes).expect("json");
        assert_eq!(
            changes,
            serde_json::json!({"name": ["Lena", "Lena Berg"], "score": ["cold", "hot"]})
        );

        assert_eq!(
            app.call(&agent, "/api/contacts/delete", &[("id", &id)])
                .await
                .0,
            200
        );
        assert!(search(&app, &agent, &[]).await.is_empty());
        assert_eq!(
            app.call(&agent, "/api/contacts/get", &[("id", &id)])
                .await
                .0,
            404
        );
        assert_eq!(
            app.call(&agent, "/api/contacts/restore", &[("id", &id)])
                .await
                .0,
            403,
            "restore is for admins"
        );
        let (status, restored) = app
            .call(&admin, "/api/contacts/restore", &[("id", &id)])
            .await;
        assert_eq!(status, 200, "{restored}");
        assert_eq!(search(&app, &agent, &[]).await, ["Lena Berg"]);
    }
);
