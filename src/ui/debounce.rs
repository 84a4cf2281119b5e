//! Search-as-you-type without a request per keystroke.

use leptos::{ev::Event, prelude::*};
use std::time::Duration;

/// How long typing must pause before a list asks the server again.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(300);

/// An `on:input` handler that calls `apply` with the input's value once typing has paused for
/// `delay`. Only the last keystroke's timer applies: each input bumps a generation counter.
pub fn debounced_input(
    delay: Duration,
    apply: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl Fn(Event) + Copy + 'static {
    let generation = StoredValue::new(0_u64);
    move |ev: Event| {
        let typed = event_target_value(&ev);
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        set_timeout(
            move || {
                if generation.get_value() == mine {
                    apply(typed);
                }
            },
            delay,
        );
    }
}
