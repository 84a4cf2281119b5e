//! Roles and permissions: each role's scope, admin-only management, 401s, permission changes.

use super::*;

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
