//! The timeline every card shows: newest first, one page at a time ("Load older" appends the
//! next page), and the form that logs a call, email, meeting or note at the top of it.

use super::{
    server_fns::{timeline, LogActivity},
    Activity, TimelineOf, TimelinePage,
};
use crate::{
    error::AppError,
    events::{live::LiveUpdates, LiveKind},
    ui::record_page::{form_message, FormField},
};
use chrono::DateTime;
use leptos::prelude::*;
use serde_json::Value;

const PAGE: u32 = 20;

/// `754` → `12 min 34 s`.
fn duration(seconds: u64) -> String {
    match (seconds / 3600, seconds % 3600 / 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

fn text(payload: &Value, key: &str) -> Option<String> {
    payload.get(key).and_then(Value::as_str).map(str::to_string)
}

/// The headline of an entry, from its kind and payload.
pub fn summary(a: &Activity) -> String {
    let p = &a.payload;
    let direction = text(p, "direction");
    match a.kind.as_str() {
        "call" => {
            let mut parts = vec![match direction.as_deref() {
                Some("inbound") => "Inbound call".to_string(),
                Some("outbound") => "Outbound call".to_string(),
                _ => "Call".to_string(),
            }];
            if let Some(s) = p.get("duration_seconds").and_then(Value::as_u64) {
                parts.push(duration(s));
            }
            // A disposition may be stored as its name or as {id, name}.
            let disposition = p.get("disposition").and_then(|d| {
                d.as_str()
                    .or_else(|| d.get("name").and_then(Value::as_str))
                    .map(str::to_string)
            });
            parts.extend(disposition);
            parts.join(" · ")
        }
        "email" => {
            let head = match direction.as_deref() {
                Some("inbound") => "Email received",
                Some("outbound") => "Email sent",
                _ => "Email",
            };
            match text(p, "subject") {
                Some(subject) => format!("{head}: {subject}"),
                None => head.to_string(),
            }
        }
        "meeting" => "Meeting".into(),
        "note" => "Note".into(),
        "stage_change" => {
            let name = |k: &str| p.get(k).and_then(|s| s.get("name")).and_then(Value::as_str);
            match (name("from"), name("to")) {
                (Some(from), Some(to)) => format!("{from} → {to}"),
                (None, Some(to)) => format!("Moved to {to}"),
                _ => "Stage changed".into(),
            }
        }
        "followup" => match text(p, "due_at").and_then(|d| DateTime::parse_from_rfc3339(&d).ok()) {
            Some(due) => format!("Follow-up due {}", due.format("%Y-%m-%d %H:%M UTC")),
            None => "Follow-up".into(),
        },
        "system" if text(p, "event").as_deref() == Some("owner_changed") => {
            let name = |k: &str| {
                p.get(k)
                    .and_then(|o| o.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("nobody")
                    .to_string()
            };
            format!("Owner: {} → {}", name("from"), name("to"))
        }
        "system" if text(p, "event").as_deref() == Some("status_changed") => format!(
            "Status: {} → {}",
            text(p, "from").unwrap_or_default(),
            text(p, "to").unwrap_or_default()
        ),
        "system" => "System".into(),
        other => other.to_string(),
    }
}

#[component]
fn Entry(activity: Activity) -> impl IntoView {
    let title = summary(&activity);
    // UTC on both sides, so the server's HTML and the hydrated page agree.
    let when = activity
        .happened_at
        .format("%Y-%m-%d %H:%M UTC")
        .to_string();
    let who = activity.user_name.clone().map(|n| format!(" · {n}"));
    let body = (!activity.body.is_empty()).then(|| activity.body.clone());
    view! {
        <li
            class=format!("entry entry-{}", activity.kind)
            data-kind=activity.kind.clone()
            data-testid="timeline-entry"
        >
            <p class="entry-title">{title}</p>
            {body.map(|b| view! { <p class="entry-body">{b}</p> })}
            <p class="entry-meta">
                <time datetime=activity.happened_at.to_rfc3339()>{when}</time>
                {who}
            </p>
        </li>
    }
}

/// The card's timeline; `can_log` shows the "Add activity" form, and `on_logged` hears of each
/// activity it logs (a call changes the contact's "last contacted", for one).
#[component]
pub fn Timeline(
    of: TimelineOf,
    id: i64,
    can_log: bool,
    #[prop(optional)] on_logged: Option<Callback<Activity>>,
) -> impl IntoView {
    let first = Resource::new(|| (), move |_| timeline(of, id, None, Some(PAGE)));
    view! {
        <section class="panel timeline" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <Suspense fallback=|| {
                view! { <p class="muted">"Loading the timeline…"</p> }
            }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(page) => view! { <Feed of id can_log page on_logged /> }.into_any(),
                        Err(e) => {
                            view! {
                                <p class="error" role="alert">
                                    {e.to_string()}
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Entries another user (or a call, or a job) adds while the card is open come in at the top.
fn follow_live_entries(of: TimelineOf, id: i64, entries: RwSignal<Vec<Activity>>) {
    let Some(live) = use_context::<LiveUpdates>() else {
        return;
    };
    let word = match of {
        TimelineOf::Contact => "contact",
        TimelineOf::Company => "company",
        TimelineOf::Deal => "deal",
    };
    Effect::new(move |seen: Option<()>| {
        let event = live.latest();
        // The first run only subscribes: the page has just loaded the timeline.
        if seen.is_none() {
            return;
        }
        let touches = event.is_some_and(|e| {
            e.kind == LiveKind::Resync
                || (matches!(e.kind, LiveKind::Timeline | LiveKind::Deal)
                    && e.entity.as_deref() == Some(word)
                    && e.entity_id == Some(id))
        });
        if !touches {
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(fresh) = timeline(of, id, None, Some(PAGE)).await else {
                return;
            };
            entries.update(|shown| {
                let mut new: Vec<Activity> = fresh
                    .items
                    .into_iter()
                    .filter(|a| !shown.iter().any(|s| s.id == a.id))
                    .collect();
                if !new.is_empty() {
                    new.append(shown);
                    *shown = new;
                }
            });
        });
    });
}

#[component]
fn Feed(
    of: TimelineOf,
    id: i64,
    can_log: bool,
    page: TimelinePage,
    on_logged: Option<Callback<Activity>>,
) -> impl IntoView {
    let entries = RwSignal::new(page.items);
    let cursor = RwSignal::new(page.next_cursor);
    let loading = RwSignal::new(false);
    let load_error = RwSignal::new(None::<String>);
    let load_older = move |_| {
        let Some(after) = cursor.get_untracked() else {
            return;
        };
        loading.set(true);
        leptos::task::spawn_local(async move {
            match timeline(of, id, Some(after), Some(PAGE)).await {
                Ok(next) => {
                    entries.update(|e| e.extend(next.items));
                    cursor.set(next.next_cursor);
                    load_error.set(None);
                }
                Err(e) => load_error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    follow_live_entries(of, id, entries);
    view! {
        {can_log.then(|| view! { <AddActivity of id entries on_logged /> })}
        <Show when=move || entries.with(Vec::is_empty)>
            <p class="muted" data-testid="timeline-empty">
                "Nothing has happened here yet."
            </p>
        </Show>
        <ol class="timeline-list" data-testid="timeline">
            <For each=move || entries.get() key=|a| a.id let:activity>
                <Entry activity />
            </For>
        </ol>
        <p class="error" role="alert">
            {move || load_error.get()}
        </p>
        <Show when=move || cursor.with(Option::is_some)>
            <button
                type="button"
                class="button secondary"
                on:click=load_older
                disabled=move || loading.get()
            >
                {move || if loading.get() { "Loading…" } else { "Load older" }}
            </button>
        </Show>
    }
}

#[component]
fn AddActivity(
    of: TimelineOf,
    id: i64,
    entries: RwSignal<Vec<Activity>>,
    on_logged: Option<Callback<Activity>>,
) -> impl IntoView {
    let log = ServerAction::<LogActivity>::new();
    let kind = RwSignal::new("note".to_string());
    let form = NodeRef::<leptos::html::Form>::new();
    let error = Signal::derive(move || log.value().get().and_then(Result::err));
    // A logged activity goes straight to the top of the feed, and the form starts over.
    Effect::new(move || {
        if let Some(Ok(added)) = log.value().get() {
            if let Some(on_logged) = on_logged {
                on_logged.run(added.clone());
            }
            entries.update(|e| {
                if !e.iter().any(|a| a.id == added.id) {
                    e.insert(0, added);
                }
            });
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            kind.set("note".into());
        }
    });
    let link = match of {
        TimelineOf::Contact => "form[contact_id]",
        TimelineOf::Company => "form[company_id]",
        TimelineOf::Deal => "form[deal_id]",
    };
    let is = move |k: &'static str| move || kind.with(|v| v == k);
    let message =
        move |name: &'static str| move || error.get().and_then(|e: AppError| e.field(name));
    view! {
        <details class="add-activity" open>
            <summary>"Add activity"</summary>
            <ActionForm action=log node_ref=form attr:class="activity-form" attr:novalidate=true>
                <input type="hidden" name=link value=id />
                <div class="field">
                    <label for="activity-kind">"Kind"</label>
                    <select
                        id="activity-kind"
                        name="form[kind]"
                        on:change=move |ev| kind.set(event_target_value(&ev))
                    >
                        <option value="note" selected>
                            "Note"
                        </option>
                        <option value="call">"Call"</option>
                        <option value="email">"Email"</option>
                        <option value="meeting">"Meeting"</option>
                    </select>
                    <p class="field-error">{message("kind")}</p>
                </div>
                <div class="field" hidden=move || !(is("call")() || is("email")())>
                    <label for="activity-direction">"Direction"</label>
                    <select id="activity-direction" name="form[direction]">
                        <option value="outbound" selected>
                            "Outbound"
                        </option>
                        <option value="inbound">"Inbound"</option>
                    </select>
                    <p class="field-error">{message("direction")}</p>
                </div>
                <div hidden=move || !is("email")()>
                    <FormField label="Subject" name="subject" value="" error prefix="activity" />
                </div>
                <div hidden=move || !is("call")()>
                    <FormField
                        label="Duration (seconds)"
                        name="duration_seconds"
                        value=""
                        kind="number"
                        error
                        prefix="activity"
                    />
                </div>
                <div class="field">
                    <label for="activity-body">"Notes"</label>
                    <textarea id="activity-body" name="form[body]" rows="3"></textarea>
                    <p class="field-error" data-testid="activity-error-body">
                        {message("body")}
                    </p>
                </div>
                <p class="error" role="alert" data-testid="activity-error">
                    {form_message(error)}
                </p>
                <button type="submit" class="button" disabled=move || log.pending().get()>
                    "Add"
                </button>
            </ActionForm>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::json;

    fn activity(kind: &str, payload: Value) -> Activity {
        Activity {
            id: 1,
            kind: kind.into(),
            body: String::new(),
            payload,
            user_id: None,
            user_name: None,
            contact_id: None,
            company_id: None,
            deal_id: None,
            happened_at: Utc::now(),
        }
    }

    #[test]
    fn entries_read_their_payload() {
        let call = activity(
            "call",
            json!({"direction": "outbound", "duration_seconds": 754, "disposition": {"name": "Interested"}}),
        );
        assert_eq!(summary(&call), "Outbound call · 12 min 34 s · Interested");
        let email = activity("email", json!({"direction": "inbound", "subject": "Offer"}));
        assert_eq!(summary(&email), "Email received: Offer");
        let moved = activity(
            "stage_change",
            json!({"from": {"id": 1, "name": "Qualified"}, "to": {"id": 2, "name": "Proposal"}}),
        );
        assert_eq!(summary(&moved), "Qualified → Proposal");
        assert_eq!(summary(&activity("note", json!({}))), "Note");
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(3720), "1 h 2 min");
    }
}
