//! A phone number that calls through the agent console tab. The control first asks whether a
//! console is open (CONSOLE_PING); with one present it sends the CALL_REQUEST and shows
//! "calling…" and the running time; with none after 2 s it offers to open `/console` and
//! retries by itself once a console announces itself. Users whose role may not place calls
//! (`calls.place`) see the number as plain text.

use super::{
    bus,
    channel::{PhoneMessage, RelatedType},
};
use crate::auth::{pages::Auth, roles::Permission};
use crate::ui::format::clock;
use leptos::prelude::*;
use std::time::Duration;

/// How long to wait for a console to answer.
const CONSOLE_WAIT: Duration = Duration::from_secs(2);

#[derive(Clone, Debug, PartialEq)]
enum Progress {
    Idle,
    /// Pinged; waiting for a console.
    LookingForConsole,
    NoConsole,
    /// Sent to a console; waiting for it to start the call.
    Requested,
    Calling {
        call_id: i64,
        since_ms: f64,
    },
    Ended {
        seconds: u32,
    },
    Failed(String),
}

/// `+49 (30) 123-4567` → `+49301234567`: what a dialer needs (a leading `+` and digits).
pub fn dialable(number: &str) -> String {
    let trimmed = number.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if trimmed.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    }
}

/// A record's phone as a click-to-call control, or a dash when it has none.
#[component]
pub fn PhoneOrDash(
    number: Option<String>,
    related_type: RelatedType,
    related_id: i64,
) -> impl IntoView {
    match number {
        Some(number) => view! { <ClickToCall number related_type related_id /> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

#[component]
pub fn ClickToCall(
    number: String,
    #[prop(optional)] related_type: Option<RelatedType>,
    #[prop(optional)] related_id: Option<i64>,
) -> impl IntoView {
    let auth = use_context::<Auth>();
    let number = StoredValue::new(number);
    let plain = move || view! { <span class="phone">{number.get_value()}</span> };
    view! {
        <Suspense fallback=plain>
            {move || Suspend::new(async move {
                let may_call = match auth {
                    Some(auth) => auth.can(Permission::CallsPlace).await,
                    None => false,
                };
                if may_call {
                    view! { <CallButton number=number.get_value() related_type related_id /> }
                        .into_any()
                } else {
                    plain().into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallButton(
    number: String,
    related_type: Option<RelatedType>,
    related_id: Option<i64>,
) -> impl IntoView {
    let progress = RwSignal::new(Progress::Idle);
    let request_id = RwSignal::new(String::new());
    let now_ms = RwSignal::new(0.0);
    // The id of this control's channel listener, once it has been clicked.
    let listener = StoredValue::new(None::<u64>);
    on_cleanup(move || {
        if let Some(id) = listener.get_value() {
            bus::unlisten(id);
        }
    });
    let number = StoredValue::new(number);
    let ticking = StoredValue::new(false);

    let post = |message: PhoneMessage| bus::post(&message);
    let request = move || {
        progress.set(Progress::Requested);
        post(PhoneMessage::CallRequest {
            number: number.get_value(),
            related_type,
            related_id,
            request_id: request_id.get_untracked(),
        });
    };
    let receive = move |message: PhoneMessage| {
        let mine = |id: &str| id == request_id.get_untracked();
        match (progress.get_untracked(), message) {
            (
                Progress::LookingForConsole | Progress::NoConsole,
                PhoneMessage::ConsolePresent { .. },
            ) => request(),
            (
                _,
                PhoneMessage::CallStarted {
                    request_id,
                    call_id,
                    ..
                },
            ) if mine(&request_id) => {
                progress.set(Progress::Calling {
                    call_id,
                    since_ms: web_sys::js_sys::Date::now(),
                });
            }
            (_, PhoneMessage::CallFailed { request_id, reason }) if mine(&request_id) => {
                progress.set(Progress::Failed(reason));
            }
            (
                Progress::Calling { call_id, .. },
                PhoneMessage::CallEnded {
                    call_id: ended,
                    duration,
                },
            ) if call_id == ended => {
                progress.set(Progress::Ended { seconds: duration });
            }
            _ => {}
        }
    };
    let call = move |_| {
        if listener.get_value().is_none() {
            listener.set_value(Some(bus::listen(receive)));
        }
        request_id.set(bus::new_id("call"));
        progress.set(Progress::LookingForConsole);
        post(PhoneMessage::ConsolePing {
            request_id: request_id.get_untracked(),
        });
        let asked = request_id.get_untracked();
        set_timeout(
            move || {
                if progress.get_untracked() == Progress::LookingForConsole
                    && request_id.get_untracked() == asked
                {
                    progress.set(Progress::NoConsole);
                }
            },
            CONSOLE_WAIT,
        );
        now_ms.set(web_sys::js_sys::Date::now());
        if !ticking.get_value() {
            ticking.set_value(true);
            let _ = set_interval_with_handle(
                move || now_ms.set(web_sys::js_sys::Date::now()),
                Duration::from_secs(1),
            );
        }
    };
    let open_console = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.open_with_url_and_target("/console", "crm-agent-console");
        }
    };
    let status = move || match progress.get() {
        Progress::Idle => None,
        Progress::LookingForConsole | Progress::Requested => {
            Some(view! { <span class="call-status">"calling…"</span> }.into_any())
        }
        Progress::Calling { since_ms, .. } => {
            let seconds = ((now_ms.get() - since_ms) / 1000.0).max(0.0) as i64;
            Some(
                view! {
                    <span class="call-status">
                        "calling… " <span data-testid="call-duration">{clock(seconds)}</span>
                    </span>
                }
                .into_any(),
            )
        }
        Progress::Ended { seconds } => Some(
            view! { <span class="call-status">"Call ended · " {clock(i64::from(seconds))}</span> }
                .into_any(),
        ),
        Progress::NoConsole => Some(
            view! {
                <span class="call-status" role="alert">
                    "Agent console is not open "
                    <button type="button" class="link-button" on:click=open_console>
                        "Open the console"
                    </button>
                </span>
            }
            .into_any(),
        ),
        Progress::Failed(reason) => Some(
            view! {
                <span class="call-status error" role="alert">
                    {reason}
                </span>
            }
            .into_any(),
        ),
    };
    let shown = number.get_value();
    view! {
        <span class="click-to-call">
            <button
                type="button"
                class="call-button"
                data-number=dialable(&shown)
                aria-label=format!("Call {shown}")
                title="Call through the agent console"
                on:click=call
            >
                <span aria-hidden="true">"☎ "</span>
                {shown.clone()}
            </button>
            " "
            <span class="call-progress" aria-live="polite" data-testid="call-progress">
                {status}
            </span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::dialable;

    #[test]
    fn numbers_keep_plus_and_digits() {
        assert_eq!(dialable(" +49 (30) 123-4567 "), "+49301234567");
        assert_eq!(dialable("030 1234"), "0301234");
    }
}
