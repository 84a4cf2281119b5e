#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    crm::server::cli_main().await
}

/// The binary is only built with the `ssr` feature; the browser side is the library's `hydrate`.
#[cfg(not(feature = "ssr"))]
fn main() {}
