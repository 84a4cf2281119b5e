//! The `crm` binary's entry: load settings, start logging, build, print where to go, serve.

use super::Application;
use crate::config::{LogFormat, LogSettings, Settings};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

pub async fn cli_main() -> ExitCode {
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("crm: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&settings.log);

    let app = match Application::build(settings.clone()).await {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("crm: {e}");
            return ExitCode::FAILURE;
        }
    };

    let url = format!("http://{}", app.address());
    println!(
        "CRM is running at {url}  ({})",
        app.db().backend().display_name()
    );
    if settings.demo.seed {
        let fresh = if app.seeded_demo {
            " (created just now)"
        } else {
            ""
        };
        println!(
            "Demo login{fresh}: {} / {}",
            settings.demo.admin_email, settings.demo.admin_password
        );
    }

    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "server failed");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(log: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&log.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match log.format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Completes on Ctrl-C or SIGTERM (what `docker stop` and systemd send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
