//! Who is told: a deal or task given to someone else tells them, in the same transaction;
//! the giver and everyone else hear nothing; a muted kind is not written; the marks act on the
//! reader's own rows only; what the reader may no longer see is not listed or counted.

use super::{inbox, titles, user_id};
use crate::harness::{registered_admin, TestApp};
use serde_json::Value;

async fn deal(app: &TestApp, client: &reqwest::Client, title: &str, owner: i64) -> Value {
    let owner = owner.to_string();
    let (status, deal) = app
        .call_nested(
            client,
            "/api/deals/create",
            "form",
            &[
                ("title", title),
                ("amount", "100"),
                ("currency", "EUR"),
                ("owner_id", &owner),
            ],
        )
        .await;
    assert_eq!(status, 200, "{deal}");
    deal
}

async fn give_deal(app: &TestApp, client: &reqwest::Client, deal: &Value, owner: i64) -> Value {
    let (id, version, owner) = (
        deal["id"].to_string(),
        deal["version"].to_string(),
        owner.to_string(),
    );
    let title = deal["title"].as_str().unwrap_or_default();
    let (status, body) = app
        .call(
            client,
            "/api/deals/update",
            &[
                ("id", id.as_str()),
                ("version", version.as_str()),
                ("form[title]", title),
                ("form[amount]", "100"),
                ("form[currency]", "EUR"),
                ("form[owner_id]", owner.as_str()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

db_test!(
    a_deal_or_task_given_to_someone_else_tells_them_and_nobody_else,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let agent = app
            .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
            .await;
        let other = app
            .user_signed_in(&admin, "olga@alpha.example", "sales_agent", "")
            .await;
        let (ada, nils) = (user_id(&app, &admin).await, user_id(&app, &agent).await);

        deal(&app, &admin, "Kept", ada).await;
        assert_eq!(
            inbox(&app, &admin).await["unread"],
            0,
            "nobody tells themselves"
        );
        let big = deal(&app, &admin, "Big one", nils).await;
        let nils_s = nils.to_string();
        let (status, task) = app
            .call_nested(
                &admin,
                "/api/tasks/create",
                "form",
                &[
                    ("title", "Send the offer"),
                    ("due_at", "2030-01-10T09:00:00Z"),
                    ("assignee_id", &nils_s),
                ],
            )
            .await;
        assert_eq!(status, 200, "{task}");

        let told = inbox(&app, &agent).await;
        assert_eq!(told["unread"], 2, "{told}");
        assert_eq!(
            titles(&told),
            [
                "Ana Admin gave you the task “Send the offer”",
                "Ana Admin gave you the deal “Big one”"
            ]
        );
        assert_eq!(told["items"][1]["link"], format!("/deals/{}", big["id"]));
        assert_eq!(inbox(&app, &admin).await["unread"], 0);
        assert_eq!(inbox(&app, &other).await["unread"], 0, "nor anyone else");

        // Marks: one, then all; another user's notification is not found, and stays unread.
        let first = told["items"][0]["id"].to_string();
        let (status, _) = app
            .call(&admin, "/api/notifications/mark_read", &[("id", &first)])
            .await;
        assert_eq!(status, 404, "not the admin's");
        assert_eq!(inbox(&app, &agent).await["unread"], 2);
        let (status, _) = app
            .call(&agent, "/api/notifications/mark_read", &[("id", &first)])
            .await;
        assert_eq!(status, 200);
        let read = inbox(&app, &agent).await;
        assert_eq!(read["unread"], 1);
        assert!(read["items"][0]["read_at"].is_string(), "{read}");
        let (status, marked) = app
            .call(&agent, "/api/notifications/mark_all_read", &[])
            .await;
        assert_eq!((status, marked), (200, Value::from(1)));
        assert_eq!(inbox(&app, &agent).await["unread"], 0);

        // Muted: a deal given by edit or in bulk writes nothing; unmuted, it does again.
        let (status, kinds) = app
            .call(
                &agent,
                "/api/notifications/set_muted",
                &[("kind", "deal_assigned"), ("muted", "true")],
            )
            .await;
        assert_eq!(status, 200, "{kinds}");
        let muted: Vec<&str> = kinds
            .as_array()
            .expect("kinds")
            .iter()
            .filter(|k| k["muted"] == true)
            .filter_map(|k| k["kind"].as_str())
            .collect();
        assert_eq!(muted, ["deal_assigned"]);
        let kept = deal(&app, &admin, "Quiet one", ada).await;
        let kept = give_deal(&app, &admin, &kept, nils).await;
        let bulk = deal(&app, &admin, "Bulk one", ada).await;
        let (status, body) = app
            .call(
                &admin,
                "/api/deals/assign_owner",
                &[("ids[0]", &bulk["id"].to_string()), ("owner_id", &nils_s)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(inbox(&app, &agent).await["unread"], 0, "muted");
        app.call(
            &agent,
            "/api/notifications/set_muted",
            &[("kind", "deal_assigned"), ("muted", "false")],
        )
        .await;
        let back = give_deal(&app, &admin, &kept, ada).await;
        give_deal(&app, &admin, &back, nils).await;
        let (status, body) = app
            .call(
                &admin,
                "/api/deals/assign_owner",
                &[
                    ("ids[0]", &big["id"].to_string()),
                    ("owner_id", &ada.to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let now = inbox(&app, &agent).await;
        assert_eq!(
            titles(&now)[0],
            "Ana Admin gave you the deal “Quiet one”",
            "{now}"
        );
        assert_eq!(now["unread"], 1, "{now}");

        let (status, bad) = app
            .call(
                &agent,
                "/api/notifications/set_muted",
                &[("kind", "weather"), ("muted", "true")],
            )
            .await;
        assert_eq!(status, 422, "{bad}");
        assert!(bad.to_string().contains("deal_assigned"), "{bad}");
    }
);

db_test!(what_the_reader_no_longer_sees_is_not_shown, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let agent = app
        .user_signed_in(&admin, "nils@alpha.example", "sales_agent", "")
        .await;
    let (ada, nils) = (user_id(&app, &admin).await, user_id(&app, &agent).await);
    let taken = deal(&app, &admin, "Taken back", nils).await;
    let deleted = deal(&app, &admin, "Deleted", nils).await;
    deal(&app, &admin, "Still mine", nils).await;
    assert_eq!(inbox(&app, &agent).await["unread"], 3);

    // An agent sees only their own deals: one given back to the admin, one deleted.
    give_deal(&app, &admin, &taken, ada).await;
    let (status, body) = app
        .call(
            &admin,
            "/api/deals/delete",
            &[("id", &deleted["id"].to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let seen = inbox(&app, &agent).await;
    assert_eq!(titles(&seen), ["Ana Admin gave you the deal “Still mine”"]);
    assert_eq!(seen["unread"], 1, "the hidden ones are not counted either");
});

db_test!(an_incoming_call_that_rang_out_tells_its_agent, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let contact = app
        .created(
            &admin,
            "contacts",
            &[("name", "Carla Caller"), ("phone", "+1 201 555 0199")],
        )
        .await;
    let start = |number: &'static str, direction: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let (status, call) = app
                .call_nested(
                    admin,
                    "/api/calls/start",
                    "form",
                    &[("number", number), ("direction", direction)],
                )
                .await;
            assert_eq!(status, 200, "{call}");
            call["id"].to_string()
        }
    };
    let event = |id: String, event: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let (status, body) = app
                .call(admin, "/api/calls/event", &[("id", &id), ("event", event)])
                .await;
            assert_eq!(status, 200, "{body}");
        }
    };
    let wrap = |id: String| {
        let (app, admin) = (&app, &admin);
        async move {
            let (_, dispositions) = app.call(admin, "/api/dispositions/list", &[]).await;
            let default = dispositions
                .as_array()
                .and_then(|all| all.iter().find(|d| d["is_default"] == true))
                .expect("a default disposition")["id"]
                .to_string();
            let (status, body) = app
                .call(
                    admin,
                    "/api/calls/wrap_up",
                    &[
                        ("id", &id),
                        ("form[disposition_id]", &default),
                        ("form[notes]", "Noted"),
                    ],
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    };

    // Answered, and outbound unanswered: nothing missed.
    let answered = start("2015550199", "inbound").await;
    event(answered.clone(), "answer").await;
    event(answered.clone(), "hang_up").await;
    wrap(answered).await;
    let out = start("2015550199", "outbound").await;
    event(out.clone(), "hang_up").await;
    wrap(out).await;
    assert_eq!(inbox(&app, &admin).await["unread"], 0);

    let missed = start("2015550199", "inbound").await;
    event(missed, "hang_up").await;
    let told = inbox(&app, &admin).await;
    assert_eq!(titles(&told), ["Missed call from Carla Caller"]);
    assert_eq!(told["items"][0]["link"], format!("/contacts/{contact}"));
});
