//! The probe against every id-taking route, and the check that every server function is listed.

use super::*;

#[test]
fn every_server_function_is_classified() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let classified: BTreeSet<String> = ID_TAKING
        .iter()
        .map(|(p, _, _, _)| p.to_string())
        .chain(NO_ID.iter().map(|p| p.to_string()))
        .collect();
    let unclassified: Vec<_> = registered.difference(&classified).collect();
    assert!(
        unclassified.is_empty(),
        "add these to ID_TAKING (and so the probe) or NO_ID: {unclassified:?}"
    );
}

async fn answer(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = app.post_form_as(client, path, form).await;
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

db_test!(tenant_a_learns_nothing_about_tenant_b_ids, |app| {
    let a = crate::harness::registered_admin(&app, "Alpha", "admin@alpha.example").await;
    let b = crate::harness::registered_admin(&app, "Beta", "admin@beta.example").await;
    // Tenant B's records: its admin, a team and a user.
    let team: Value = app
        .post_form_as(&b, "/api/teams/create", &[("name", "Beta Team")])
        .await
        .json()
        .await
        .expect("team");
    let team_id = team["id"].as_i64().expect("id").to_string();
    let form = [
        ("name", "Bea"),
        ("email", "bea@beta.example"),
        ("role", "sales_agent"),
        ("team_id", team_id.as_str()),
        ("temporary_password", PASSWORD),
    ];
    let user: Value = app
        .post_form_as(&b, "/api/users/create", &form)
        .await
        .json()
        .await
        .expect("user");
    let user_id = user["id"].as_i64().expect("id").to_string();

    let contact: Value = app
        .post_form_as(
            &b,
            "/api/contacts/create",
            &[
                ("form[name]", "Bea's Lead"),
                ("form[email]", "lead@beta.example"),
            ],
        )
        .await
        .json()
        .await
        .expect("contact");
    let contact_id = contact["id"].as_i64().expect("id").to_string();
    let company_id: i64 = crm::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO companies (tenant_id, name, notes, sort_name, search_text, created_at, updated_at)
             SELECT tenant_id, 'Beta Corp', '', 'beta corp', 'beta corp', created_at, created_at FROM users
             WHERE email = 'bea@beta.example' RETURNING id",
        )
        .fetch_one(pool).await.expect("company")
    });
    let company_id = company_id.to_string();
    let deal: Value = app
        .post_form_as(
            &b,
            "/api/deals/create",
            &[
                ("form[title]", "Beta Deal"),
                ("form[contact_id]", contact_id.as_str()),
            ],
        )
        .await
        .json()
        .await
        .expect("deal");
    let deal_id = deal["id"].as_i64().expect("deal id").to_string();
    let pipelines: Value = app
        .post_form_as(&b, "/api/pipelines/list", &[])
        .await
        .json()
        .await
        .expect("pipelines");
    let b_task: Value = app
        .post_form_as(
            &b,
            "/api/tasks/create",
            &[
                ("form[title]", "Beta Task"),
                ("form[due_at]", "2026-12-01T09:00:00Z"),
            ],
        )
        .await
        .json()
        .await
        .expect("task");
    let task_id = b_task["id"].as_i64().expect("task id").to_string();
    let b_token: Value = app
        .post_form_as(&b, "/api/api_tokens/create", &[("name", "Beta token")])
        .await
        .json()
        .await
        .expect("token");
    let token_id = b_token["token"]["id"]
        .as_i64()
        .expect("token id")
        .to_string();
    let dispositions: Value = app
        .post_form_as(&b, "/api/dispositions/list", &[])
        .await
        .json()
        .await
        .expect("dispositions");
    let disposition_id = dispositions[1]["id"]
        .as_i64()
        .expect("disposition")
        .to_string();
    let b_call: Value = app
        .post_form_as(&b, "/api/calls/start", &[("form[number]", "+4930123456")])
        .await
        .json()
        .await
        .expect("call");
    let call_id = b_call["id"].as_i64().expect("call id").to_string();
    let notification_id: i64 = crm::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO notifications (tenant_id, user_id, kind, title, created_at)
             SELECT tenant_id, id, 'deal_assigned', 'Bea got Beta Deal', created_at FROM users
             WHERE email = 'bea@beta.example' RETURNING id",
        )
        .fetch_one(pool)
        .await
        .expect("notification")
    });
    let notification_id = notification_id.to_string();
    let job_id: i64 = crm::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO jobs (tenant_id, kind, status, run_at, attempts, max_attempts, last_error,
                 created_at, updated_at)
             SELECT tenant_id, 'contacts.recompute_status', 'failed', created_at, 5, 5, 'Beta boom',
                 created_at, created_at FROM users
             WHERE email = 'bea@beta.example' RETURNING id",
        )
        .fetch_one(pool)
        .await
        .expect("job")
    });
    let job_id = job_id.to_string();
    let pipeline_id = pipelines[0]["id"].as_i64().expect("pipeline").to_string();
    let stage_id = pipelines[0]["stages"][1]["id"]
        .as_i64()
        .expect("stage")
        .to_string();

    let before = crm::on_db!(&app.db, |pool| {
        sqlx::query_as::<_, (i64, String, bool)>(
            "SELECT team_id, role, is_active FROM users WHERE email = 'bea@beta.example'",
        )
        .fetch_one(pool)
        .await
        .expect("row")
    });

    for (path, id_field, kind, rest) in ID_TAKING {
        let foreign = match kind {
            Kind::User => user_id.as_str(),
            Kind::Team => team_id.as_str(),
            Kind::Contact => contact_id.as_str(),
            Kind::Company => company_id.as_str(),
            Kind::Deal => deal_id.as_str(),
            Kind::Stage => stage_id.as_str(),
            Kind::Pipeline => pipeline_id.as_str(),
            Kind::Task => task_id.as_str(),
            Kind::ApiToken => token_id.as_str(),
            Kind::Disposition => disposition_id.as_str(),
            Kind::Call => call_id.as_str(),
            Kind::Notification => notification_id.as_str(),
            Kind::Job => job_id.as_str(),
        };
        let mut with_foreign: Vec<(&str, &str)> = rest.to_vec();
        with_foreign.push((id_field, foreign));
        let mut with_missing: Vec<(&str, &str)> = rest.to_vec();
        with_missing.push((id_field, NO_SUCH_ID));
        let (status, body) = answer(&app, &a, path, &with_foreign).await;
        let (missing_status, missing_body) = answer(&app, &a, path, &with_missing).await;
        // 404 for records, 422 for a foreign id in a form, or the empty answer a list gives for
        // an id that does not exist: in every case exactly what a made-up id gets.
        assert!(matches!(status, 200 | 404 | 422), "{path}: {status} {body}");
        assert_eq!(
            (status, &body),
            (missing_status, &missing_body),
            "{path}: B's id must look like no id at all"
        );
        for secret in [
            "bea@beta.example",
            "Beta Team",
            "Bea",
            "lead@beta.example",
            "Beta Corp",
            "Beta boom",
        ] {
            assert!(!body.contains(secret), "{path} leaked {secret}: {body}");
        }
    }
    let after = crm::on_db!(&app.db, |pool| {
        sqlx::query_as::<_, (i64, String, bool)>(
            "SELECT team_id, role, is_active FROM users WHERE email = 'bea@beta.example'",
        )
        .fetch_one(pool)
        .await
        .expect("row")
    });
    assert_eq!(before, after, "B's user is untouched");
    let unread: bool = crm::on_db!(&app.db, |pool| {
        sqlx::query_scalar(
            "SELECT read_at IS NULL FROM notifications WHERE title = 'Bea got Beta Deal'",
        )
        .fetch_one(pool)
        .await
        .expect("notification")
    });
    assert!(unread, "B's notification stays unread");
    let parked: String = crm::on_db!(&app.db, |pool| {
        sqlx::query_scalar("SELECT status FROM jobs WHERE last_error = 'Beta boom'")
            .fetch_one(pool)
            .await
            .expect("job")
    });
    assert_eq!(parked, "failed", "B's job is neither retried nor discarded");
    let (_, listed) = answer(&app, &a, "/api/users/list", &[]).await;
    assert!(!listed.contains("beta.example"), "{listed}");
    let (_, teams) = answer(&app, &a, "/api/teams/list", &[]).await;
    assert!(!teams.contains("Beta Team"), "{teams}");
});
