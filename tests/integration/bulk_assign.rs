//! Bulk "assign owner" from the contact and company lists: all chosen records or none, an audit
//! row per changed record, the same scope and 404s as single-record edits; on both backends.

use crate::harness::{registered_admin, TestApp};
use crm::on_db;
use serde_json::Value;

async fn new_record(app: &TestApp, client: &reqwest::Client, kind: &str, name: &str) -> i64 {
    let (status, body) = app
        .call_nested(
            client,
            &format!("/api/{kind}/create"),
            "form",
            &[("name", name)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_i64().expect("id")
}

async fn user_id(app: &TestApp, client: &reqwest::Client) -> i64 {
    let (status, me) = app.call(client, "/api/auth/current_user", &[]).await;
    assert_eq!(status, 200, "{me}");
    me["user_id"].as_i64().expect("user id")
}

async fn assign(
    app: &TestApp,
    client: &reqwest::Client,
    kind: &str,
    ids: &[i64],
    owner: i64,
) -> (u16, Value) {
    let ids: Vec<(String, String)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("ids[{i}]"), id.to_string()))
        .collect();
    let owner = owner.to_string();
    let mut form: Vec<(&str, &str)> = ids.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    form.push(("owner_id", owner.as_str()));
    app.call(client, &format!("/api/{kind}/assign_owner"), &form)
        .await
}

async fn owners(app: &TestApp, table: &str, ids: &[i64]) -> Vec<i64> {
    let mut owners = Vec::new();
    for id in ids {
        let owner: i64 = on_db!(&app.db, |pool| {
            sqlx::query_scalar(&format!("SELECT owner_id FROM {table} WHERE id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .expect("owner")
        });
        owners.push(owner);
    }
    owners
}

async fn visible_names(app: &TestApp, client: &reqwest::Client, kind: &str) -> Vec<String> {
    let (status, page) = app.call(client, &format!("/api/{kind}/list"), &[]).await;
    assert_eq!(status, 200, "{page}");
    let mut names: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

db_test!(
    admin_gives_chosen_contacts_and_companies_to_an_agent,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let agent = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        let agent_id = user_id(&app, &agent).await;
        let ana = new_record(&app, &admin, "contacts", "Ana").await;
        let bo = new_record(&app, &admin, "contacts", "Bo").await;
        let cy = new_record(&app, &admin, "contacts", "Cy").await;
        assert!(visible_names(&app, &agent, "contacts").await.is_empty());

        // Duplicates in the request count once.
        let (status, body) = assign(&app, &admin, "contacts", &[ana, bo, ana], agent_id).await;
        assert_eq!((status, body), (200, Value::from(2)));
        assert_eq!(visible_names(&app, &agent, "contacts").await, ["Ana", "Bo"]);
        assert_ne!(owners(&app, "contacts", &[cy]).await, [agent_id]);
        let audited: Vec<(i64, String)> = on_db!(&app.db, |pool| {
            sqlx::query_as("SELECT entity_id, CAST(changes AS TEXT) FROM audit_log WHERE action = 'contact.updated' ORDER BY entity_id")
                .fetch_all(pool).await.expect("audit")
        });
        assert_eq!(
            audited.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            [ana, bo]
        );
        assert!(audited[0].1.contains(&format!("{agent_id}")), "{audited:?}");

        let acme = new_record(&app, &admin, "companies", "Acme").await;
        let globex = new_record(&app, &admin, "companies", "Globex").await;
        let (status, body) = assign(&app, &admin, "companies", &[acme, globex], agent_id).await;
        assert_eq!((status, body), (200, Value::from(2)));
        assert_eq!(
            owners(&app, "companies", &[acme, globex]).await,
            [agent_id, agent_id]
        );
    }
);

db_test!(
    one_bad_id_or_owner_changes_nothing_and_leaks_nothing,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let admin_id = user_id(&app, &admin).await;
        let other = registered_admin(&app, "Beta", "bea@beta.example").await;
        let other_admin_id = user_id(&app, &other).await;
        let foreign = new_record(&app, &other, "contacts", "Beta Lead").await;
        let agent = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        let agent_id = user_id(&app, &agent).await;
        let mine = new_record(&app, &admin, "contacts", "Mine").await;

        // Another tenant's id or a made-up one: the same 404, and nothing moves.
        let (status, with_foreign) =
            assign(&app, &admin, "contacts", &[mine, foreign], agent_id).await;
        assert_eq!(status, 404, "{with_foreign}");
        let (_, with_unknown) =
            assign(&app, &admin, "contacts", &[mine, 987_654_321], agent_id).await;
        assert_eq!(with_foreign, with_unknown);
        assert_eq!(
            owners(&app, "contacts", &[mine, foreign]).await,
            [admin_id, other_admin_id]
        );

        // Field errors name the field.
        let (status, body) = assign(&app, &admin, "contacts", &[], agent_id).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("ids"), "{body}");
        let (status, body) = assign(&app, &admin, "contacts", &[mine], other_admin_id).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("owner_id"), "{body}");

        // An agent sees only their own rows: the admin's contact is "not found" for them, and they
        // may not hand their own contacts to someone else.
        let (status, _) = assign(&app, &agent, "contacts", &[mine], agent_id).await;
        assert_eq!(status, 404);
        let own = new_record(&app, &agent, "contacts", "Agent's").await;
        let (status, body) = assign(&app, &agent, "contacts", &[own], admin_id).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            owners(&app, "contacts", &[mine, own]).await,
            [admin_id, agent_id]
        );

        // Read-only users change nothing.
        let reader = app
            .user_signed_in(&admin, "rita@alpha.example", "read_only", "")
            .await;
        let (status, _) = assign(&app, &reader, "contacts", &[mine], admin_id).await;
        assert_eq!(status, 403);
        let audited: i64 = on_db!(&app.db, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.updated'")
                .fetch_one(pool)
                .await
                .expect("audit")
        });
        assert_eq!(audited, 0);
    }
);

/// The owner changes on a record's timeline, as "from → to" names, oldest first.
async fn owner_changes(app: &TestApp, client: &reqwest::Client, of: &str, id: i64) -> Vec<String> {
    let id = id.to_string();
    let (status, timeline) = app
        .call(
            client,
            "/api/activities/timeline",
            &[("of", of), ("id", &id)],
        )
        .await;
    assert_eq!(status, 200, "{timeline}");
    let mut changes: Vec<String> = timeline["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|a| a["kind"] == "system" && a["payload"]["event"] == "owner_changed")
        .map(|a| {
            let name = |k: &str| a["payload"][k]["name"].as_str().unwrap_or("?").to_string();
            format!("{} → {}", name("from"), name("to"))
        })
        .collect();
    changes.reverse();
    changes
}

db_test!(
    deals_change_owner_in_bulk_and_every_new_owner_is_on_the_timeline,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let admin_id = user_id(&app, &admin).await;
        let agent = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        let agent_id = user_id(&app, &agent).await;
        let mut deals = Vec::new();
        for title in ["Rollout", "Pilot"] {
            let (status, deal) = app
                .call_nested(&admin, "/api/deals/create", "form", &[("title", title)])
                .await;
            assert_eq!(status, 200, "{deal}");
            deals.push(deal["id"].as_i64().expect("id"));
        }
        let (status, body) = assign(&app, &admin, "deals", &deals, agent_id).await;
        assert_eq!((status, body), (200, Value::from(2)));
        assert_eq!(owners(&app, "deals", &deals).await, [agent_id, agent_id]);
        let (_, deal) = app
            .call(&agent, "/api/deals/get", &[("id", &deals[0].to_string())])
            .await;
        assert_eq!(deal["version"], 2, "a new version, so open boards notice");
        assert_eq!(
            owner_changes(&app, &admin, "deal", deals[0]).await,
            ["Ana Admin → nils@alpha.example"]
        );
        // Assigning to the owner it already has changes nothing and writes nothing.
        assert_eq!(assign(&app, &admin, "deals", &deals, agent_id).await.0, 200);
        assert_eq!(owner_changes(&app, &admin, "deal", deals[1]).await.len(), 1);

        // A single edit from the card: a contact given to the agent and back.
        let contact = new_record(&app, &admin, "contacts", "Zoë").await;
        let id = contact.to_string();
        for owner in [agent_id, admin_id] {
            let owner = owner.to_string();
            let form = [
                ("id", id.as_str()),
                ("form[name]", "Zoë"),
                ("form[owner_id]", owner.as_str()),
            ];
            let (status, body) = app.call(&admin, "/api/contacts/update", &form).await;
            assert_eq!(status, 200, "{body}");
        }
        assert_eq!(
            owner_changes(&app, &admin, "contact", contact).await,
            [
                "Ana Admin → nils@alpha.example",
                "nils@alpha.example → Ana Admin"
            ]
        );
        let audited: i64 = on_db!(&app.db, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action IN ('deal.updated', 'contact.updated')",
            )
            .fetch_one(pool)
            .await
            .expect("audit")
        });
        assert_eq!(audited, 4, "two deals, two contact edits");
    }
);
