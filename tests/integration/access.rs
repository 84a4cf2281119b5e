//! User management, teams, the permission matrix and own/team/all visibility, on both backends.

use crate::harness::{new_browser, TestApp};
use crm::on_db;
use serde_json::Value;

const PASSWORD: &str = crate::harness::TEST_PASSWORD;

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .expect(sql))
}

/// Registers "Alpha" and returns its admin's browser.
async fn alpha_admin(app: &TestApp) -> reqwest::Client {
    crate::harness::registered_admin(app, "Alpha", "ada@alpha.example").await
}

async fn create_team(app: &TestApp, admin: &reqwest::Client, name: &str) -> String {
    let (status, team) = app
        .call(admin, "/api/teams/create", &[("name", name)])
        .await;
    assert_eq!(status, 200, "{team}");
    team["id"].as_i64().expect("team id").to_string()
}

async fn create_user(
    app: &TestApp,
    admin: &reqwest::Client,
    name: &str,
    email: &str,
    role: &str,
    team: &str,
) -> Value {
    let form = [
        ("name", name),
        ("email", email),
        ("role", role),
        ("team_id", team),
        ("temporary_password", PASSWORD),
    ];
    let (status, user) = app.call(admin, "/api/users/create", &form).await;
    assert_eq!(status, 200, "{user}");
    user
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let browser = new_browser();
    let (status, body) = app
        .call(
            &browser,
            "/api/auth/sign_in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{email}: {body}");
    browser
}

fn emails(users: &Value) -> Vec<String> {
    let mut list: Vec<String> = users
        .as_array()
        .expect("list")
        .iter()
        .map(|u| u["email"].as_str().unwrap_or_default().to_string())
        .collect();
    list.sort();
    list
}

db_test!(
    admin_creates_changes_deactivates_and_reactivates_users_with_audit,
    |app| {
        let admin = alpha_admin(&app).await;
        let north = create_team(&app, &admin, "North").await;
        let agent = create_user(
            &app,
            &admin,
            "Sam Seller",
            "Sam@Alpha.example",
            "sales_agent",
            &north,
        )
        .await;
        assert_eq!(agent["email"], "sam@alpha.example");
        assert_eq!(agent["role"], "sales_agent");
        assert_eq!(agent["team_name"], "North");
        let id = agent["id"].as_i64().expect("id").to_string();

        let sam = signed_in(&app, "sam@alpha.example").await;
        let (status, updated) = app
            .call(
                &admin,
                "/api/users/update",
                &[("user_id", &id), ("role", "supervisor"), ("team_id", "")],
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(updated["role"], "supervisor");
        assert_eq!(updated["team_id"], Value::Null);

        let (status, _) = app
            .call(
                &admin,
                "/api/users/set_active",
                &[("user_id", &id), ("active", "false")],
            )
            .await;
        assert_eq!(status, 200);
        let (_, me) = app.call(&sam, "/api/auth/current_user", &[]).await;
        assert_eq!(
            me,
            Value::Null,
            "a deactivated user's session stops at once"
        );
        let (status, _) = app
            .call(
                &new_browser(),
                "/api/auth/sign_in",
                &[("email", "sam@alpha.example"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, 401);

        let (status, back) = app
            .call(
                &admin,
                "/api/users/set_active",
                &[("user_id", &id), ("active", "true")],
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(back["is_active"], true);
        signed_in(&app, "sam@alpha.example").await;

        for (action, n) in [
            ("team.created", 1),
            ("user.created", 1),
            ("user.updated", 1),
            ("user.deactivated", 1),
            ("user.reactivated", 1),
        ] {
            let sql = format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND actor_id IS NOT NULL"
            );
            assert_eq!(scalar(&app, &sql).await, n, "{action}");
        }
        let changes: String = on_db!(&app.db, |pool| {
            sqlx::query_scalar::<_, String>(
                "SELECT CAST(changes AS TEXT) FROM audit_log WHERE action = 'user.updated'",
            )
            .fetch_one(pool)
            .await
            .expect("row")
        });
        let changes: Value = serde_json::from_str(&changes).expect("json");
        assert_eq!(
            changes["role"],
            serde_json::json!(["sales_agent", "supervisor"])
        );
    }
);

db_test!(
    creating_a_user_with_bad_input_names_each_field_and_writes_nothing,
    |app| {
        let admin = alpha_admin(&app).await;
        let users = scalar(&app, "SELECT COUNT(*) FROM users").await;
        let form = [
            ("name", ""),
            ("email", "x"),
            ("role", "king"),
            ("team_id", "999999"),
            ("temporary_password", "short"),
        ];
        let (status, body) = app.call(&admin, "/api/users/create", &form).await;
        assert_eq!(status, 422);
        let fields = &body["Validation"]["fields"];
        for field in ["name", "email", "role", "team_id", "temporary_password"] {
            assert!(fields[field].is_string(), "{field} missing in {body}");
        }
        let (status, body) = app
            .call(
                &admin,
                "/api/users/create",
                &[
                    ("name", "Dup"),
                    ("email", "ADA@alpha.example"),
                    ("role", "read_only"),
                    ("team_id", ""),
                    ("temporary_password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(
            body["Validation"]["fields"]["email"],
            "is already used by another account"
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM users").await, users);
    }
);

db_test!(each_role_sees_its_scope_in_a_tenant_with_two_teams, |app| {
    let admin = alpha_admin(&app).await;
    let north = create_team(&app, &admin, "North").await;
    let south = create_team(&app, &admin, "South").await;
    create_user(
        &app,
        &admin,
        "Sue",
        "sue@alpha.example",
        "supervisor",
        &north,
    )
    .await;
    create_user(
        &app,
        &admin,
        "Nils",
        "nils@alpha.example",
        "sales_agent",
        &north,
    )
    .await;
    create_user(
        &app,
        &admin,
        "Sofia",
        "sofia@alpha.example",
        "support_agent",
        &south,
    )
    .await;
    create_user(&app, &admin, "Rita", "rita@alpha.example", "read_only", "").await;

    let everyone = [
        "ada@alpha.example",
        "nils@alpha.example",
        "rita@alpha.example",
        "sofia@alpha.example",
        "sue@alpha.example",
    ];
    let (_, all) = app.call(&admin, "/api/users/list", &[]).await;
    assert_eq!(
        emails(&all),
        everyone,
        "admin: all of the tenant, nobody of the demo tenant"
    );
    let (_, team) = app
        .call(
            &signed_in(&app, "sue@alpha.example").await,
            "/api/users/list",
            &[],
        )
        .await;
    assert_eq!(
        emails(&team),
        ["nils@alpha.example", "sue@alpha.example"],
        "supervisor: own team"
    );
    let (_, own) = app
        .call(
            &signed_in(&app, "sofia@alpha.example").await,
            "/api/users/list",
            &[],
        )
        .await;
    assert_eq!(emails(&own), ["sofia@alpha.example"], "agent: own records");
    let (_, read_only) = app
        .call(
            &signed_in(&app, "rita@alpha.example").await,
            "/api/users/list",
            &[],
        )
        .await;
    assert_eq!(
        emails(&read_only),
        everyone,
        "read only: all, without writes"
    );
});

db_test!(only_admins_manage_users_teams_and_permissions, |app| {
    let admin = alpha_admin(&app).await;
    create_user(
        &app,
        &admin,
        "Nils",
        "nils@alpha.example",
        "sales_agent",
        "",
    )
    .await;
    create_user(&app, &admin, "Rita", "rita@alpha.example", "read_only", "").await;
    for email in ["nils@alpha.example", "rita@alpha.example"] {
        let user = signed_in(&app, email).await;
        let form = [
            ("name", "X"),
            ("email", "x@alpha.example"),
            ("role", "tenant_admin"),
            ("team_id", ""),
            ("temporary_password", PASSWORD),
        ];
        assert_eq!(
            app.call(&user, "/api/users/create", &form).await.0,
            403,
            "{email}"
        );
        assert_eq!(
            app.call(&user, "/api/teams/create", &[("name", "Mine")])
                .await
                .0,
            403,
            "{email}"
        );
        assert_eq!(
            app.call(&user, "/api/permissions/matrix", &[]).await.0,
            403,
            "{email}"
        );
        let grant = [
            ("role", "sales_agent"),
            ("permission", "users.manage"),
            ("granted", "true"),
        ];
        assert_eq!(
            app.call(&user, "/api/permissions/set", &grant).await.0,
            403,
            "{email}"
        );
    }
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE email = 'x@alpha.example'"
        )
        .await,
        0
    );
});

db_test!(
    nobody_signed_in_gets_401_from_every_acting_endpoint,
    |app| {
        let anonymous = new_browser();
        for path in [
            "/api/users/list",
            "/api/teams/list",
            "/api/permissions/matrix",
            "/api/users/change_password",
        ] {
            let (status, body) = app
                .call(
                    &anonymous,
                    path,
                    &[("current_password", "x"), ("new_password", "y")],
                )
                .await;
            assert_eq!(status, 401, "{path}: {body}");
        }
    }
);

db_test!(the_last_admin_cannot_lose_admin_rights, |app| {
    let admin = alpha_admin(&app).await;
    let (_, me) = app.call(&admin, "/api/auth/current_user", &[]).await;
    let my_id = me["user_id"].as_i64().expect("id").to_string();
    let (status, body) = app
        .call(
            &admin,
            "/api/users/update",
            &[
                ("user_id", &my_id),
                ("role", "sales_agent"),
                ("team_id", ""),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["Validation"]["fields"]["role"]
        .as_str()
        .unwrap_or_default()
        .contains("at least one active admin"));
    let (status, _) = app
        .call(
            &admin,
            "/api/users/set_active",
            &[("user_id", &my_id), ("active", "false")],
        )
        .await;
    assert_eq!(status, 422);

    create_user(&app, &admin, "Bo", "bo@alpha.example", "tenant_admin", "").await;
    let (status, _) = app
        .call(
            &admin,
            "/api/users/update",
            &[
                ("user_id", &my_id),
                ("role", "sales_agent"),
                ("team_id", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "with another admin, stepping down is fine");
});

db_test!(
    permission_changes_apply_on_the_next_request_and_admins_keep_their_core,
    |app| {
        let admin = alpha_admin(&app).await;
        create_user(
            &app,
            &admin,
            "Nils",
            "nils@alpha.example",
            "sales_agent",
            "",
        )
        .await;
        let nils = signed_in(&app, "nils@alpha.example").await;
        let (_, me) = app.call(&nils, "/api/auth/current_user", &[]).await;
        assert!(me["permissions"]
            .as_array()
            .expect("list")
            .iter()
            .any(|p| p == "deals.manage"));

        let revoke = [
            ("role", "sales_agent"),
            ("permission", "deals.manage"),
            ("granted", "false"),
        ];
        let (status, matrix) = app.call(&admin, "/api/permissions/set", &revoke).await;
        assert_eq!(status, 200);
        assert!(!matrix["granted"]
            .as_array()
            .expect("list")
            .iter()
            .any(|g| g == &serde_json::json!(["sales_agent", "deals.manage"])));
        let (_, me) = app.call(&nils, "/api/auth/current_user", &[]).await;
        assert!(!me["permissions"]
            .as_array()
            .expect("list")
            .iter()
            .any(|p| p == "deals.manage"));
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'permission.revoked'"
            )
            .await,
            1
        );

        let lockout = [
            ("role", "tenant_admin"),
            ("permission", "users.manage"),
            ("granted", "false"),
        ];
        let (status, body) = app.call(&admin, "/api/permissions/set", &lockout).await;
        assert_eq!(status, 422, "{body}");
        let unknown = [
            ("role", "sales_agent"),
            ("permission", "root.everything"),
            ("granted", "true"),
        ];
        assert_eq!(
            app.call(&admin, "/api/permissions/set", &unknown).await.0,
            422
        );
    }
);

db_test!(users_change_their_own_password, |app| {
    let admin = alpha_admin(&app).await;
    let change = |current: &'static str, new: &'static str| {
        [("current_password", current), ("new_password", new)]
    };
    let (status, body) = app
        .call(
            &admin,
            "/api/users/change_password",
            &change("wrong one!!", "another good one"),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["Validation"]["fields"]["current_password"],
        "is not correct"
    );
    let (status, body) = app
        .call(
            &admin,
            "/api/users/change_password",
            &change(PASSWORD, "short"),
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["Validation"]["fields"]["new_password"].is_string());
    let (status, _) = app
        .call(
            &admin,
            "/api/users/change_password",
            &change(PASSWORD, "another good one"),
        )
        .await;
    assert_eq!(status, 200);
    let fresh = new_browser();
    let (status, _) = app
        .call(
            &fresh,
            "/api/auth/sign_in",
            &[("email", "ada@alpha.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = app
        .call(
            &fresh,
            "/api/auth/sign_in",
            &[
                ("email", "ada@alpha.example"),
                ("password", "another good one"),
            ],
        )
        .await;
    assert_eq!(status, 200);
});
