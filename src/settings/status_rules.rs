//! Contact status rules (`settings.manage`): the thresholds the nightly job reads when it sets
//! each contact's New / Active / Hot / Inactive / Cold.

use crate::{
    contacts::server_fns::{load_status_rules, UpdateStatusRules},
    ui::record_page::{FormField, SaveFoot},
};
use leptos::prelude::*;

#[component]
pub fn StatusRulesSection() -> impl IntoView {
    let save = ServerAction::<UpdateStatusRules>::new();
    let current = Resource::new(|| (), |_| load_status_rules());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = move || {
        matches!(save.value().get(), Some(Ok(_)))
            .then_some("Saved: the next night's run uses them.")
    };
    view! {
        <section
            class="panel"
            aria-labelledby="status-rules-title"
            data-testid="settings-status-rules"
        >
            <h2 id="status-rules-title">"Contact status rules"</h2>
            <p class="hint">
                "Each night at 01:00 every contact becomes Hot (busy, or a likely deal), New (never contacted), Inactive or Cold (quiet for long), or else Active."
            </p>
            <Suspense fallback=|| {
                view! { <p class="muted">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match current.await {
                        Ok(rules) => {
                            view! {
                                <ActionForm action=save attr:class="edit-form" attr:novalidate=true>
                                    <FormField
                                        label="Hot: calls, emails or meetings at least"
                                        name="hot_min_communications"
                                        value=rules.hot_min_communications.to_string()
                                        error
                                        kind="number"
                                        prefix="status"
                                    />
                                    <FormField
                                        label="…within this many days"
                                        name="hot_window_days"
                                        value=rules.hot_window_days.to_string()
                                        error
                                        kind="number"
                                        prefix="status"
                                    />
                                    <FormField
                                        label="Hot: an open deal in a stage of at least (percent)"
                                        name="hot_min_probability"
                                        value=rules.hot_min_probability.to_string()
                                        error
                                        kind="number"
                                        prefix="status"
                                    />
                                    <FormField
                                        label="Inactive after this many days without contact"
                                        name="inactive_after_days"
                                        value=rules.inactive_after_days.to_string()
                                        error
                                        kind="number"
                                        prefix="status"
                                    />
                                    <FormField
                                        label="Cold after this many days without contact"
                                        name="cold_after_days"
                                        value=rules.cold_after_days.to_string()
                                        error
                                        kind="number"
                                        prefix="status"
                                    />
                                    <SaveFoot
                                        error
                                        pending=save.pending()
                                        saved=Signal::derive(saved)
                                        testid="status-rules"
                                    />
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
