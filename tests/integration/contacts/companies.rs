//! Companies: they hold contacts and are searched and restored like them.

use super::*;

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
