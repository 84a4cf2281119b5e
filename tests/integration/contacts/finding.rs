//! Finding contacts: search by case, accents and phone, keyset pages, and visibility by owner.

use super::*;

db_test!(search_ignores_case_and_accents_and_finds_phones, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    created(
        &app,
        &admin,
        &[("name", "José Álvarez"), ("email", "jose@example.com")],
    )
    .await;
    created(
        &app,
        &admin,
        &[("name", "Zoë Kravitz"), ("phone", "+49 (30) 1234-567")],
    )
    .await;
    created(
        &app,
        &admin,
        &[("name", "Jost Meyer"), ("notes", "Met at the Straße fair")],
    )
    .await;

    assert_eq!(
        search(&app, &admin, &[("q", "jose")]).await,
        ["José Álvarez"]
    );
    assert_eq!(
        search(&app, &admin, &[("q", "JOSÉ")]).await,
        ["José Álvarez"]
    );
    assert_eq!(search(&app, &admin, &[("q", "ZOE")]).await, ["Zoë Kravitz"]);
    assert_eq!(
        search(&app, &admin, &[("q", "alvarez")]).await,
        ["José Álvarez"]
    );
    assert_eq!(
        search(&app, &admin, &[("q", "301234")]).await,
        ["Zoë Kravitz"],
        "phone digits"
    );
    assert_eq!(
        search(&app, &admin, &[("q", "strasse")]).await,
        ["Jost Meyer"],
        "notes, ß folded"
    );
    assert_eq!(
        search(&app, &admin, &[("q", "JOS")]).await,
        ["José Álvarez", "Jost Meyer"]
    );
    assert!(
        search(&app, &admin, &[("q", "%")]).await.is_empty(),
        "LIKE wildcards are literal"
    );
});

db_test!(keyset_pages_walk_the_list_without_gaps_or_repeats, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let names = ["Gus", "Ada", "Cyd", "Eve", "Bob", "Fay", "Dan"];
    for name in names {
        created(&app, &admin, &[("name", name)]).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut form = vec![("filter[limit]", "3")];
        if let Some(c) = &cursor {
            form.push(("filter[cursor]", c.as_str()));
        }
        let (status, page) = app.call(&admin, "/api/contacts/list", &form).await;
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 3);
        seen.extend(
            items
                .iter()
                .map(|c| c["name"].as_str().unwrap_or_default().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ["Ada", "Bob", "Cyd", "Dan", "Eve", "Fay", "Gus"]);
    let newest = search(&app, &admin, &[("sort", "newest"), ("limit", "2")]).await;
    assert_eq!(newest, ["Dan", "Fay"]);
    let (status, body) = app
        .call(
            &admin,
            "/api/contacts/list",
            &[("filter[cursor]", "garbage")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
});

db_test!(
    visibility_follows_the_owner_and_other_ids_answer_404,
    |app| {
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let (_, team) = app
            .call(&admin, "/api/teams/create", &[("name", "North")])
            .await;
        let north = team["id"].as_i64().expect("team").to_string();
        let sue = add_user(&app, &admin, "sue@alpha.example", "supervisor", &north).await;
        let nils = add_user(&app, &admin, "nils@alpha.example", "sales_agent", &north).await;
        let sofia = add_user(&app, &admin, "sofia@alpha.example", "sales_agent", "").await;
        let rita = add_user(&app, &admin, "rita@alpha.example", "read_only", "").await;

        let nils_contact = created(&app, &nils, &[("name", "Nils Lead")]).await;
        created(&app, &sofia, &[("name", "Sofia Lead")]).await;
        created(&app, &admin, &[("name", "Admin Lead")]).await;

        assert_eq!(
            search(&app, &admin, &[]).await,
            ["Admin Lead", "Nils Lead", "Sofia Lead"]
        );
        assert_eq!(
            search(&app, &sue, &[]).await,
            ["Nils Lead"],
            "supervisor: the team's"
        );
        assert_eq!(search(&app, &nils, &[]).await, ["Nils Lead"], "agent: own");
        assert_eq!(
            search(&app, &rita, &[]).await,
            ["Admin Lead", "Nils Lead", "Sofia Lead"],
            "read only: all"
        );

        let id = nils_contact.to_string();
        let (status, body) = app.call(&sofia, "/api/contacts/get", &[("id", &id)]).await;
        assert_eq!(
            (status, body.to_string()),
            (404, "\"NotFound\"".to_string())
        );
        assert_eq!(
            app.call(
                &sofia,
                "/api/contacts/update",
                &[("id", &id), ("form[name]", "Mine now")]
            )
            .await
            .0,
            404
        );
        assert_eq!(
            app.call(&sofia, "/api/contacts/delete", &[("id", &id)])
                .await
                .0,
            404
        );
        assert_eq!(
            app.call(&sue, "/api/contacts/get", &[("id", &id)]).await.0,
            200
        );
        assert_eq!(
            create(&app, &rita, &[("name", "Nope")]).await.0,
            403,
            "read only never writes"
        );
        // An agent cannot hand a contact to someone else; an admin can.
        let (status, body) = create(&app, &nils, &[("name", "Gift"), ("owner_id", "1")]).await;
        assert_eq!(status, 422);
        assert!(body["Validation"]["fields"]["owner_id"].is_string());
    }
);
