//! The `crm` binary's entry: `crm` (or `crm serve`) runs the server; `crm tenant …` and
//! `crm jobs …` are the platform operator's commands.

use super::{
    jobs_cli::{jobs_command, JobsAction},
    Application,
};
use crate::{
    config::{LogFormat, LogSettings, Settings},
    db::Db,
    tenancy::{
        lifecycle::{change_tenant_status, Transition},
        sample_data::{fill_tenant, Sizes},
    },
};
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "crm",
    version,
    about = "The CRM server. Configuration: Leptos.toml and CRM_* variables."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Fill a tenant with generated companies, contacts, deals, activities and tasks (for
    /// benchmarks and load tests; deterministic for a seed).
    Generate {
        /// The tenant's slug, e.g. `demo`.
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value_t = 100)]
        companies: usize,
        #[arg(long, default_value_t = 1_000)]
        contacts: usize,
        #[arg(long, default_value_t = 1_000)]
        deals: usize,
        /// Won and lost deals closed over the last two years, on top of `--deals`.
        #[arg(long, default_value_t = 0)]
        closed_deals: usize,
        #[arg(long, default_value_t = 5_000)]
        activities: usize,
        #[arg(long, default_value_t = 500)]
        tasks: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print the installation's database, schema version and how many tenants and users it
    /// holds (for the platform operator; the web pages show no counts).
    Status,
    /// The background job queue: list, retry or discard failed jobs, run one now.
    Jobs {
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Change a tenant's status: suspended and closed tenants cannot sign in; data is kept.
    Tenant {
        #[command(subcommand)]
        action: TenantAction,
    },
}

#[derive(Subcommand)]
enum TenantAction {
    /// Stop everyone of the tenant from signing in (live sessions end on their next request).
    Suspend { slug: String },
    /// Let a suspended tenant sign in again.
    Reactivate { slug: String },
    /// Close the tenant for good.
    Close { slug: String },
}

pub async fn cli_main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("crm: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&settings.log);
    match cli.command {
        None | Some(Command::Serve) => serve(settings).await,
        Some(Command::Tenant { action }) => tenant_command(&settings, action).await,
        Some(Command::Status) => status_command(&settings).await,
        Some(Command::Jobs { action }) => jobs_command(&settings, action).await,
        Some(Command::Generate {
            tenant,
            companies,
            contacts,
            deals,
            closed_deals,
            activities,
            tasks,
            seed,
        }) => {
            let sizes = Sizes {
                companies,
                contacts,
                deals,
                closed_deals,
                activities,
                tasks,
            };
            generate_command(&settings, &tenant, sizes, seed).await
        }
    }
}

async fn generate_command(settings: &Settings, slug: &str, sizes: Sizes, seed: u64) -> ExitCode {
    let db = match Db::connect_and_migrate(&settings.database).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("crm: {e}");
            return ExitCode::FAILURE;
        }
    };
    let tenant: Result<Option<i64>, sqlx::Error> = crate::on_db!(&db, |pool| {
        use crate::tenancy::store::TenantStore;
        async {
            let found = pool.acquire().await?.tenant_status_by_slug(slug).await?;
            Ok(found.map(|(id, _)| id))
        }
        .await
    });
    let started = std::time::Instant::now();
    let result = match tenant {
        Ok(Some(tenant_id)) => fill_tenant(&db, tenant_id, sizes, seed).await,
        Ok(None) => Err(anyhow::anyhow!("no tenant has the slug '{slug}'")),
        Err(e) => Err(e.into()),
    };
    db.close().await;
    match result {
        Ok(filled) => {
            println!(
                "tenant {slug}: added {filled:?} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("crm: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn status_command(settings: &Settings) -> ExitCode {
    use crate::status::service::{installation_counts, load_status};
    let db = match Db::connect_and_migrate(&settings.database).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("crm: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result =
        async { Ok::<_, sqlx::Error>((load_status(&db).await?, installation_counts(&db).await?)) }
            .await;
    db.close().await;
    match result {
        Ok((status, counts)) => {
            println!(
                "database: {} (schema version {})",
                status.backend, status.schema_version
            );
            println!(
                "tenants: {} active, {} suspended, {} closed",
                counts.tenants_active, counts.tenants_suspended, counts.tenants_closed
            );
            println!("active users: {}", counts.active_users);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("crm: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn tenant_command(settings: &Settings, action: TenantAction) -> ExitCode {
    let (slug, transition) = match action {
        TenantAction::Suspend { slug } => (slug, Transition::Suspend),
        TenantAction::Reactivate { slug } => (slug, Transition::Reactivate),
        TenantAction::Close { slug } => (slug, Transition::Close),
    };
    let db = match Db::connect_and_migrate(&settings.database).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("crm: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = change_tenant_status(&db, &slug, transition).await;
    db.close().await;
    match result {
        Ok((old, new)) => {
            println!("tenant {slug}: {old} -> {new}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("crm: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> ExitCode {
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
