//! `/calls`: the calls log. Agents see their own calls, supervisors their team's, admins
//! everyone's (the server applies the scope); recordings only for `calls.recordings.view`.

use super::{server_fns::list_calls, Call, CallFilter};
use crate::auth::roles::Permission;
use crate::dispositions::server_fns::list_dispositions;
use crate::{
    auth::pages::Auth, ui::format::clock, ui::record_page::RecordProblem,
    users::server_fns::list_users,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CallsLogPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let user_id = RwSignal::new(String::new());
    let direction = RwSignal::new(String::new());
    let disposition_id = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let before_id = RwSignal::new(String::new());
    let filter = Memo::new(move |_| CallFilter {
        user_id: user_id.get(),
        direction: direction.get(),
        disposition_id: disposition_id.get(),
        from: from.get(),
        to: to.get(),
        before_id: before_id.get(),
    });
    let calls = Resource::new(move || filter.get(), list_calls);
    let users = Resource::new(|| (), |_| list_users());
    let dispositions = Resource::new(|| (), |_| list_dispositions());
    // A changed filter starts again at the newest call.
    let set = move |signal: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            before_id.set(String::new());
            signal.set(event_target_value(&ev));
        }
    };
    view! {
        <Title text="Calls · CRM" />
        <h1>"Calls"</h1>
        <form
            class="inline-form filters"
            aria-label="Filter calls"
            on:submit=|ev| ev.prevent_default()
        >
            <Suspense>
                {move || Suspend::new(async move {
                    let users = users.await.unwrap_or_default();
                    (users.len() > 1)
                        .then(|| {
                            view! {
                                <label>
                                    "Agent "
                                    <select data-testid="filter-agent" on:change=set(user_id)>
                                        <option value="">"Anyone"</option>
                                        {users
                                            .into_iter()
                                            .map(|u| {
                                                view! { <option value=u.id.to_string()>{u.name}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                            }
                        })
                })}
            </Suspense>
            <label>
                "Direction " <select data-testid="filter-direction" on:change=set(direction)>
                    <option value="">"Both"</option>
                    <option value="outbound">"Outbound"</option>
                    <option value="inbound">"Inbound"</option>
                </select>
            </label>
            <Suspense>
                {move || Suspend::new(async move {
                    let all = dispositions.await.unwrap_or_default();
                    view! {
                        <label>
                            "Disposition "
                            <select data-testid="filter-disposition" on:change=set(disposition_id)>
                                <option value="">"Any"</option>
                                {all
                                    .into_iter()
                                    .map(|d| {
                                        view! { <option value=d.id.to_string()>{d.name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                })}
            </Suspense>
            <label>
                "From " <input type="date" data-testid="filter-from" on:change=set(from) />
            </label>
            <label>"To " <input type="date" data-testid="filter-to" on:change=set(to) /></label>
        </form>
        <Transition fallback=|| {
            view! { <p class="muted">"Loading calls…"</p> }
        }>
            {move || Suspend::new(async move {
                let recordings = auth.can(Permission::CallsRecordingsView).await;
                match calls.await {
                    Ok(page) if page.calls.is_empty() => {
                        view! {
                            <p class="muted" data-testid="no-calls">
                                "No calls match."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(page) => {
                        let next = page.next_before_id;
                        view! {
                            <CallsTable calls=page.calls recordings />
                            {next
                                .map(|id| {
                                    view! {
                                        <button
                                            type="button"
                                            on:click=move |_| before_id.set(id.to_string())
                                        >
                                            "Older calls"
                                        </button>
                                    }
                                })}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <RecordProblem error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CallsTable(calls: Vec<Call>, recordings: bool) -> impl IntoView {
    view! {
        <table class="data-table" data-testid="calls-log">
            <thead>
                <tr>
                    <th>"When (UTC)"</th>
                    <th>"Agent"</th>
                    <th>"Direction"</th>
                    <th>"Number"</th>
                    <th>"With"</th>
                    <th>"Disposition"</th>
                    <th>"Length"</th>
                    {recordings.then(|| view! { <th>"Recording"</th> })}
                </tr>
            </thead>
            <tbody>
                {calls
                    .into_iter()
                    .map(|call| {
                        let with = match (call.deal_id, call.contact_id) {
                            (Some(id), _) => {
                                Some((
                                    format!("/deals/{id}"),
                                    call.deal_title.clone().unwrap_or_default(),
                                ))
                            }
                            (None, Some(id)) => {
                                Some((
                                    format!("/contacts/{id}"),
                                    call.contact_name.clone().unwrap_or_default(),
                                ))
                            }
                            _ => None,
                        };
                        view! {
                            <tr>
                                <td>{call.started_at.format("%Y-%m-%d %H:%M").to_string()}</td>
                                <td>{call.user_name.clone()}</td>
                                <td>{call.direction.clone()}</td>
                                <td>{call.their_number().to_string()}</td>
                                <td>
                                    {with.map(|(href, name)| view! { <a href=href>{name}</a> })}
                                </td>
                                <td>
                                    {call
                                        .disposition_name
                                        .clone()
                                        .unwrap_or_else(|| call.state.as_str().replace('_', " "))}
                                </td>
                                <td>{clock(call.duration_seconds.unwrap_or(0))}</td>
                                {recordings
                                    .then(|| {
                                        view! {
                                            <td>
                                                {call
                                                    .recording_url
                                                    .clone()
                                                    .map(|url| {
                                                        view! {
                                                            <a href=url rel="noopener noreferrer" target="_blank">
                                                                "Listen"
                                                            </a>
                                                        }
                                                    })}
                                            </td>
                                        }
                                    })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
