//! The record cards (`/contacts/:id`, `/companies/:id`, `/deals/:id`) are finished HTML from
//! the server; an id that is unknown, not a number or another tenant's is a 404 that names
//! nothing.

use crate::harness::{registered_admin, TestApp};

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

db_test!(cards_show_their_record_and_404_for_anything_else, |app| {
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let other = registered_admin(&app, "Beta", "bea@beta.example").await;
    let contact = app
        .created(&admin, "contacts", &[("name", "Zoë Ørsted")])
        .await;
    let company = app
        .created(&admin, "companies", &[("name", "Ørsted Wind")])
        .await;
    let deal = app
        .created(&admin, "deals", &[("title", "Offshore park")])
        .await;

    for (path, shown) in [
        (format!("/contacts/{contact}"), "Zoë Ørsted"),
        (format!("/companies/{company}"), "Ørsted Wind"),
        (format!("/deals/{deal}"), "Offshore park"),
    ] {
        let (status, html) = page(&admin, &app, &path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(shown), "{path} shows {shown}");

        let (status, html) = page(&other, &app, &path).await;
        assert_eq!(status, 404, "{path} for another tenant");
        assert!(
            !html.contains(shown),
            "{path} leaks {shown} to another tenant"
        );
        assert!(html.contains("data-testid=\"not-found\""), "{path}");
    }
    for path in ["/contacts/987654321", "/companies/abc", "/deals/-1"] {
        assert_eq!(page(&admin, &app, path).await.0, 404, "{path}");
    }
});

/// Another app starting in the same process (it lists the routes) while a card renders must not
/// leave that render waiting forever (leptos#4773: listing switches resource loading off
/// process-wide). The tests start many apps side by side, so this once stalled CI.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cards_render_while_other_apps_start() {
    crate::harness::time_limited(async {
        let app = crate::harness::spawn_app(crm::db::Backend::Sqlite).await;
        let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
        let contact = app
            .created(&admin, "contacts", &[("name", "Zoë Ørsted")])
            .await;
        let path = format!("/contacts/{contact}");

        let starting = tokio::spawn(async {
            for _ in 0..8 {
                crate::harness::spawn_app(crm::db::Backend::Sqlite).await;
            }
        });
        let mut renders = 0;
        while !starting.is_finished() || renders < 20 {
            let render = page(&admin, &app, &path);
            let (status, html) = tokio::time::timeout(std::time::Duration::from_secs(10), render)
                .await
                .expect("the card did not render within 10 s");
            assert_eq!(status, 200);
            assert!(html.contains("Zoë Ørsted"));
            renders += 1;
        }
        starting.await.expect("apps started");
    })
    .await;
}
