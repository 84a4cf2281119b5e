//! A phone number as a real click-to-call button. The agent console (BroadcastChannel) will
//! listen for these later; until then the button is a focusable control that does nothing else.

use leptos::prelude::*;

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

#[component]
pub fn ClickToCall(#[prop(into)] number: String) -> impl IntoView {
    let label = format!("Call {number}");
    let dial = dialable(&number);
    view! {
        <button type="button" class="call-button" data-number=dial aria-label=label>
            <span aria-hidden="true">"☎ "</span>
            {number}
        </button>
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
