//! The board's filter bar: a search, whose deals, an amount range, and how far back the won and
//! lost columns reach. Each change asks the server for the board again.

use super::{
    board::BoardContext,
    board_filter::{parse_amount_bound, BoardFilter, BoardOwner, ClosedWindow},
};
use crate::users::server_fns::list_users;
use leptos::prelude::*;
use std::time::Duration;

/// Typing pauses this long before the board is fetched again, so a word is one request.
const TYPING_PAUSE: Duration = Duration::from_millis(250);

/// Runs `then` once typing has paused, dropping what an earlier keystroke had planned.
fn after_typing(pending: StoredValue<Option<TimeoutHandle>>, then: impl FnOnce() + 'static) {
    if let Some(handle) = pending.get_value() {
        handle.clear();
    }
    pending.set_value(set_timeout_with_handle(then, TYPING_PAUSE).ok());
}

#[component]
pub(super) fn SearchBox() -> impl IntoView {
    let context = expect_context::<BoardContext>();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let search =
        move |text: String| after_typing(pending, move || context.set_filter(|f| f.q = text));
    view! {
        <label class="visually-hidden" for="board-search">
            "Search deals"
        </label>
        <input
            id="board-search"
            type="search"
            placeholder="Search deals"
            on:input=move |ev| search(event_target_value(&ev))
        />
    }
}

/// Whose deals: "Everyone" (all the user may see), "My team" (when the user has one), "Me".
/// Users who see only their own deals get no choice.
#[component]
pub(super) fn OwnerSelect(sees_others: bool) -> impl IntoView {
    let context = expect_context::<BoardContext>();
    let users = Resource::new(|| (), |_| list_users());
    // Set in the browser only, so the server's HTML and the hydrated select agree.
    let has_team = RwSignal::new(false);
    Effect::new(move || {
        if let Some(Ok(users)) = users.get() {
            let me = users.iter().find(|u| u.id == context.user_id);
            has_team.set(me.is_some_and(|me| me.team_id.is_some()));
        }
    });
    sees_others.then(|| {
        view! {
            <label>
                "Owner "
                <select
                    data-testid="owner-filter"
                    on:change=move |ev| {
                        let owner = BoardOwner::parse(&event_target_value(&ev))
                            .unwrap_or(BoardOwner::Everyone);
                        context.set_filter(|f| f.owner = Some(owner.into()));
                    }
                >
                    <option value="everyone">"Everyone"</option>
                    {move || {
                        has_team.get().then(|| view! { <option value="team">"My team"</option> })
                    }}
                    <option value="me">"Me"</option>
                </select>
            </label>
        }
    })
}

/// From / to amount boxes; a typo is named under the box and the bound is ignored meanwhile.
#[component]
pub(super) fn AmountRange() -> impl IntoView {
    let context = expect_context::<BoardContext>();
    let problem = RwSignal::new(None::<&'static str>);
    let (min_typed, max_typed) = (StoredValue::new(None), StoredValue::new(None));
    let bound = move |ev: leptos::ev::Event,
                      pending: StoredValue<Option<TimeoutHandle>>,
                      set: fn(&mut BoardFilter, Option<f64>)| {
        match parse_amount_bound(&event_target_value(&ev)) {
            Ok(value) => {
                problem.set(None);
                after_typing(pending, move || context.set_filter(|f| set(f, value)));
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    view! {
        <label>
            "Amount from "
            <input
                type="text"
                inputmode="decimal"
                class="amount-input"
                data-testid="amount-min"
                aria-invalid=move || problem.get().is_some().to_string()
                on:input=move |ev| bound(ev, min_typed, |f, v| f.min = v)
            />
        </label>
        <label>
            " to "
            <input
                type="text"
                inputmode="decimal"
                class="amount-input"
                data-testid="amount-max"
                aria-invalid=move || problem.get().is_some().to_string()
                on:input=move |ev| bound(ev, max_typed, |f, v| f.max = v)
            />
        </label>
        {move || {
            problem
                .get()
                .map(|message| {
                    view! {
                        <span class="error" role="alert">
                            {message}
                        </span>
                    }
                })
        }}
    }
}

/// How far back the won and lost columns reach (the last 30 days at first).
#[component]
pub(super) fn ClosedWindowSelect() -> impl IntoView {
    let context = expect_context::<BoardContext>();
    view! {
        <label>
            "Won and lost: "
            <select
                data-testid="closed-window"
                on:change=move |ev| {
                    let window = ClosedWindow::parse(&event_target_value(&ev))
                        .unwrap_or(ClosedWindow::Month);
                    context.set_filter(|f| f.closed = Some(window.into()));
                }
            >
                {ClosedWindow::ALL
                    .into_iter()
                    .map(|w| view! { <option value=w.as_str()>{w.label()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
