//! "Background jobs" (`settings.manage`): the tenant's own jobs by status (the nightly contact
//! status, digests, reminders), with the last error of a failed one and Retry or Discard.

use crate::jobs::{
    server_fns::{discard_job, list_jobs, retry_job},
    Job, JobStatus,
};
use chrono::{DateTime, Utc};
use leptos::{prelude::*, task::spawn_local};

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[component]
pub fn JobsSection() -> impl IntoView {
    let status = RwSignal::new(JobStatus::Failed);
    let changed = RwSignal::new(0_u32);
    let overview = Resource::new(
        move || (status.get(), changed.get()),
        |(status, _)| list_jobs(status.into()),
    );
    let problem = RwSignal::new(None::<String>);
    let settle = move |id: i64, retry: bool| {
        spawn_local(async move {
            let done = if retry {
                retry_job(id).await
            } else {
                discard_job(id).await
            };
            problem.set(done.err().map(|e| e.to_string()));
            changed.update(|n| *n += 1);
        });
    };
    view! {
        <section class="panel" aria-labelledby="jobs-title" data-testid="settings-jobs">
            <h2 id="jobs-title">"Background jobs"</h2>
            <p class="hint">
                "Work the CRM does on its own: each night's contact status, the morning digests. A job that keeps failing is parked here with its error."
            </p>
            <p class="error" role="alert">
                {move || problem.get()}
            </p>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    overview
                        .await
                        .map(|o| {
                            view! {
                                <div class="segmented" role="group" aria-label="Jobs by status">
                                    {o
                                        .counts
                                        .into_iter()
                                        .map(|(s, n)| {
                                            view! {
                                                <button
                                                    type="button"
                                                    class="button small secondary"
                                                    aria-pressed=move || (status.get() == s).to_string()
                                                    data-testid=format!("jobs-{s}")
                                                    on:click=move |_| status.set(s)
                                                >
                                                    {format!("{} ({n})", s.as_str())}
                                                </button>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                                {jobs_table(o.jobs, settle)}
                            }
                        })
                        .map_err(|e| e.to_string())
                })}
            </Transition>
        </section>
    }
}

fn jobs_table(
    jobs: Vec<Job>,
    settle: impl Fn(i64, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if jobs.is_empty() {
        return view! {
            <p class="muted" data-testid="jobs-none">
                "None."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table" data-testid="jobs">
                <thead>
                    <tr>
                        <th>"Job"</th>
                        <th>"Due"</th>
                        <th>"Attempts"</th>
                        <th>"Last error"</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {jobs
                        .into_iter()
                        .map(|job| {
                            let id = job.id;
                            let failed = job.status == JobStatus::Failed;
                            view! {
                                <tr data-testid="job-row">
                                    <td>{format!("#{id} {}", job.kind)}</td>
                                    <td>{when(job.run_at)}</td>
                                    <td>{format!("{} of {}", job.attempts, job.max_attempts)}</td>
                                    <td class="job-error">{job.last_error.unwrap_or_default()}</td>
                                    <td>
                                        {failed
                                            .then(|| {
                                                view! {
                                                    <button
                                                        type="button"
                                                        class="button small"
                                                        on:click=move |_| settle(id, true)
                                                    >
                                                        "Retry"
                                                    </button>
                                                    <button
                                                        type="button"
                                                        class="button small secondary"
                                                        on:click=move |_| settle(id, false)
                                                    >
                                                        "Discard"
                                                    </button>
                                                }
                                            })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
