//! The header search and the pickers: accents and case folded, grouped by kind, only the
//! tenant's own records and active users, on both backends.

use crate::harness::{registered_admin, TestApp};
use serde_json::Value;

fn labels(found: &Value) -> Vec<String> {
    found
        .as_array()
        .expect("found")
        .iter()
        .map(|f| f["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn pick(app: &TestApp, client: &reqwest::Client, kind: &str, q: &str) -> (u16, Value) {
    app.call(client, "/api/search/pick", &[("kind", kind), ("q", q)])
        .await
}

db_test!(
    the_header_search_folds_groups_and_keeps_to_the_tenant,
    |app| {
        let alpha = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let beta = registered_admin(&app, "Beta", "bea@beta.example").await;
        let acme = app
            .created(&alpha, "companies", &[("name", "Ångström AB")])
            .await;
        app.created(
            &alpha,
            "contacts",
            &[("name", "Zoë Ångström"), ("company_id", &acme.to_string())],
        )
        .await;
        app.created(&alpha, "contacts", &[("name", "Someone Else")])
            .await;
        app.created(&alpha, "deals", &[("title", "ÅNGSTRÖM renewal")])
            .await;
        app.created(&beta, "contacts", &[("name", "Angstrom of Beta")])
            .await;

        let (status, found) = app
            .call(&alpha, "/api/search/everything", &[("q", "angstrom")])
            .await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(labels(&found["contacts"]), ["Zoë Ångström"]);
        assert_eq!(found["contacts"][0]["detail"], "Ångström AB");
        assert_eq!(labels(&found["companies"]), ["Ångström AB"]);
        assert_eq!(labels(&found["deals"]), ["ÅNGSTRÖM renewal"]);

        let (_, theirs) = app
            .call(&beta, "/api/search/everything", &[("q", "ANGSTRÖM")])
            .await;
        assert_eq!(labels(&theirs["contacts"]), ["Angstrom of Beta"]);
        assert!(labels(&theirs["companies"]).is_empty() && labels(&theirs["deals"]).is_empty());

        // A blank query finds nothing rather than everything.
        let (_, blank) = app
            .call(&alpha, "/api/search/everything", &[("q", "  ")])
            .await;
        assert!(labels(&blank["contacts"]).is_empty(), "{blank}");
        let (status, _) = app
            .call(
                &crate::harness::new_browser(),
                "/api/search/everything",
                &[("q", "a")],
            )
            .await;
        assert_eq!(status, 401);
    }
);

db_test!(
    pickers_offer_records_and_active_owners_of_the_tenant,
    |app| {
        let alpha = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        registered_admin(&app, "Beta", "bea@beta.example").await;
        app.user_signed_in(&alpha, "nils@alpha.example", "sales_agent", "")
            .await;
        app.user_signed_in(&alpha, "olga@alpha.example", "sales_agent", "")
            .await;
        crm::on_db!(&app.db, |pool| {
            sqlx::query("UPDATE users SET is_active = FALSE WHERE email = 'olga@alpha.example'")
                .execute(pool)
                .await
                .expect("deactivate");
        });
        let (status, owners) = pick(&app, &alpha, "owner", "").await;
        assert_eq!(status, 200, "{owners}");
        let owners = labels(&owners);
        assert!(
            owners.contains(&"nils@alpha.example".to_string()),
            "{owners:?}"
        );
        assert!(
            !owners
                .iter()
                .any(|o| o.contains("olga") || o.contains("bea")),
            "{owners:?}"
        );

        app.created(&alpha, "companies", &[("name", "Café Müller")])
            .await;
        let (_, companies) = pick(&app, &alpha, "company", "cafe mul").await;
        assert_eq!(labels(&companies), ["Café Müller"]);

        let (status, body) = pick(&app, &alpha, "planet", "x").await;
        assert_eq!(status, 422, "{body}");
        assert!(body["Validation"]["fields"]["kind"].is_string(), "{body}");
    }
);
