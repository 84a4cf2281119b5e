//! The console's call panel: the call on screen with its controls, and dialling by hand.

use super::{
    console_context::Console,
    softphone::{ManualPhone, PhoneEvent, Softphone},
    Call, StartCallForm,
};
use crate::ui::format::clock;
use leptos::prelude::*;

#[component]
pub(super) fn CurrentCall(console: Console) -> impl IntoView {
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
pub(super) fn DialByHand(console: Console) -> impl IntoView {
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
