//! Delete and restore from the UI's server functions: what a delete leaves behind is counted
//! before it, "Recently deleted" lists the tenant's own deleted records for admins only, and a
//! restore takes the record out of it, on both backends.

use crate::harness::registered_admin;
use serde_json::Value;

fn labels(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|d| d["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

db_test!(
    a_delete_counts_what_stays_and_a_restore_brings_it_back,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let beta = registered_admin(&app, "Beta", "bea@beta.example").await;
        let acme = app
            .created(&admin, "companies", &[("name", "Acme")])
            .await
            .to_string();
        let ana = app
            .created(
                &admin,
                "contacts",
                &[("name", "Ana"), ("company_id", &acme)],
            )
            .await
            .to_string();
        app.created(
            &admin,
            "deals",
            &[
                ("title", "Renewal"),
                ("contact_id", &ana),
                ("company_id", &acme),
            ],
        )
        .await;
        let (status, _) = app
            .call_nested(
                &admin,
                "/api/tasks/create",
                "form",
                &[
                    ("title", "Call"),
                    ("due_at", "2099-01-01T09:00:00Z"),
                    ("contact_id", &ana),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let activities: i64 = crm::on_db!(&app.db, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE contact_id = $1")
                .bind(ana.parse::<i64>().expect("id"))
                .fetch_one(pool)
                .await
                .expect("count")
        });
        assert!(activities >= 1, "the task's follow-up is on the timeline");

        let (status, impact) = app
            .call(
                &admin,
                "/api/trash/what_goes_with",
                &[("kind", "contact"), ("id", &ana)],
            )
            .await;
        assert_eq!(status, 200, "{impact}");
        assert_eq!(impact["deals"], 1);
        assert_eq!(impact["open_tasks"], 1);
        assert_eq!(impact["contacts"], 0);
        assert_eq!(impact["activities"], activities);
        let (_, company) = app
            .call(
                &admin,
                "/api/trash/what_goes_with",
                &[("kind", "company"), ("id", &acme)],
            )
            .await;
        assert_eq!(
            (company["contacts"].as_i64(), company["deals"].as_i64()),
            (Some(1), Some(1))
        );

        let (status, _) = app
            .call(&admin, "/api/contacts/delete", &[("id", &ana)])
            .await;
        assert_eq!(status, 200);
        app.created(&beta, "contacts", &[("name", "Bea's")]).await;
        let (status, deleted) = app
            .call(
                &admin,
                "/api/trash/recently_deleted",
                &[("kind", "contact")],
            )
            .await;
        assert_eq!(status, 200, "{deleted}");
        assert_eq!(labels(&deleted), ["Ana"]);
        let (_, theirs) = app
            .call(&beta, "/api/trash/recently_deleted", &[("kind", "contact")])
            .await;
        assert!(labels(&theirs).is_empty(), "{theirs}");
        // A deleted record is not counted for a delete any more: it is not there to delete.
        let (status, _) = app
            .call(
                &admin,
                "/api/trash/what_goes_with",
                &[("kind", "contact"), ("id", &ana)],
            )
            .await;
        assert_eq!(status, 404);

        let nils = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        let (status, _) = app
            .call(&nils, "/api/trash/recently_deleted", &[("kind", "contact")])
            .await;
        assert_eq!(status, 403, "restoring is for those with records.restore");
        let (status, body) = app
            .call(&admin, "/api/trash/recently_deleted", &[("kind", "planet")])
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["Validation"]["fields"]["kind"].is_string(), "{body}");

        let (status, _) = app
            .call(&admin, "/api/contacts/restore", &[("id", &ana)])
            .await;
        assert_eq!(status, 200);
        let (_, deleted) = app
            .call(
                &admin,
                "/api/trash/recently_deleted",
                &[("kind", "contact")],
            )
            .await;
        assert!(labels(&deleted).is_empty(), "{deleted}");
        let (_, back) = app
            .call(&admin, "/api/tasks/open", &[("link[contact_id]", &ana)])
            .await;
        assert_eq!(
            back.as_array().map(Vec::len),
            Some(1),
            "its task is back with it"
        );
    }
);
