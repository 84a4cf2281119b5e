//! `/console`: the agent console, kept open in its own tab. It answers click-to-call requests
//! from the other CRM tabs of the browser, drives the phone, forces a wrap-up after each call,
//! and survives a session expiry without losing the call on screen.

use super::{
    bus,
    channel::PhoneMessage,
    console_call::{CurrentCall, DialByHand},
    console_context::{live_lock_name, Console},
    server_fns::load_console,
    softphone::{ManualPhone, Softphone},
    state::CallEvent,
    wrap_up::WrapUpDialog,
    Call,
};
use crate::auth::pages::Auth;
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use std::time::Duration;

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
