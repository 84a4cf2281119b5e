//! Contacts: create, read, update, soft delete and restore; search without regard to case or
//! accents; filters and keyset pages; visibility by owner; on both backends.

use crate::harness::{registered_admin, TestApp};
use crm::on_db;
use serde_json::Value;

async fn create(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> (u16, Value) {
    app.call_nested(client, "/api/contacts/create", "form", fields)
        .await
}

async fn created(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> i64 {
    let (status, body) = create(app, client, fields).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_i64().expect("id")
}

async fn search(app: &TestApp, client: &reqwest::Client, filter: &[(&str, &str)]) -> Vec<String> {
    let form: Vec<(String, &str)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), *v))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let (status, page) = app.call(client, "/api/contacts/list", &form).await;
    assert_eq!(status, 200, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn add_user(
    app: &TestApp,
    admin: &reqwest::Client,
    email: &str,
    role: &str,
    team: &str,
) -> reqwest::Client {
    app.user_signed_in(admin, email, role, team).await
}

db_test!(search_ignores_case_and_accents_and_finds_phones, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    created(
        &app,
        &admin,
        &[("name", "José Álvarez"), ("email", "jose@example.com")],
    )
    .await;
    created(
        &app,
        &admin,
        &[("name", "Zoë Kravitz"), ("phone", "+49 (30) 1234-567")],
    )
    .await;
    created(
        &app,
        &admin,
        &[("name", "Jost Meyer"), ("notes", "Met at the Straße fair")],
    )
    .await;

    assert_eq!(
        search(&app, &admin, &[("q", "jose")]).await,
        ["José Álvarez"]
    );
    assert_eq!(
        search(&app, &admin, &[("q", "JOSÉ")]).await,
        ["José Álvarez"]
    );
    assert_eq!(search(&app, &admin, &[("q", "ZOE")]).await, ["Zoë Kravitz"]);
    assert_eq!(
        search(&app, &admin, &[("q", "alvarez")]).await,
        ["José Álvarez"]
    );
    assert_eq!(
        search(&app, &admin, &[("q", "301234")]).await,
        ["Zoë Kravitz"],
        "phone digits"
    );
    assert_eq!(
        search(&app, &admin, &[("q", "strasse")]).await,
        ["Jost Meyer"],
        "notes, ß folded"
    );
    assert_eq!(
        search(&app, &admin, &[("q", "JOS")]).await,
        ["José Álvarez", "Jost Meyer"]
    );
    assert!(
        search(&app, &admin, &[("q", "%")]).await.is_empty(),
        "LIKE wildcards are literal"
    );
});

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

db_test!(keyset_pages_walk_the_list_without_gaps_or_repeats, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let names = ["Gus", "Ada", "Cyd", "Eve", "Bob", "Fay", "Dan"];
    for name in names {
        created(&app, &admin, &[("name", name)]).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut form = vec![("filter[limit]", "3")];
        if let Some(c) = &cursor {
            form.push(("filter[cursor]", c.as_str()));
        }
        let (status, page) = app.call(&admin, "/api/contacts/list", &form).await;
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 3);
        seen.extend(
            items
                .iter()
                .map(|c| c["name"].as_str().unwrap_or_default().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ["Ada", "Bob", "Cyd", "Dan", "Eve", "Fay", "Gus"]);
    let newest = search(&app, &admin, &[("sort", "newest"), ("limit", "2")]).await;
    assert_eq!(newest, ["Dan", "Fay"]);
    let (status, body) = app
        .call(
            &admin,
            "/api/contacts/list",
            &[("filter[cursor]", "garbage")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
});

db_test!(
    visibility_follows_the_owner_and_other_ids_answer_404,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (_, team) = app
            .call(&admin, "/api/teams/create", &[("name", "North")])
            .await;
        let north = team["id"].as_i64().expect("team").to_string();
        let sue = add_user(&app, &admin, "sue@alpha.example", "supervisor", &north).await;
        let nils = add_user(&app, &admin, "nils@alpha.example", "sales_agent", &north).await;
        let sofia = add_user(&app, &admin, "sofia@alpha.example", "sales_agent", "").await;
        let rita = add_user(&app, &admin, "rita@alpha.example", "read_only", "").await;

        let nils_contact = created(&app, &nils, &[("name", "Nils Lead")]).await;
        created(&app, &sofia, &[("name", "Sofia Lead")]).await;
        created(&app, &admin, &[("name", "Admin Lead")]).await;

        assert_eq!(
            search(&app, &admin, &[]).await,
            ["Admin Lead", "Nils Lead", "Sofia Lead"]
        );
        assert_eq!(
            search(&app, &sue, &[]).await,
            ["Nils Lead"],
            "supervisor: the team's"
        );
        assert_eq!(search(&app, &nils, &[]).await, ["Nils Lead"], "agent: own");
        assert_eq!(
            search(&app, &rita, &[]).await,
            ["Admin Lead", "Nils Lead", "Sofia Lead"],
            "read only: all"
        );

        let id = nils_contact.to_string();
        let (status, body) = app.call(&sofia, "/api/contacts/get", &[("id", &id)]).await;
        assert_eq!(
            (status, body.to_string()),
            (404, "\"NotFound\"".to_string())
        );
        assert_eq!(
            app.call(
                &sofia,
                "/api/contacts/update",
                &[("id", &id), ("form[name]", "Mine now")]
            )
            .await
            .0,
            404
        );
        assert_eq!(
            app.call(&sofia, "/api/contacts/delete", &[("id", &id)])
                .await
                .0,
            404
        );
        assert_eq!(
            app.call(&sue, "/api/contacts/get", &[("id", &id)]).await.0,
            200
        );
        assert_eq!(
            create(&app, &rita, &[("name", "Nope")]).await.0,
            403,
            "read only never writes"
        );
        // An agent cannot hand a contact to someone else; an admin can.
        let (status, body) = create(&app, &nils, &[("name", "Gift"), ("owner_id", "1")]).await;
        assert_eq!(status, 422);
        assert!(body["Validation"]["fields"]["owner_id"].is_string());
    }
);

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

async fn create_company(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let form: Vec<(String, &str)> = fields
        .iter()
        .map(|(k, v)| (format!("form[{k}]"), *v))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.call(client, "/api/companies/create", &form).await
}

db_test!(
    companies_hold_contacts_and_are_searched_and_restored_like_them,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (status, acme) = create_company(
            &app,
            &admin,
            &[
                ("name", "Ácme Straße GmbH"),
                ("domain", "https://www.ACME.example/x"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{acme}");
        assert_eq!(acme["domain"], "acme.example");
        let acme_id = acme["id"].as_i64().expect("id").to_string();
        created(&app, &admin, &[("name", "Ana"), ("company_id", &acme_id)]).await;
        created(&app, &admin, &[("name", "Ben"), ("company_id", &acme_id)]).await;

        let (_, got) = app
            .call(&admin, "/api/companies/get", &[("id", &acme_id)])
            .await;
        assert_eq!(got["contact_count"], 2);
        let (_, page) = app
            .call(
                &admin,
                "/api/companies/list",
                &[("filter[q]", "acme strasse")],
            )
            .await;
        assert_eq!(page["items"].as_array().expect("items").len(), 1, "{page}");
        assert_eq!(
            search(&app, &admin, &[("company_id", &acme_id)]).await,
            ["Ana", "Ben"]
        );

        let (status, body) = create_company(
            &app,
            &admin,
            &[("name", ""), ("domain", "nope"), ("phone", "x")],
        )
        .await;
        assert_eq!(status, 422);
        for field in ["name", "domain", "phone"] {
            assert!(
                body["Validation"]["fields"][field].is_string(),
                "{field}: {body}"
            );
        }

        assert_eq!(
            app.call(&admin, "/api/companies/delete", &[("id", &acme_id)])
                .await
                .0,
            200
        );
        assert_eq!(
            app.call(&admin, "/api/companies/get", &[("id", &acme_id)])
                .await
                .0,
            404
        );
        let (_, page) = app.call(&admin, "/api/companies/list", &[]).await;
        assert!(page["items"].as_array().expect("items").is_empty());
        let (status, restored) = app
            .call(&admin, "/api/companies/restore", &[("id", &acme_id)])
            .await;
        assert_eq!(status, 200, "{restored}");
        let audited = on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'company'"
        )
        .fetch_one(pool)
        .await
        .expect("count"));
        assert_eq!(audited, 3, "created, deleted, restored");
    }
);
