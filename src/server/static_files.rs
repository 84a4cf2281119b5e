//! Cache lifetimes for the site's files. With hashed file names (release builds) a `/pkg/` file
//! never changes under its name, so browsers keep it for a year; otherwise they revalidate.
//! The files themselves, and their precompressed `.br`/`.gz` twins, are served by leptos_axum's
//! file handler (tower-http `ServeDir`).

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

/// Whether `/pkg/` names carry a content hash (cargo-leptos `hash-files`).
#[derive(Clone, Copy)]
pub struct HashedNames(pub bool);

const FOREVER: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

pub async fn cache_lifetimes(
    State(HashedNames(hashed)): State<HashedNames>,
    request: Request,
    next: Next,
) -> Response {
    let under_pkg = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if under_pkg && response.status().is_success() {
        let lifetime = if hashed { FOREVER } else { REVALIDATE };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, lifetime);
    }
    response
}
