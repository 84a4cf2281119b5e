//! The settings editors' server side: call dispositions (one default, unique names, the default
//! kept, audit rows, permissions, tenant isolation) and the pipeline editor's additions (rename a
//! pipeline, the default stage), on both backends.

use crate::harness::{registered_admin, TestApp};
use serde_json::Value;

async fn dispositions(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    let (status, list) = app.call(client, "/api/dispositions/list", &[]).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().expect("a list").clone()
}

fn names(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|d| d["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn defaults(list: &[Value]) -> Vec<String> {
    list.iter()
        .filter(|d| d["is_default"] == true)
        .map(|d| d["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn id_of(list: &[Value], name: &str) -> String {
    list.iter()
        .find(|d| d["name"] == name)
        .and_then(|d| d["id"].as_i64())
        .unwrap_or_else(|| panic!("no {name}"))
        .to_string()
}

async fn audit_actions(app: &TestApp, client: &reqwest::Client, prefix: &str) -> Vec<String> {
    let (status, rows) = app
        .call(client, "/api/audit/list", &[("filter[action]", prefix)])
        .await;
    assert_eq!(status, 200, "{rows}");
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| r["action"].as_str().unwrap_or_default().to_string())
        .collect()
}

db_test!(
    dispositions_keep_one_default_unique_names_and_an_audit_trail,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let start = dispositions(&app, &admin).await;
        assert_eq!(start.len(), 6);
        assert_eq!(defaults(&start), ["Connected"]);

        let (status, created) = app
            .call_nested(
                &admin,
                "/api/dispositions/create",
                "form",
                &[("name", " Left message "), ("requires_note", "true")],
            )
            .await;
        assert_eq!(status, 200, "{created}");
        assert_eq!(created["name"], "Left message");
        assert_eq!(created["requires_note"], true);
        assert_eq!(created["is_default"], false);
        assert_eq!(
            names(&dispositions(&app, &admin).await)
                .last()
                .map(String::as_str),
            Some("Left message")
        );
        let new_id = created["id"].to_string();

        // Names are unique per tenant, ignoring case, with the reason on the field.
        for name in ["connected", "Busy", ""] {
            let (status, body) = app
                .call_nested(
                    &admin,
                    "/api/dispositions/create",
                    "form",
                    &[("name", name)],
                )
                .await;
            assert_eq!(status, 422, "{name}: {body}");
            assert!(body["Validation"]["fields"]["name"].is_string(), "{body}");
        }
        let (status, body) = app
            .call(
                &admin,
                "/api/dispositions/update",
                &[("id", &new_id), ("form[name]", "busy")],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body["Validation"]["fields"]["name"],
            "another disposition has this name"
        );
        let (status, renamed) = app
            .call(
                &admin,
                "/api/dispositions/update",
                &[("id", &new_id), ("form[name]", "Left a message")],
            )
            .await;
        assert_eq!(status, 200, "{renamed}");
        assert_eq!(
            renamed["requires_note"], false,
            "an unchecked box clears the flag"
        );

        // Exactly one default, always.
        let (status, body) = app
            .call(&admin, "/api/dispositions/set_default", &[("id", &new_id)])
            .await;
        assert_eq!(status, 200, "{body}");
        let list = dispositions(&app, &admin).await;
        assert_eq!(defaults(&list), ["Left a message"]);

        // The default cannot be deleted; another one can.
        let (status, body) = app
            .call(&admin, "/api/dispositions/delete", &[("id", &new_id)])
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body["Conflict"]
                .as_str()
                .unwrap_or_default()
                .contains("is the default"),
            "{body}"
        );
        let connected = id_of(&list, "Connected");
        let (status, _) = app
            .call(&admin, "/api/dispositions/delete", &[("id", &connected)])
            .await;
        assert_eq!(status, 200);
        let list = dispositions(&app, &admin).await;
        assert_eq!(list.len(), 6);
        assert_eq!(defaults(&list), ["Left a message"]);

        // Reordering lists every disposition exactly once.
        let mut ids: Vec<String> = list.iter().map(|d| d["id"].to_string()).collect();
        let listed = |ids: &[String]| -> Vec<(String, String)> {
            ids.iter()
                .enumerate()
                .map(|(i, id)| (format!("ids[{i}]"), id.clone()))
                .collect()
        };
        let fields = listed(&ids[1..]);
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (status, _) = app.call(&admin, "/api/dispositions/reorder", &fields).await;
        assert_eq!(status, 422, "one missing");
        ids.reverse();
        let fields = listed(&ids);
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (status, reordered) = app.call(&admin, "/api/dispositions/reorder", &fields).await;
        assert_eq!(status, 200, "{reordered}");
        let mut expected = names(&list);
        expected.reverse();
        assert_eq!(names(&dispositions(&app, &admin).await), expected);

        let actions = audit_actions(&app, &admin, "disposition.").await;
        for action in [
            "disposition.created",
            "disposition.updated",
            "disposition.default_changed",
            "disposition.deleted",
            "disposition.reordered",
        ] {
            assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
        }
        assert_eq!(
            actions
                .iter()
                .filter(|a| *a == "disposition.deleted")
                .count(),
            1,
            "the refused delete wrote nothing"
        );
    }
);

db_test!(
    agents_read_dispositions_but_only_admins_change_them,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let agent = app
            .user_signed_in(&admin, "sam@alpha.example", "sales_agent", "")
            .await;
        let list = dispositions(&app, &agent).await;
        assert_eq!(list.len(), 6, "agents need them at wrap-up");
        let busy = id_of(&list, "Busy");
        let all: Vec<(String, String)> = list
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("ids[{i}]"), d["id"].to_string()))
            .collect();
        let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let writes: [(&str, Vec<(&str, &str)>); 5] = [
            ("/api/dispositions/create", vec![("form[name]", "Mine")]),
            (
                "/api/dispositions/update",
                vec![("id", &busy), ("form[name]", "Mine")],
            ),
            ("/api/dispositions/set_default", vec![("id", &busy)]),
            ("/api/dispositions/reorder", all),
            ("/api/dispositions/delete", vec![("id", &busy)]),
        ];
        for (path, form) in writes {
            let (status, body) = app.call(&agent, path, &form).await;
            assert_eq!(status, 403, "{path}: {body}");
        }
        assert_eq!(names(&dispositions(&app, &admin).await), names(&list));
        assert!(audit_actions(&app, &admin, "disposition.").await.is_empty());
    }
);

db_test!(another_tenants_disposition_is_not_found, |app| {
    let alpha = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let beta = registered_admin(&app, "Beta", "bob@beta.example").await;
    let theirs = id_of(&dispositions(&app, &beta).await, "Busy");
    for (path, form) in [
        (
            "/api/dispositions/update",
            vec![("id", theirs.as_str()), ("form[name]", "Mine")],
        ),
        (
            "/api/dispositions/set_default",
            vec![("id", theirs.as_str())],
        ),
        ("/api/dispositions/delete", vec![("id", theirs.as_str())]),
    ] {
        let (status, body) = app.call(&alpha, path, &form).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let list = dispositions(&app, &beta).await;
    assert_eq!(list.len(), 6);
    assert_eq!(defaults(&list), ["Connected"]);
    assert!(list.iter().all(|d| d["name"] != "Mine"));
});

db_test!(
    pipelines_are_renamed_and_new_deals_start_in_the_default_stage,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (_, pipelines) = app.call(&admin, "/api/pipelines/list", &[]).await;
        let pipeline = &pipelines[0];
        let pipeline_id = pipeline["id"].to_string();
        let (status, other) = app
            .call(&admin, "/api/pipelines/create", &[("name", "Renewals")])
            .await;
        assert_eq!(status, 200, "{other}");

        let (status, renamed) = app
            .call(
                &admin,
                "/api/pipelines/rename",
                &[("id", &pipeline_id), ("name", "New business")],
            )
            .await;
        assert_eq!(status, 200, "{renamed}");
        assert_eq!(renamed["name"], "New business");
        for (name, field_reason) in [
            ("Renewals", "a pipeline with this name exists"),
            (" ", "is required"),
        ] {
            let (status, body) = app
                .call(
                    &admin,
                    "/api/pipelines/rename",
                    &[("id", &pipeline_id), ("name", name)],
                )
                .await;
            assert_eq!(status, 422, "{body}");
            assert_eq!(body["Validation"]["fields"]["name"], field_reason);
        }
        assert!(audit_actions(&app, &admin, "pipeline.renamed").await.len() == 1);

        // Making "Qualified" the default clears the flag on "New"; new deals start there.
        let qualified = pipeline["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .find(|s| s["name"] == "Qualified")
            .expect("Qualified")
            .clone();
        let qualified_id = qualified["id"].to_string();
        let probability = qualified["probability"].to_string();
        let color = qualified["color"].as_str().unwrap_or_default().to_string();
        let (status, body) = app
            .call(
                &admin,
                "/api/stages/update",
                &[
                    ("id", &qualified_id),
                    ("form[name]", "Qualified"),
                    ("form[color]", &color),
                    ("form[probability]", &probability),
                    ("form[is_default]", "true"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, pipelines) = app.call(&admin, "/api/pipelines/list", &[]).await;
        let default_stages: Vec<&str> = pipelines[0]["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .filter(|s| s["is_default"] == true)
            .map(|s| s["name"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(default_stages, ["Qualified"]);
        let (status, deal) = app
            .call_nested(&admin, "/api/deals/create", "form", &[("title", "Fresh")])
            .await;
        assert_eq!(status, 200, "{deal}");
        assert_eq!(deal["stage_name"], "Qualified");
        let changes = audit_actions(&app, &admin, "stage.updated").await;
        assert_eq!(changes.len(), 1);

        let agent = app
            .user_signed_in(&admin, "sam@alpha.example", "sales_agent", "")
            .await;
        let (status, _) = app
            .call(
                &agent,
                "/api/pipelines/rename",
                &[("id", &pipeline_id), ("name", "Mine")],
            )
            .await;
        assert_eq!(status, 403);
    }
);

db_test!(
    the_settings_page_shows_each_editor_only_with_its_permission,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let html = admin
            .get(app.url("/settings"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        for editor in ["pipelines-editor", "dispositions-editor", "audit-log"] {
            assert!(
                html.contains(&format!("data-testid=\"{editor}\"")),
                "{editor}"
            );
        }
        assert!(
            html.contains("Callback requested"),
            "dispositions are server-rendered"
        );
        let agent = app
            .user_signed_in(&admin, "sam@alpha.example", "sales_agent", "")
            .await;
        let response = agent.get(app.url("/settings")).send().await.expect("page");
        assert_eq!(response.status(), 403);
        let html = response.text().await.expect("html");
        for editor in ["pipelines-editor", "dispositions-editor", "audit-log"] {
            assert!(!html.contains(editor), "{editor}");
        }
    }
);
