//! Cross-site request forgery guard. The session cookie is SameSite=Lax, and on top of that any
//! state-changing request a browser sends from another origin is refused: browsers always send
//! `Origin` (or at least `Referer`) with such requests, and it must name this host.

use crate::error::AppError;
use axum::{
    extract::Request,
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn reject_cross_site_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !same_origin(request.headers()) {
        tracing::warn!(
            method = %request.method(),
            path = request.uri().path(),
            origin = ?request.headers().get(header::ORIGIN),
            "refused a cross-site request"
        );
        return AppError::Forbidden.into_response();
    }
    next.run(request).await
}

/// True when the request names no other origin than the host it was sent to. Requests without
/// `Origin` and `Referer` (API clients, curl) carry no browser cookies to abuse and pass.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match source {
        None => true,
        Some(url) => {
            authority_of(url).is_some_and(|authority| authority.eq_ignore_ascii_case(host))
        }
    }
}

/// `https://crm.example.com:8443/path` → `crm.example.com:8443`.
fn authority_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_host_passes_other_hosts_fail() {
        let ok = headers(&[
            (header::HOST, "crm.example.com"),
            (header::ORIGIN, "https://crm.example.com"),
        ]);
        assert!(same_origin(&ok));
        let evil = headers(&[
            (header::HOST, "crm.example.com"),
            (header::ORIGIN, "https://evil.example"),
        ]);
        assert!(!same_origin(&evil));
        let port = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "http://127.0.0.1:3001"),
        ]);
        assert!(!same_origin(&port));
    }

    #[test]
    fn referer_is_used_when_origin_is_missing() {
        let ok = headers(&[
            (header::HOST, "crm.example.com"),
            (header::REFERER, "https://crm.example.com/login?x=1"),
        ]);
        assert!(same_origin(&ok));
        let evil = headers(&[
            (header::HOST, "crm.example.com"),
            (header::REFERER, "https://evil.example/crm.example.com"),
        ]);
        assert!(!same_origin(&evil));
    }

    #[test]
    fn opaque_origin_is_refused_and_headerless_clients_pass() {
        let opaque = headers(&[(header::HOST, "crm.example.com"), (header::ORIGIN, "null")]);
        assert!(!same_origin(&opaque));
        assert!(same_origin(&headers(&[(header::HOST, "crm.example.com")])));
    }
}
