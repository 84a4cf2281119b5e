//! Every page holds under real concurrency: hundreds of signed-in requests at once, on a
//! multi-threaded runtime, each answered with the whole page and no panic anywhere in the server.
//! (The cards once read their title through a disposed signal after streaming: a panic on a
//! worker thread and a cut-off page, never seen with one request at a time.)

use crate::harness::{registered_admin, TestApp};
use crm::db::Backend;
use std::sync::{Mutex, OnceLock};

/// The threads this test's runtime (and so its app's server) runs on.
const LOAD_THREADS: &str = "pages-under-load";

/// Panics on this test's threads, with their messages. A panic on a server worker thread does
/// not fail a test by itself (the client only sees a cut-off response), so count them. Other
/// tests share the process, so only panics on `LOAD_THREADS` count.
fn panics() -> &'static Mutex<Vec<String>> {
    static PANICS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    PANICS.get_or_init(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some(LOAD_THREADS) {
                if let Ok(mut seen) = panics().lock() {
                    seen.push(info.to_string());
                }
            }
            default_hook(info);
        }));
        Mutex::new(Vec::new())
    })
}

/// The signed-in pages, each with a text that only the finished page has.
async fn pages(app: &TestApp, admin: &reqwest::Client) -> Vec<(String, &'static str)> {
    let contact = app
        .created(admin, "contacts", &[("name", "Zoë Ørsted")])
        .await;
    let company = app
        .created(admin, "companies", &[("name", "Ørsted Wind")])
        .await;
    let deal = app
        .created(admin, "deals", &[("title", "Offshore park")])
        .await;
    [
        ("/".to_string(), "Dashboard · CRM"),
        ("/pipeline".to_string(), "Pipeline · CRM"),
        ("/contacts".to_string(), "Zoë Ørsted"),
        (format!("/contacts/{contact}"), "Zoë Ørsted · CRM"),
        ("/companies".to_string(), "Ørsted Wind"),
        (format!("/companies/{company}"), "Ørsted Wind · CRM"),
        (format!("/deals/{deal}"), "Offshore park · CRM"),
        ("/tasks".to_string(), "My tasks · CRM"),
        ("/settings".to_string(), "Settings · CRM"),
        ("/console".to_string(), "Agent console · CRM"),
        ("/calls".to_string(), "Calls · CRM"),
        ("/account".to_string(), "Account · CRM"),
    ]
    .into()
}

/// Requests in flight at once: every page, this many times over.
const ROUNDS: usize = 25;

async fn every_page_holds_under_load(backend: Backend) {
    let panics = panics();
    let app = crate::harness::spawn_app(backend).await;
    let admin = registered_admin(&app, "Alpha", "ada@alpha.example").await;
    let pages = pages(&app, &admin).await;

    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..ROUNDS {
        for (path, shown) in &pages {
            let (client, url, path, shown) = (admin.clone(), app.url(path), path.clone(), *shown);
            requests.spawn(async move {
                let response = client.get(url).send().await;
                let answer = match response {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        (status, response.text().await.map_err(|e| e.to_string()))
                    }
                    Err(e) => (0, Err(e.to_string())),
                };
                (path, shown, answer)
            });
        }
    }
    let mut failures = Vec::new();
    let mut answered = 0;
    while let Some(done) = requests.join_next().await {
        let (path, shown, (status, body)) = done.expect("request task");
        answered += 1;
        match body {
            Ok(html) if status == 200 && html.contains("</html>") => {
                if !html.contains(shown) {
                    failures.push(format!("{path}: the page lacks {shown:?}"));
                }
            }
            Ok(html) => failures.push(format!(
                "{path}: status {status}, {} bytes, ends {:?}",
                html.len(),
                &html[html.len().saturating_sub(60)..]
            )),
            Err(e) => failures.push(format!("{path}: status {status}, body cut off: {e}")),
        }
    }
    assert_eq!(answered, ROUNDS * pages.len());
    assert!(
        failures.is_empty(),
        "{} of {answered} responses failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let seen = panics.lock().expect("panics").clone();
    assert!(
        seen.is_empty(),
        "the server panicked {} times: {:?}",
        seen.len(),
        &seen[..seen.len().min(3)]
    );
}

/// A multi-threaded runtime of its own, its threads named so that their panics can be told apart.
fn under_load(backend: Backend) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .thread_name(LOAD_THREADS)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(crate::harness::time_limited(every_page_holds_under_load(
            backend,
        )))
}

#[test]
fn sqlite() {
    under_load(Backend::Sqlite)
}

#[test]
fn postgres() {
    under_load(Backend::Postgres)
}
