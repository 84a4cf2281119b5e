use super::{
    security_headers::{security_headers, Https},
    static_files::{cache_lifetimes, HashedNames},
    AppState,
};
use crate::{
    app::{shell, App},
    config::{ConfigError, Settings},
    health::handler::health,
};
use axum::{middleware, routing::get, Router};
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::{net::SocketAddr, sync::OnceLock};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

pub fn build(state: AppState) -> Router {
    let routes = route_list();
    let sessions = state.sessions.clone().layer(&state.settings.session);
    Router::new()
        .route("/health", get(health))
        .route("/events", get(crate::events::handler::events))
        // Registers the pages and every #[server] function, with `AppState` in their context.
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Files under site_root (WASM, JS, CSS, public/), else the app's 404 page.
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(sessions)
        .layer(middleware::from_fn(super::csrf::reject_cross_site_writes))
        // Added after the session and CSRF layers: the API takes bearer tokens, never cookies.
        .merge(crate::api::router())
        .layer(middleware::from_fn_with_state(
            HashedNames(state.leptos_options.hash_files),
            cache_lifetimes,
        ))
        .layer(middleware::from_fn_with_state(
            Https(state.settings.session.secure_cookie),
            security_headers,
        ))
        // Precompressed `.br`/`.gz` site files are served as they are; the rest is compressed here.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The app's routes, listed once per process. Listing runs the app with resource loading
/// switched off by a process-wide flag (leptos_server), so a page that another app in the same
/// process (the tests start many) renders at that moment would wait forever (leptos#4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Leptos's own options: cargo-leptos's `LEPTOS_*` variables for the build-side values (output
/// name, pkg dir, reload port), our settings for where to listen and where the site files are.
pub fn leptos_options(
    settings: &Settings,
    bound: SocketAddr,
) -> Result<LeptosOptions, ConfigError> {
    let mut options = leptos::config::get_configuration(None)
        .map_err(|e| ConfigError::new(format!("LEPTOS_* environment: {e}")))?
        .leptos_options;
    if options.output_name.is_empty() {
        // Built by plain cargo rather than cargo-leptos: use Cargo.toml's output-name.
        options.output_name = "crm".into();
    }
    options.site_addr = bound;
    options.site_root = settings.server.site_root.to_string_lossy().as_ref().into();
    // A build with hashed file names leaves their hashes beside the binary; the server then
    // links those names, whether cargo-leptos started it or not.
    options.hash_files = options.hash_files || hash_file_beside_binary(&options.hash_file);
    Ok(options)
}

fn hash_file_beside_binary(name: &str) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .is_some_and(|file| file.is_file())
}
