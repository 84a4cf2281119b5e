//! Who hears what: events arrive in commit order, so "the first event a stream gets is X"
//! also shows that nothing it should not see came before X.

use super::Stream;
use crate::harness::{new_browser, registered_admin, TestApp};
use chrono::Utc;
use crm::on_db;
use serde_json::Value;

async fn user_id(app: &TestApp, client: &reqwest::Client) -> i64 {
    let (_, me) = app.call(client, "/api/auth/current_user", &[]).await;
    me["user_id"].as_i64().expect("user id")
}

async fn deal(app: &TestApp, client: &reqwest::Client, title: &str, owner: Option<i64>) -> i64 {
    let owner = owner.map(|o| o.to_string()).unwrap_or_default();
    let (status, deal) = app
        .call_nested(
            client,
            "/api/deals/create",
            "form",
            &[("title", title), ("owner_id", &owner)],
        )
        .await;
    assert_eq!(status, 200, "{deal}");
    deal["id"].as_i64().expect("id")
}

/// The next event, which must come.
async fn next(stream: &mut Stream) -> (String, Value) {
    let event = stream.next().await.expect("an event");
    (event.event, event.data)
}

fn about(kind: &str, entity: &str, id: i64) -> (String, Value) {
    (
        kind.to_string(),
        serde_json::json!({ "kind": kind, "entity": entity, "entity_id": id }),
    )
}

fn notification() -> (String, Value) {
    (
        "notification".to_string(),
        serde_json::json!({ "kind": "notification", "entity": null, "entity_id": null }),
    )
}

db_test!(each_user_hears_what_they_may_see_and_nothing_else, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let agent = app
        .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
        .await;
    let other = registered_admin(&app, "Beta", "bob@beta.example").await;
    let (ada, nils) = (user_id(&app, &admin).await, user_id(&app, &agent).await);
    let mut admins = Stream::open(&app, &admin, None).await;
    let mut agents = Stream::open(&app, &agent, None).await;
    let mut others = Stream::open(&app, &other, None).await;

    let own = deal(&app, &admin, "Admin's own", Some(ada)).await;
    let given = deal(&app, &admin, "For Nils", Some(nils)).await;
    // The agent sees their own deals only: the first deal is not theirs.
    assert_eq!(next(&mut agents).await, notification());
    assert_eq!(next(&mut agents).await, about("deal", "deal", given));
    // The admin sees both deals, and not the agent's notification.
    assert_eq!(next(&mut admins).await, about("deal", "deal", own));
    assert_eq!(next(&mut admins).await, about("deal", "deal", given));

    // Another tenant hears nothing of Alpha's: its first event is its own deal.
    let beta = deal(&app, &other, "Beta deal", None).await;
    assert_eq!(next(&mut others).await, about("deal", "deal", beta));

    // A timeline entry on the agent's deal reaches the agent; the admin's next event is the
    // same entry, not Beta's deal.
    let (status, body) = app
        .call_nested(
            &admin,
            "/api/activities/log",
            "form",
            &[
                ("kind", "note"),
                ("body", "Called back"),
                ("deal_id", &given.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(next(&mut agents).await, about("timeline", "deal", given));
    assert_eq!(next(&mut admins).await, about("timeline", "deal", given));

    // Given back to the admin: the agent hears it leave (the event under its old owner).
    let (status, body) = app
        .call(
            &admin,
            "/api/deals/assign_owner",
            &[
                ("ids[0]", &given.to_string()),
                ("owner_id", &ada.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(next(&mut agents).await, about("deal", "deal", given));
    assert_eq!(next(&mut admins).await, about("deal", "deal", given));
    assert_eq!(next(&mut admins).await, about("deal", "deal", given));
});

db_test!(
    a_reconnecting_stream_gets_what_it_missed_and_a_bad_id_a_fresh_stream,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let mut first = Stream::open(&app, &admin, None).await;
        let seen = deal(&app, &admin, "Seen", None).await;
        let event = first.next().await.expect("an event");
        assert_eq!(event.data["entity_id"], seen);
        let last = event.id.expect("an event id");
        drop(first);

        let missed = [
            deal(&app, &admin, "Missed one", None).await,
            deal(&app, &admin, "Missed two", None).await,
        ];
        let mut again = Stream::open(&app, &admin, Some(&last)).await;
        for id in missed {
            assert_eq!(next(&mut again).await, about("deal", "deal", id));
        }
        drop(again);

        // Not an id, or one from the future: a fresh stream, with nothing replayed.
        for bad in ["garbage", "-4", "999999999"] {
            let mut fresh = Stream::open(&app, &admin, Some(bad)).await;
            let new = deal(&app, &admin, "After a bad id", None).await;
            assert_eq!(next(&mut fresh).await, about("deal", "deal", new), "{bad}");
        }

        // Too much missed to replay: resync instead.
        let tenant: i64 = on_db!(&app.db, |pool| sqlx::query_scalar(
            "SELECT id FROM tenants WHERE name = 'Alpha'"
        )
        .fetch_one(pool)
        .await
        .expect("tenant"));
        on_db!(&app.db, |pool| {
            sqlx::query(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 501)
                 INSERT INTO live_events (tenant_id, kind, entity, entity_id, created_at)
                 SELECT $1, 'deal', 'deal', i, $2 FROM n",
            )
            .bind(tenant)
            .bind(Utc::now())
            .execute(pool)
            .await
            .expect("events");
        });
        let mut behind = Stream::open(&app, &admin, Some(&last)).await;
        assert_eq!(next(&mut behind).await.0, "resync");

        let (status, _) = new_browser()
            .get(app.url("/events"))
            .send()
            .await
            .map(|r| (r.status().as_u16(), ()))
            .expect("request");
        assert_eq!(status, 401, "signed out");
    }
);

db_test!(
    open_streams_end_on_shutdown,
    settings = |s: &mut crm::config::Settings| s.server.shutdown_grace_seconds = 120,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let mut stream = Stream::open(&app, &admin, None).await;
        let started = std::time::Instant::now();
        app.stop().await.expect("server stopped");
        // A stream that held graceful shutdown up would keep it waiting the whole grace period.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "{:?}",
            started.elapsed()
        );
        assert!(stream.next().await.is_none(), "the stream ended");
    }
);
