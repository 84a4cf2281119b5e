//! The console's side lists: the agent's follow-ups due today (and overdue), and their latest
//! calls.

use super::Call;
use crate::tasks::server_fns::load_my_tasks;
use crate::ui::format::clock;
use leptos::prelude::*;

#[component]
pub fn FollowUps() -> impl IntoView {
    let tasks = Resource::new(|| (), |_| load_my_tasks());
    view! {
        <section class="panel" aria-labelledby="followups-title" data-testid="console-followups">
            <h2 id="followups-title">"Follow-ups due today"</h2>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let due = tasks
                        .await
                        .map(|t| { t.overdue.into_iter().chain(t.today).collect::<Vec<_>>() });
                    match due {
                        Ok(due) if due.is_empty() => {
                            view! { <p class="muted">"Nothing due today."</p> }.into_any()
                        }
                        Ok(due) => {
                            view! {
                                <ul class="plain-list">
                                    {due
                                        .into_iter()
                                        .map(|task| {
                                            view! {
                                                <li>
                                                    {task.title}
                                                    {task
                                                        .contact_id
                                                        .map(|id| {
                                                            view! {
                                                                " · "
                                                                <a href=format!(
                                                                    "/contacts/{id}",
                                                                )>{task.contact_name.unwrap_or_default()}</a>
                                                            }
                                                        })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn RecentCalls(calls: RwSignal<Vec<Call>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="recent-calls-title">
            <h2 id="recent-calls-title">"Recent calls"</h2>
            <table class="data-table" data-testid="recent-calls">
                <thead>
                    <tr>
                        <th>"When"</th>
                        <th>"Number"</th>
                        <th>"With"</th>
                        <th>"Outcome"</th>
                        <th>"Length"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || calls.get() key=|c| (c.id, c.state.as_str()) let:call>
                        <tr>
                            <td>{call.started_at.format("%Y-%m-%d %H:%M").to_string()}</td>
                            <td>{call.their_number().to_string()}</td>
                            <td>
                                {call
                                    .contact_id
                                    .map(|id| {
                                        view! {
                                            <a href=format!(
                                                "/contacts/{id}",
                                            )>{call.contact_name.clone().unwrap_or_default()}</a>
                                        }
                                    })}
                            </td>
                            <td>
                                {call
                                    .disposition_name
                                    .clone()
                                    .unwrap_or_else(|| call.state.as_str().replace('_', " "))}
                            </td>
                            <td>{clock(call.duration_seconds.unwrap_or(0))}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </section>
    }
}
