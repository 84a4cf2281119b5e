//! "Your preferences" on the account page: the timezone your task list counts days in (blank:
//! the company's) and your language.

use super::{
    server_fns::{load_my_preferences, UpdateMyPreferences},
    LANGUAGES,
};
use crate::ui::record_page::{form_message, FormField};
use leptos::prelude::*;

#[component]
pub fn PreferencesPanel() -> impl IntoView {
    let save = ServerAction::<UpdateMyPreferences>::new();
    let current = Resource::new(|| (), |_| load_my_preferences());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = move || matches!(save.value().get(), Some(Ok(_))).then_some("Saved.");
    let locale_message = move || error.get().and_then(|e| e.field("locale"));
    view! {
        <section class="auth-card" data-testid="preferences">
            <h2>"Your preferences"</h2>
            <Suspense fallback=|| {
                view! { <p class="muted">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match current.await {
                        Ok(prefs) => {
                            let locale = prefs.locale.clone();
                            view! {
                                <ActionForm action=save attr:novalidate=true>
                                    <FormField
                                        label="Timezone (IANA name; blank: the company's)"
                                        name="timezone"
                                        value=prefs.timezone.unwrap_or_default()
                                        error
                                        prefix="prefs"
                                    />
                                    <div class="field">
                                        <label for="prefs-locale">"Language"</label>
                                        <select id="prefs-locale" name="form[locale]">
                                            {LANGUAGES
                                                .iter()
                                                .map(|(code, label)| {
                                                    view! {
                                                        <option value=*code selected=*code == locale>
                                                            {*label}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <p class="hint">
                                            "Pages are in English until they are translated."
                                        </p>
                                        <p class="field-error">{locale_message}</p>
                                    </div>
                                    <p class="error" role="alert">
                                        {form_message(error)}
                                    </p>
                                    <p
                                        class="success"
                                        role="status"
                                        data-testid="preferences-saved"
                                    >
                                        {saved}
                                    </p>
                                    <button
                                        type="submit"
                                        class="button"
                                        disabled=move || save.pending().get()
                                    >
                                        "Save preferences"
                                    </button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
