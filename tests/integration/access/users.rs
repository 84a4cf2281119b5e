//! Managing users: create, change, deactivate, reactivate, bad input, the last admin, passwords.

use super::*;

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
