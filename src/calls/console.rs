//! `/console`: the agent console, kept open in its own tab. It answers click-to-call requests
//! from the other CRM tabs of the browser, drives the phone, forces a wrap-up after each call,
//! and survives a session expiry without losing the call on screen.

use super::{
    bus,
    channel::{PhoneMessage, RelatedType},
    server_fns::{call_event, load_console, start_call, wrap_up_call},
    softphone::{ManualPhone, PhoneEvent, Softphone},
    state::CallEvent,
    wrap_up::WrapUpDialog,
    Call, Disposition, StartCallForm, WrapUpForm,
};
use crate::{auth::pages::Auth, error::AppError, ui::format::clock};
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use std::time::Duration;

/// Everything the console's parts share. Copy, so handlers capture it freely.
#[derive(Clone, Copy)]
struct Console {
    current: RwSignal<Option<Call>>,
    recent: RwSignal<Vec<Call>>,
    dispositions: RwSignal<Vec<Disposition>>,
    away: RwSignal<bool>,
    /// A live call that another console tab is running.
    busy_elsewhere: RwSignal<bool>,
    session_expired: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
    wrap_up_error: RwSignal<Option<AppError>>,
    saving: RwSignal<bool>,
    /// The click-to-call request behind the current call, for CALL_STARTED / CALL_FAILED.
    request_id: RwSignal<Option<String>>,
    now_ms: RwSignal<f64>,
}

impl Console {
    fn post(self, message: PhoneMessage) {
        bus::post(&message);
    }

    fn busy(self) -> bool {
        self.current.with_untracked(Option::is_some)
            || self.away.get_untracked()
            || self.busy_elsewhere.get_untracked()
            || self.session_expired.get_untracked()
    }

    /// An error from the server: a lapsed session asks to sign in again in place.
    fn problem(self, error: AppError) {
        if error == AppError::Unauthorized {
            self.session_expired.set(true);
        } else {
            self.notice.set(Some(error.to_string()));
        }
    }

    /// Holds the lock naming the live call, so a console opened meanwhile leaves it alone.
    fn hold_call(self, call: &Call) {
        bus::try_lock(&live_lock_name(call.id), |_| {});
    }

    fn show(self, call: Call) {
        let ended = !call.state.is_live();
        if ended {
            bus::release(&live_lock_name(call.id));
            self.post(PhoneMessage::CallEnded {
                call_id: call.id,
                duration: call.duration_seconds.unwrap_or(0).max(0) as u32,
            });
        }
        self.current.set(Some(call));
    }

    fn start(self, form: StartCallForm) {
        let request_id = Some(form.request_id.clone()).filter(|r| !r.is_empty());
        self.request_id.set(request_id.clone());
        self.notice.set(None);
        spawn_local(async move {
            match start_call(form).await {
                Ok(call) => {
                    if let Some(request_id) = request_id {
                        self.post(PhoneMessage::CallStarted {
                            request_id,
                            call_id: call.id,
                            related_id: call.deal_id.or(call.contact_id).or(call.company_id),
                        });
                    }
                    ManualPhone.dial(call.their_number());
                    self.hold_call(&call);
                    self.current.set(Some(call));
                }
                Err(error) => {
                    if let Some(request_id) = request_id {
                        self.post(PhoneMessage::CallFailed {
                            request_id,
                            reason: error.to_string(),
                        });
                    }
                    self.problem(error);
                }
            }
        });
    }

    fn phone_event(self, event: PhoneEvent) {
        let Some(id) = self.current.with_untracked(|c| c.as_ref().map(|c| c.id)) else {
            return;
        };
        let event = match event {
            PhoneEvent::Ringing => CallEvent::Ring,
            PhoneEvent::Answered => CallEvent::Answer,
            PhoneEvent::Ended => CallEvent::HangUp,
            PhoneEvent::Failed => CallEvent::Fail,
        };
        self.send_event(id, event);
    }

    fn send_event(self, id: i64, event: CallEvent) {
        spawn_local(async move {
            match call_event(id, event.as_str().to_string()).await {
                Ok(call) => self.show(call),
                Err(error) => self.problem(error),
            }
        });
    }

    fn wrap_up(self, (disposition_id, notes): (String, String)) {
        let Some(id) = self.current.with_untracked(|c| c.as_ref().map(|c| c.id)) else {
            return;
        };
        self.saving.set(true);
        spawn_local(async move {
            let form = WrapUpForm {
                disposition_id,
                notes,
            };
            match wrap_up_call(id, form).await {
                Ok(call) => {
                    self.wrap_up_error.set(None);
                    self.current.set(None);
                    self.request_id.set(None);
                    self.recent.update(|r| {
                        r.insert(0, call);
                        r.truncate(10);
                    });
                }
                Err(AppError::Unauthorized) => self.session_expired.set(true),
                Err(error) => self.wrap_up_error.set(Some(error)),
            }
            self.saving.set(false);
        });
    }

    /// A message from another tab.
    fn receive(self, message: PhoneMessage, console_id: &str, user_id: i64) {
        match message {
            PhoneMessage::ConsolePing { .. } => self.post(PhoneMessage::ConsolePresent {
                console_id: console_id.to_string(),
                user_id,
            }),
            PhoneMessage::CallRequest {
                number,
                related_type,
                related_id,
                request_id,
            } => self.take_request(number, related_type, related_id, request_id),
            _ => {}
        }
    }

    /// Of all consoles in the browser, the one that gets the request's lock takes it. A free
    /// console asks at once; a busy one a moment later, to answer "busy" only when no free
    /// console took it.
    fn take_request(
        self,
        number: String,
        related_type: Option<RelatedType>,
        related_id: Option<i64>,
        request_id: String,
    ) {
        let busy = self.busy();
        let claim = move || {
            let lock_name = format!("crm-call-request-{request_id}");
            bus::try_lock(&lock_name.clone(), move |taken| {
                if !taken {
                    return;
                }
                // Held a while, so a console that asks late cannot take the same request.
                set_timeout(move || bus::release(&lock_name), Duration::from_secs(30));
                if busy {
                    self.post(PhoneMessage::CallFailed {
                        request_id,
                        reason: "The agent console is busy with another call".into(),
                    });
                    return;
                }
                let related_type = match related_type {
                    Some(RelatedType::Contact) => "contact",
                    Some(RelatedType::Company) => "company",
                    Some(RelatedType::Deal) => "deal",
                    None => "",
                };
                self.start(StartCallForm {
                    number,
                    direction: "outbound".into(),
                    related_type: related_type.into(),
                    related_id: related_id.map(|id| id.to_string()).unwrap_or_default(),
                    request_id,
                });
            });
        };
        if busy {
            set_timeout(claim, Duration::from_millis(400));
        } else {
            claim();
        }
    }
}

#[component]
pub fn ConsolePage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let console = Console {
        current: RwSignal::new(None),
        recent: RwSignal::new(Vec::new()),
        dispositions: RwSignal::new(Vec::new()),
        away: RwSignal::new(false),
        busy_elsewhere: RwSignal::new(false),
        session_expired: RwSignal::new(false),
        notice: RwSignal::new(None),
        wrap_up_error: RwSignal::new(None),
        saving: RwSignal::new(false),
        request_id: RwSignal::new(None),
        now_ms: RwSignal::new(0.0),
    };
    let loaded = RwSignal::new(false);
    // In the browser only: load the agent's state, then open the channel and announce ourselves.
    Effect::new(move |_| {
        spawn_local(async move {
            let user_id = match auth.user.await {
                Ok(Some(user)) => user.user_id,
                _ => return console.session_expired.set(true),
            };
            match load_console().await {
                Ok(state) => {
                    console.dispositions.set(state.dispositions);
                    console.recent.set(state.recent);
                    if let Some(call) = state.current {
                        adopt_or_interrupt(console, call);
                    }
                }
                Err(error) => console.problem(error),
            }
            let console_id = bus::new_id("console");
            let id_for_handler = console_id.clone();
            // The console lives as long as its tab: its listener is never removed.
            bus::listen(move |message| console.receive(message, &id_for_handler, user_id));
            console.post(PhoneMessage::ConsolePresent {
                console_id,
                user_id,
            });
            loaded.set(true);
        });
        console.now_ms.set(web_sys::js_sys::Date::now());
        let _ = set_interval_with_handle(
            move || console.now_ms.set(web_sys::js_sys::Date::now()),
            Duration::from_secs(1),
        );
    });

    view! {
        <Title text="Agent console · CRM" />
        <h1>"Agent console"</h1>
        <SessionPrompt expired=console.session_expired />
        <AgentStatus console loaded />
        <p class="error" role="alert" data-testid="console-notice">
            {move || console.notice.get()}
        </p>
        <CurrentCall console />
        <DialByHand console />
        <super::console_lists::FollowUps />
        <super::console_lists::RecentCalls calls=console.recent />
        {move || {
            let call = console.current.get().filter(|c| c.state.needs_wrap_up())?;
            Some(
                view! {
                    <WrapUpDialog
                        call
                        dispositions=console.dispositions.get()
                        save=Callback::new(move |v| console.wrap_up(v))
                        error=console.wrap_up_error
                        saving=console.saving
                    />
                },
            )
        }}
    }
}

/// A call that was live when this console opened: if no other console holds it, the tab that
/// ran it is gone, so it is closed as interrupted and the wrap-up asked for now.
fn adopt_or_interrupt(console: Console, call: Call) {
    if !call.state.is_live() {
        console.current.set(Some(call));
        return;
    }
    let id = call.id;
    bus::try_lock(&live_lock_name(id), move |taken| {
        if taken {
            bus::release(&live_lock_name(id));
            console.current.set(Some(call));
            console.send_event(id, CallEvent::Interrupt);
        } else {
            console.busy_elsewhere.set(true);
        }
    });
}

/// The Web Lock a console holds while it runs call `id`.
fn live_lock_name(id: i64) -> String {
    format!("crm-live-call-{id}")
}

#[component]
fn SessionPrompt(expired: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || expired.get()>
            <div class="panel notice" role="alert" data-testid="session-expired">
                <p>
                    "Your session has ended. The call on screen is kept: "
                    <a href="/login" target="_blank" rel="opener">
                        "sign in again in a new tab"
                    </a> ", then " <button type="button" on:click=move |_| expired.set(false)>
                        "continue here"
                    </button> "."
                </p>
            </div>
        </Show>
    }
}

#[component]
fn AgentStatus(console: Console, loaded: RwSignal<bool>) -> impl IntoView {
    let status = move || match console.current.get() {
        Some(c) if c.state.is_live() => "On call",
        Some(_) => "Wrap-up",
        None if console.busy_elsewhere.get() => "On call in another console tab",
        None if console.away.get() => "Away",
        None => "Available",
    };
    view! {
        <section class="panel console-status" aria-label="Agent status">
            <p>
                "Status: " <strong data-testid="agent-status">{status}</strong> " · Phone: "
                {ManualPhone.name()} <span hidden=move || !loaded.get() data-testid="console-ready">
                    " · ready"
                </span>
            </p>
            <label>
                <input
                    type="checkbox"
                    prop:checked=move || console.away.get()
                    on:change=move |ev| console.away.set(event_target_checked(&ev))
                />
                " Away (click-to-call requests are declined)"
            </label>
        </section>
    }
}

#[component]
fn CurrentCall(console: Console) -> impl IntoView {
    let phone = ManualPhone;
    let elapsed = move |call: &Call| {
        let since = call
            .answered_at
            .unwrap_or(call.started_at)
            .timestamp_millis() as f64;
        clock(((console.now_ms.get() - since) / 1000.0) as i64)
    };
    move || {
        let call = console.current.get().filter(|c| c.state.is_live())?;
        let related = match (call.deal_id, call.contact_id) {
            (Some(id), _) => Some((
                format!("/deals/{id}"),
                call.deal_title.clone().unwrap_or_default(),
            )),
            (None, Some(id)) => Some((
                format!("/contacts/{id}"),
                call.contact_name.clone().unwrap_or_default(),
            )),
            _ => call
                .company_id
                .map(|id| (format!("/companies/{id}"), "Company".to_string())),
        };
        let answered = call.answered_at.is_some();
        // An unknown caller: offer to file them as a contact (the form opens prefilled).
        let unknown_caller =
            (call.direction == "inbound" && call.contact_id.is_none()).then(|| {
                format!(
                    "/contacts?phone={}",
                    call.their_number().replace('+', "%2B")
                )
            });
        let timer = {
            let call = call.clone();
            move || elapsed(&call)
        };
        Some(view! {
            <section
                class="panel current-call"
                aria-label="Current call"
                data-testid="current-call"
            >
                <h2>{if call.direction == "inbound" { "Incoming call" } else { "Calling" }}</h2>
                <p class="call-number" data-testid="call-number">
                    {call.their_number().to_string()}
                </p>
                {related
                    .map(|(href, name)| {
                        view! {
                            <p>
                                "About " <a href=href data-testid="call-related">
                                    {name}
                                </a>
                            </p>
                        }
                    })}
                {unknown_caller
                    .map(|href| {
                        view! {
                            <p>
                                "Unknown number · "
                                <a href=href target="_blank" data-testid="create-caller">
                                    "Create a contact"
                                </a>
                            </p>
                        }
                    })}
                <p>
                    "State: " <span data-testid="call-state">{call.state.as_str()}</span> " · "
                    <span class="call-timer" data-testid="call-timer">
                        {timer}
                    </span>
                </p>
                {phone
                    .is_manual()
                    .then(|| {
                        view! {
                            <p class="muted">
                                "Dial the number on your desk phone, then record what happens:"
                            </p>
                        }
                    })}
                <div class="call-actions">
                    {(!answered)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button"
                                    on:click=move |_| console.phone_event(PhoneEvent::Answered)
                                >
                                    "Answered"
                                </button>
                                <button
                                    type="button"
                                    class="button"
                                    on:click=move |_| console.phone_event(PhoneEvent::Failed)
                                >
                                    "No answer"
                                </button>
                            }
                        })}
                    <button
                        type="button"
                        class="button danger"
                        on:click=move |_| {
                            phone.hang_up();
                            console.phone_event(PhoneEvent::Ended)
                        }
                    >
                        "Hang up"
                    </button>
                    {phone.supports_mute().then(|| view! { <button type="button">"Mute"</button> })}
                    {phone.supports_hold().then(|| view! { <button type="button">"Hold"</button> })}
                </div>
            </section>
        })
    }
}

#[component]
fn DialByHand(console: Console) -> impl IntoView {
    let number = RwSignal::new(String::new());
    let inbound = RwSignal::new(false);
    view! {
        <section
            class="panel"
            aria-labelledby="dial-title"
            hidden=move || console.current.get().is_some()
        >
            <h2 id="dial-title">"Dial or log a call"</h2>
            <form
                class="inline-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    if console.busy() {
                        return;
                    }
                    console
                        .start(StartCallForm {
                            number: number.get_untracked(),
                            direction: if inbound.get_untracked() { "inbound" } else { "outbound" }
                                .into(),
                            ..StartCallForm::default()
                        });
                }
            >
                <label for="dial-number">"Number"</label>
                <input
                    id="dial-number"
                    type="tel"
                    autocomplete="off"
                    prop:value=move || number.get()
                    on:input=move |ev| number.set(event_target_value(&ev))
                />
                <label>
                    <input
                        type="checkbox"
                        on:change=move |ev| inbound.set(event_target_checked(&ev))
                    />
                    " Incoming"
                </label>
                <button type="submit" class="button">
                    "Call"
                </button>
            </form>
        </section>
    }
}
