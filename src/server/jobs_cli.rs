//! `crm jobs …`: the operator's view of the background queue.

use crate::{
    config::Settings,
    db::Db,
    jobs::{
        queue::Queue,
        service::{discard_job, list_jobs, retry_job, run_now},
        JobStatus,
    },
};
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum JobsAction {
    /// Counts per status, then the latest jobs in one status (default: failed).
    List {
        #[arg(long, default_value = "failed")]
        status: String,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Queue a failed job again, with fresh attempts.
    Retry { id: i64 },
    /// Delete a failed job.
    Discard { id: i64 },
    /// Enqueue a job of this kind to run now (a running instance's workers take it).
    Run { kind: String },
}

pub async fn jobs_command(settings: &Settings, action: JobsAction) -> ExitCode {
    let db = match Db::connect_and_migrate(&settings.database).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("crm: {e}");
            return ExitCode::FAILURE;
        }
    };
    let queue = Queue::new(db.clone());
    let result = run(&queue, action).await;
    db.close().await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crm: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(queue: &Queue, action: JobsAction) -> anyhow::Result<()> {
    match action {
        JobsAction::List { status, limit } => {
            let status = JobStatus::parse(&status).ok_or_else(|| {
                anyhow::anyhow!(
                    "--status: '{status}' is not one of queued, running, succeeded, failed"
                )
            })?;
            let (counts, jobs) = list_jobs(queue, status, limit).await?;
            let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{s} {n}")).collect();
            println!(
                "jobs: {}",
                if counts.is_empty() {
                    "none".into()
                } else {
                    counts.join(", ")
                }
            );
            for job in jobs {
                println!(
                    "{:>6}  {:<24} attempts {}/{}  run at {}  {}",
                    job.id,
                    job.kind,
                    job.attempts,
                    job.max_attempts,
                    job.run_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    job.last_error.unwrap_or_default()
                );
            }
        }
        JobsAction::Retry { id } => {
            let job = retry_job(queue, id).await?;
            println!("job {id} ({}): queued again", job.kind);
        }
        JobsAction::Discard { id } => {
            discard_job(queue, id).await?;
            println!("job {id}: discarded");
        }
        JobsAction::Run { kind } => {
            let id = run_now(queue, &super::background::registry(), &kind).await?;
            println!("job {id} ({kind}): queued to run now");
        }
    }
    Ok(())
}
