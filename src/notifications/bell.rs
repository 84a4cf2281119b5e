//! The header's bell: the unread count, and a list of the newest notifications with a link to
//! each record, mark read and mark all read. It loads in the browser after hydration (its times
//! are relative to the reader's clock) and again on every navigation and live notification.

use super::{
    server_fns::{load_inbox, mark_all_notifications_read, mark_notification_read},
    Inbox, Notification,
};
use crate::error::AppError;
use crate::events::{live::LiveUpdates, LiveKind};
use chrono::{DateTime, Utc};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_location;

#[component]
pub fn NotificationBell() -> impl IntoView {
    // Bumped to load the inbox again.
    let refresh = RwSignal::new(0_u64);
    // A new notification, or events missed: the inbox again.
    if let Some(live) = use_context::<LiveUpdates>() {
        Effect::new(move || {
            if live
                .latest()
                .is_some_and(|e| matches!(e.kind, LiveKind::Notification | LiveKind::Resync))
            {
                refresh.update(|n| *n += 1);
            }
        });
    }
    let pathname = use_location().pathname;
    // Loaded by an effect, so in the browser only: the server draws "Loading…" and nothing of
    // the server's render reads a resource. Only the newest load's answer is shown.
    let inbox = RwSignal::new(None::<Result<Inbox, AppError>>);
    let loads = StoredValue::new(0_u64);
    Effect::new(move || {
        pathname.track();
        refresh.track();
        let this = loads.get_value() + 1;
        loads.set_value(this);
        spawn_local(async move {
            let answer = load_inbox().await;
            if loads.try_get_value() == Some(this) {
                inbox.try_set(Some(answer));
            }
        });
    });
    let reload = move || refresh.update(|n| *n += 1);
    let unread = move || {
        inbox
            .get()
            .and_then(Result::ok)
            .map(|i: Inbox| i.unread)
            .unwrap_or(0)
    };
    let label = move || match unread() {
        0 => "Notifications, none unread".to_string(),
        n => format!("Notifications, {n} unread"),
    };
    view! {
        <details class="bell" data-testid="bell">
            <summary class="button small secondary" aria-label=label>
                <span aria-hidden="true">"🔔"</span>
                <span class="bell-count" data-testid="bell-count" hidden=move || unread() == 0>
                    {unread}
                </span>
            </summary>
            <div class="bell-panel" role="region" aria-label="Notifications">
                <div class="bell-head">
                    <strong>"Notifications"</strong>
                    <button
                        type="button"
                        class="link-button"
                        data-testid="bell-mark-all"
                        disabled=move || unread() == 0
                        on:click=move |_| {
                            spawn_local(async move {
                                let _ = mark_all_notifications_read().await;
                                reload();
                            });
                        }
                    >
                        "Mark all read"
                    </button>
                </div>
                // A plain closure, not a Suspense: the inbox is the browser's own, so the server
                // and the hydrating browser both draw "Loading…".
                {move || match inbox.get() {
                    None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                    Some(Ok(inbox)) if inbox.items.is_empty() => {
                        view! { <p class="muted">"Nothing yet."</p> }.into_any()
                    }
                    Some(Ok(inbox)) => {
                        let now = Utc::now();
                        view! {
                            <ul class="bell-list" data-testid="bell-list">
                                {inbox
                                    .items
                                    .into_iter()
                                    .map(|n| view! { <BellItem n now reload /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Some(Err(e)) => {
                        view! {
                            <p class="error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                }}
            </div>
        </details>
    }
}

#[component]
fn BellItem(
    n: Notification,
    now: DateTime<Utc>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = n.id;
    let unread = n.read_at.is_none();
    let mark = move || {
        spawn_local(async move {
            let _ = mark_notification_read(id).await;
            reload();
        });
    };
    let title = n.title.clone();
    view! {
        <li class="bell-item" class:unread=unread data-testid="bell-item">
            {match n.link {
                Some(href) => {
                    view! {
                        <a
                            href=href
                            on:click=move |_| {
                                if unread {
                                    mark()
                                }
                            }
                        >
                            {title}
                        </a>
                    }
                        .into_any()
                }
                None => view! { <span>{title}</span> }.into_any(),
            }}
            {(!n.body.is_empty()).then(|| view! { <p class="bell-body">{n.body.clone()}</p> })}
            <span class="muted">{age(now, n.created_at)}</span>
            {unread
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="link-button"
                            data-testid="bell-mark-read"
                            on:click=move |_| mark()
                        >
                            "Mark read"
                        </button>
                    }
                })}
        </li>
    }
}

/// How long ago, as the bell says it.
pub fn age(now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let minutes = (now - at).num_minutes().max(0);
    match minutes {
        0 => "just now".into(),
        1..=59 => format!("{minutes} min ago"),
        60..=1439 => format!("{} h ago", minutes / 60),
        _ => format!("{} d ago", minutes / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_minutes_hours_then_days() {
        let now = DateTime::from_timestamp(1_765_000_000, 0).expect("time");
        let ago = |minutes| age(now, now - chrono::Duration::minutes(minutes));
        assert_eq!(ago(0), "just now");
        assert_eq!(
            ago(-3),
            "just now",
            "a clock a little ahead is not the future"
        );
        assert_eq!(ago(59), "59 min ago");
        assert_eq!(ago(60), "1 h ago");
        assert_eq!(ago(1439), "23 h ago");
        assert_eq!(ago(1440 * 3), "3 d ago");
    }
}
