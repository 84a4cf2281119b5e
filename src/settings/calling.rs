//! Calling (`settings.manage`): the default country that phone numbers without a `+country
//! code` are read in.

use crate::calls::server_fns::{load_default_country, SetDefaultCountry};
use leptos::prelude::*;

#[component]
pub fn CallingSection() -> impl IntoView {
    let save = ServerAction::<SetDefaultCountry>::new();
    let current = Resource::new(move || save.version().get(), |_| load_default_country());
    let message = move || match save.value().get() {
        Some(Ok(code)) => Some(format!("Saved: numbers are now read as dialled in {code}.")),
        Some(Err(e)) => Some(e.field("country").unwrap_or_else(|| e.to_string())),
        None => None,
    };
    view! {
        <section class="panel" aria-labelledby="calling-title" data-testid="settings-calling">
            <h2 id="calling-title">"Calling"</h2>
            <Suspense fallback=|| {
                view! { <p class="muted">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    let code = current.await.unwrap_or_default();
                    view! {
                        <ActionForm action=save attr:class="inline-form">
                            <label for="default-country">"Default country for phone numbers"</label>
                            <input
                                id="default-country"
                                name="country"
                                value=code
                                maxlength="2"
                                size="3"
                                autocomplete="off"
                                aria-describedby="default-country-help"
                            />
                            <button type="submit">"Save"</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <p id="default-country-help" class="muted">
                "Two letters (US, DE, GB…). Numbers typed without +country code are read as dialled there and stored in international form."
            </p>
            <p role="status" data-testid="calling-message">
                {message}
            </p>
        </section>
    }
}
