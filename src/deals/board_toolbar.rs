//! The board's filter bar: whose deals, and an amount range.

use super::{
    board::BoardContext,
    board_filter::{parse_amount, BoardFilter, OwnerFilter},
};
use crate::users::server_fns::list_users;
use leptos::prelude::*;

/// Whose deals: "Everyone" (all the user may see), "My team" (when the user has one), "Me".
/// Users who see only their own deals get no choice.
#[component]
pub(super) fn OwnerSelect(sees_others: bool) -> impl IntoView {
    let context = expect_context::<BoardContext>();
    let users = Resource::new(|| (), |_| list_users());
    let has_team = RwSignal::new(false);
    Effect::new(move || {
        let Some(Ok(users)) = users.get() else {
            return;
        };
        let my_team = users
            .iter()
            .find(|u| u.id == context.user_id)
            .and_then(|u| u.team_id);
        has_team.set(my_team.is_some());
        context.team.set(
            users
                .iter()
                .filter(|u| my_team.is_some() && u.team_id == my_team)
                .map(|u| u.id)
                .collect(),
        );
    });
    sees_others.then(|| {
        view! {
            <label>
                "Owner "
                <select
                    data-testid="owner-filter"
                    on:change=move |ev| {
                        context
                            .filter
                            .update(|f| f.owner = OwnerFilter::parse(&event_target_value(&ev)));
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
    let bound =
        move |ev: leptos::ev::Event, set: fn(&mut BoardFilter, Option<f64>)| match parse_amount(
            &event_target_value(&ev),
        ) {
            Ok(value) => {
                problem.set(None);
                context.filter.update(|f| set(f, value));
            }
            Err(message) => problem.set(Some(message)),
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
                on:input=move |ev| bound(ev, |f, v| f.min = v)
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
                on:input=move |ev| bound(ev, |f, v| f.max = v)
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
