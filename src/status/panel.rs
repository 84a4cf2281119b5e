//! The status panel: the database's kind, its schema version and when it was checked, with a
//! "Check again" button.

use super::load_installation_status;
use leptos::prelude::*;

#[component]
pub fn StatusPanel() -> impl IntoView {
    let status = Resource::new(|| (), |_| load_installation_status());
    let (checks, set_checks) = signal(0u32);

    let check_again = move |_| {
        set_checks.update(|n| *n += 1);
        status.refetch();
    };

    view! {
        <section class="panel" aria-labelledby="status-title">
            <h2 id="status-title">"Installation status"</h2>
            <Transition fallback=|| {
                view! { <p class="muted">"Asking the database…"</p> }
            }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => {
                            view! {
                                <dl class="facts" data-testid="status">
                                    <dt>"Database"</dt>
                                    <dd data-testid="backend">{s.backend}</dd>
                                    <dt>"Schema version"</dt>
                                    <dd data-testid="schema-version">{s.schema_version}</dd>
                                    <dt>"Checked at"</dt>
                                    <dd data-testid="checked-at">{s.checked_at}</dd>
                                </dl>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <p class="error" role="alert">
                                    {e.to_string()}
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
            <div class="actions">
                <button type="button" class="button" on:click=check_again data-testid="check-again">
                    "Check again"
                </button>
                <span class="muted" aria-live="polite" data-testid="check-count">
                    {move || match checks.get() {
                        0 => String::new(),
                        1 => "Checked once from this page.".to_string(),
                        n => format!("Checked {n} times from this page."),
                    }}
                </span>
            </div>
        </section>
    }
}
