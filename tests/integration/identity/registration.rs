//! Registration: provisioning the tenant, taken emails, bad fields, a failure midway rolled back.

use super::*;

db_test!(
    registration_provisions_the_tenant_and_signs_the_admin_in,
    |app| {
        let response = register(&app, "Acme Widgets", "Ana@Acme.example").await;
        assert_redirects(&response, "/");
        let tenant_id = scalar(&app, "SELECT id FROM tenants WHERE slug = 'acme-widgets'").await;
        let counted =
            |table: &str| format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = {tenant_id}");
        assert_eq!(scalar(&app, &counted("users")).await, 1);
        assert_eq!(scalar(&app, &counted("pipelines")).await, 1);
        assert_eq!(scalar(&app, &counted("pipeline_stages")).await, 6);
        assert_eq!(
            scalar(
                &app,
                &format!("{} AND is_won = TRUE", counted("pipeline_stages"))
            )
            .await,
            1
        );
        assert_eq!(
            scalar(
                &app,
                &format!("{} AND is_lost = TRUE", counted("pipeline_stages"))
            )
            .await,
            1
        );
        assert_eq!(scalar(&app, &counted("call_dispositions")).await, 6);
        assert_eq!(
            scalar(
                &app,
                &format!("{} AND requires_note = TRUE", counted("call_dispositions"))
            )
            .await,
            1
        );
        assert!(scalar(&app, &counted("role_permissions")).await > 20);
        assert_eq!(
            scalar(
                &app,
                &format!("{} AND action = 'tenant.registered'", counted("audit_log"))
            )
            .await,
            1
        );

        let me = current_user(&app, &app.client).await;
        assert_eq!(me["email"], "ana@acme.example", "stored lower-cased");
        assert_eq!(me["role"], "tenant_admin");
        assert_eq!(me["tenant_name"], "Acme Widgets");
        assert!(me["permissions"]
            .as_array()
            .expect("list")
            .iter()
            .any(|p| p == "users.manage"));
    }
);

db_test!(
    registration_with_a_taken_email_is_rejected_on_the_field_and_writes_nothing,
    |app| {
        assert_redirects(&register(&app, "First Co", "owner@example.com").await, "/");
        let tenants = scalar(&app, "SELECT COUNT(*) FROM tenants").await;
        let response = register(&app, "Second Co", "OWNER@example.com").await;
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.expect("json");
        assert_eq!(
            body["Validation"]["fields"]["email"],
            "is already registered: sign in instead"
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM tenants").await, tenants);
    }
);

db_test!(
    registration_reports_every_bad_field_and_writes_nothing,
    |app| {
        let before = scalar(&app, "SELECT COUNT(*) FROM tenants").await;
        let response = app
            .post_form(
                REGISTER,
                &[
                    ("company_name", " "),
                    ("admin_name", "Ana"),
                    ("email", "ana@"),
                    ("password", "ana@"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.expect("json");
        let fields = &body["Validation"]["fields"];
        assert_eq!(fields["company_name"], "is required");
        assert_eq!(fields["email"], "must look like name@example.com");
        assert_eq!(
            fields["password"],
            "must be at least 10 characters, and not your email address"
        );
        assert!(fields.get("admin_name").is_none());
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM tenants").await, before);
    }
);

db_test!(
    a_failure_midway_through_registration_rolls_everything_back,
    |app| {
        // Make the last provisioning step fail, as a full disk or a bug would.
        match app.backend {
        crm::db::Backend::Sqlite => {
            execute(&app, "CREATE TRIGGER fail_dispositions BEFORE INSERT ON call_dispositions BEGIN SELECT RAISE(ABORT, 'boom'); END").await
        }
        crm::db::Backend::Postgres => {
            execute(&app, "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END; $$").await;
            execute(&app, "CREATE TRIGGER fail_dispositions BEFORE INSERT ON call_dispositions FOR EACH ROW EXECUTE FUNCTION boom()").await;
        }
    }
        let counts = "SELECT (SELECT COUNT(*) FROM tenants) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM pipelines)
                  + (SELECT COUNT(*) FROM pipeline_stages) + (SELECT COUNT(*) FROM role_permissions) + (SELECT COUNT(*) FROM audit_log)";
        let before = scalar(&app, counts).await;
        let response = register(&app, "Doomed Co", "doomed@example.com").await;
        assert_eq!(response.status(), 500);
        let body: Value = response.json().await.expect("json");
        assert_eq!(
            body,
            Value::String("Internal".into()),
            "no internal detail leaks: {body}"
        );
        assert_eq!(scalar(&app, counts).await, before, "nothing half-written");
        assert_eq!(
            current_user(&app, &app.client).await,
            Value::Null,
            "not signed in"
        );
    }
);
