//! A banner that appears when the browser loses the server (or the server its database), so a
//! long-lived tab says what is wrong instead of failing silently on the next click.

use leptos::prelude::*;

// Only the browser build ever leaves `Ok`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Connection {
    Ok,
    ServerUnreachable,
    DatabaseDown,
}

/// How often an open tab asks `/health`.
#[cfg(feature = "hydrate")]
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

#[component]
pub fn ConnectionBanner() -> impl IntoView {
    // Rendered as `Ok` on the server, so SSR and hydration agree; only the browser polls.
    let (connection, set_connection) = signal(Connection::Ok);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let check =
            move || leptos::task::spawn_local(async move { set_connection.set(probe().await) });
        if let Ok(handle) = set_interval_with_handle(check, POLL_EVERY) {
            on_cleanup(move || handle.clear());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = set_connection;

    move || {
        let message = match connection.get() {
            Connection::Ok => return None,
            Connection::ServerUnreachable => "Connection to the server lost. Retrying…",
            Connection::DatabaseDown => "The server cannot reach its database. Retrying…",
        };
        Some(view! {
            <div class="banner banner-error" role="alert" data-testid="connection-banner">
                {message}
            </div>
        })
    }
}

#[cfg(feature = "hydrate")]
async fn probe() -> Connection {
    match gloo_net::http::Request::get("/health").send().await {
        Ok(response) if response.ok() => Connection::Ok,
        Ok(response) if response.status() == 503 => Connection::DatabaseDown,
        _ => Connection::ServerUnreachable,
    }
}
