//! The cross-tenant probe: tenant A's admin sends tenant B's ids to every route that takes an id
//! and must learn nothing — the answer is the same as for an id that does not exist.
//!
//! `ID_TAKING` and `NO_ID` together must list every server function; a new one fails
//! `every_server_function_is_classified` until it is added here (and so probed).

use crate::harness::TestApp;
use serde_json::Value;
use std::collections::BTreeSet;

const PASSWORD: &str = crate::harness::TEST_PASSWORD;
const NO_SUCH_ID: &str = "987654321";

/// The kinds of tenant B records the probe aims at.
#[derive(Clone, Copy)]
enum Kind {
    User,
    Team,
    Contact,
    Company,
    Deal,
    Stage,
    Pipeline,
    Task,
    ApiToken,
    Disposition,
    Call,
}

/// A route probed with a foreign id: its path, the field that carries the id, whose id it is,
/// and the other fields.
type Probe = (
    &'static str,
    &'static str,
    Kind,
    &'static [(&'static str, &'static str)],
);

const ID_TAKING: &[Probe] = &[
    (
        "/api/calls/event",
        "id",
        Kind::Call,
        &[("event", "hang_up")],
    ),
    (
        "/api/calls/wrap_up",
        "id",
        Kind::Call,
        &[("form[disposition_id]", "1")],
    ),
    (
        "/api/calls/start",
        "form[related_id]",
        Kind::Contact,
        &[
            ("form[number]", "+4930123456"),
            ("form[related_type]", "contact"),
        ],
    ),
    (
        "/api/calls/start",
        "form[related_id]",
        Kind::Deal,
        &[
            ("form[number]", "+4930123456"),
            ("form[related_type]", "deal"),
        ],
    ),
    ("/api/calls/list", "filter[user_id]", Kind::User, &[]),
    (
        "/api/calls/list",
        "filter[disposition_id]",
        Kind::Disposition,
        &[],
    ),
    ("/api/api_tokens/revoke", "id", Kind::ApiToken, &[]),
    ("/api/deals/list", "filter[stage_id]", Kind::Stage, &[]),
    // Lists filter by ids too: another tenant's id must find exactly what no id finds.
    ("/api/contacts/list", "filter[owner_id]", Kind::User, &[]),
    (
        "/api/contacts/list",
        "filter[company_id]",
        Kind::Company,
        &[],
    ),
    ("/api/companies/list", "filter[owner_id]", Kind::User, &[]),
    ("/api/audit/list", "filter[actor_id]", Kind::User, &[]),
    (
        "/api/audit/list",
        "filter[entity_id]",
        Kind::Contact,
        &[("filter[entity_type]", "contact")],
    ),
    (
        "/api/audit/list",
        "filter[entity_id]",
        Kind::User,
        &[("filter[entity_type]", "user")],
    ),
    ("/api/deals/list", "filter[contact_id]", Kind::Contact, &[]),
    ("/api/deals/delete", "id", Kind::Deal, &[]),
    ("/api/deals/restore", "id", Kind::Deal, &[]),
    (
        "/api/stages/update",
        "id",
        Kind::Stage,
        &[("form[name]", "Probe")],
    ),
    ("/api/stages/delete", "id", Kind::Stage, &[]),
    (
        "/api/pipelines/rename",
        "id",
        Kind::Pipeline,
        &[("name", "Probe")],
    ),
    (
        "/api/dispositions/update",
        "id",
        Kind::Disposition,
        &[("form[name]", "Probe")],
    ),
    (
        "/api/dispositions/set_default",
        "id",
        Kind::Disposition,
        &[],
    ),
    ("/api/dispositions/delete", "id", Kind::Disposition, &[]),
    // Must list the actor's own dispositions: a foreign id is refused like a made-up one.
    (
        "/api/dispositions/reorder",
        "ids[0]",
        Kind::Disposition,
        &[],
    ),
    (
        "/api/stages/create",
        "pipeline_id",
        Kind::Pipeline,
        &[("form[name]", "Probe")],
    ),
    (
        "/api/stages/reorder",
        "pipeline_id",
        Kind::Pipeline,
        &[("stage_ids[0]", "1")],
    ),
    (
        "/api/tasks/set_status",
        "id",
        Kind::Task,
        &[("status", "completed")],
    ),
    (
        "/api/tasks/create",
        "form[contact_id]",
        Kind::Contact,
        &[
            ("form[title]", "Probe"),
            ("form[due_at]", "2026-12-01T09:00:00Z"),
        ],
    ),
    (
        "/api/tasks/create",
        "form[deal_id]",
        Kind::Deal,
        &[
            ("form[title]", "Probe"),
            ("form[due_at]", "2026-12-01T09:00:00Z"),
        ],
    ),
    (
        "/api/tasks/create",
        "form[assignee_id]",
        Kind::User,
        &[
            ("form[title]", "Probe"),
            ("form[due_at]", "2026-12-01T09:00:00Z"),
        ],
    ),
    ("/api/deals/get", "id", Kind::Deal, &[]),
    (
        "/api/activities/timeline",
        "id",
        Kind::Deal,
        &[("of", "deal")],
    ),
    (
        "/api/activities/timeline",
        "id",
        Kind::Contact,
        &[("of", "contact")],
    ),
    (
        "/api/activities/timeline",
        "id",
        Kind::Company,
        &[("of", "company")],
    ),
    (
        "/api/activities/log",
        "form[deal_id]",
        Kind::Deal,
        &[("form[kind]", "note"), ("form[body]", "x")],
    ),
    (
        "/api/activities/log",
        "form[contact_id]",
        Kind::Contact,
        &[("form[kind]", "note"), ("form[body]", "x")],
    ),
    (
        "/api/activities/log",
        "form[company_id]",
        Kind::Company,
        &[("form[kind]", "note"), ("form[body]", "x")],
    ),
    (
        "/api/deals/update",
        "id",
        Kind::Deal,
        &[("version", "1"), ("form[title]", "Probe")],
    ),
    (
        "/api/deals/move",
        "id",
        Kind::Deal,
        &[("to[stage_id]", "1"), ("to[version]", "1")],
    ),
    (
        "/api/deals/create",
        "form[contact_id]",
        Kind::Contact,
        &[("form[title]", "Probe")],
    ),
    (
        "/api/deals/create",
        "form[company_id]",
        Kind::Company,
        &[("form[title]", "Probe")],
    ),
    (
        "/api/deals/create",
        "form[stage_id]",
        Kind::Stage,
        &[("form[title]", "Probe")],
    ),
    ("/api/deals/board", "pipeline_id", Kind::Pipeline, &[]),
    ("/api/reports/dashboard", "pipeline_id", Kind::Pipeline, &[]),
    ("/api/companies/get", "id", Kind::Company, &[]),
    (
        "/api/companies/update",
        "id",
        Kind::Company,
        &[("form[name]", "Probe")],
    ),
    ("/api/companies/delete", "id", Kind::Company, &[]),
    ("/api/companies/restore", "id", Kind::Company, &[]),
    ("/api/contacts/get", "id", Kind::Contact, &[]),
    // Owner 1 is tenant A's admin, a valid owner, so only the id can fail.
    (
        "/api/contacts/assign_owner",
        "ids[0]",
        Kind::Contact,
        &[("owner_id", "1")],
    ),
    (
        "/api/companies/assign_owner",
        "ids[0]",
        Kind::Company,
        &[("owner_id", "1")],
    ),
    (
        "/api/contacts/update",
        "id",
        Kind::Contact,
        &[("form[name]", "Probe")],
    ),
    ("/api/contacts/delete", "id", Kind::Contact, &[]),
    ("/api/contacts/restore", "id", Kind::Contact, &[]),
    (
        "/api/contacts/create",
        "form[company_id]",
        Kind::Company,
        &[("form[name]", "Probe")],
    ),
    (
        "/api/users/update",
        "user_id",
        Kind::User,
        &[("role", "sales_agent"), ("team_id", "")],
    ),
    (
        "/api/users/set_active",
        "user_id",
        Kind::User,
        &[("active", "false")],
    ),
    (
        "/api/users/create",
        "team_id",
        Kind::Team,
        &[
            ("name", "Probe"),
            ("email", "probe@a.example"),
            ("role", "sales_agent"),
            ("temporary_password", PASSWORD),
        ],
    ),
];

/// Server functions that take no record id.
const NO_ID: &[&str] = &[
    "/api/auth/current_user",
    // Only ever the actor's own tokens.
    "/api/api_tokens/list",
    "/api/api_tokens/create",
    "/api/auth/sign_in",
    "/api/auth/sign_out",
    "/api/auth/register",
    "/api/status/installation",
    "/api/users/list",
    "/api/users/change_password",
    "/api/teams/list",
    "/api/teams/create",
    "/api/permissions/matrix",
    "/api/permissions/set",
    "/api/companies/create",
    "/api/pipelines/list",
    "/api/tasks/mine",
    "/api/pipelines/create",
    // Only ever the actor's own tenant's dispositions.
    "/api/dispositions/list",
    "/api/dispositions/create",
    // Only ever the actor's own calls and tenant.
    "/api/calls/console",
    "/api/calls/default_country",
    "/api/calls/set_default_country",
    // Only ever the actor's own tenant's PBX tokens (tests/calls.rs: revoking leaves another
    // tenant's working).
    "/api/pbx_tokens/list",
    "/api/pbx_tokens/rotate",
    "/api/pbx_tokens/revoke",
];

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
    let (_, listed) = answer(&app, &a, "/api/users/list", &[]).await;
    assert!(!listed.contains("beta.example"), "{listed}");
    let (_, teams) = answer(&app, &a, "/api/teams/list", &[]).await;
    assert!(!teams.contains("Beta Team"), "{teams}");
});
