//! The Content-Security-Policy of a page. The shell sets it, because it carries the nonce of that
//! response's inline scripts; `server::security_headers` gives every other response one that
//! allows nothing.

/// A page's policy: scripts only from this origin or carrying this response's nonce (the
/// hydration loader and streamed resources), WASM compiled by the browser, no plugins, no
/// framing. Inline `style` attributes stay allowed (stage colours, chart bars); inline scripts
/// never are. `reload_port` is `cargo leptos watch`'s live-reload socket.
pub fn page_policy(nonce: &str, reload_port: Option<u32>) -> String {
    let reload = reload_port
        .map(|port| format!(" ws://127.0.0.1:{port} ws://localhost:{port}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::page_policy;

    #[test]
    fn page_scripts_need_the_nonce_and_never_run_inline_unchecked() {
        let policy = page_policy("abc123", None);
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .expect("script-src");
        let sources: Vec<&str> = scripts.split_whitespace().skip(1).collect();
        assert!(sources.contains(&"'nonce-abc123'"));
        // WASM compilation is allowed; JavaScript eval and unchecked inline scripts are not.
        assert!(sources.contains(&"'wasm-unsafe-eval'"));
        assert!(!sources.contains(&"'unsafe-inline'") && !sources.contains(&"'unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(page_policy("n", Some(3001)).contains("ws://127.0.0.1:3001"));
    }
}
