//! The PBX token (`settings.manage`): the one credential the PBX posts call records with. Made
//! or rotated here, its secret shown once; the token before keeps working for a day so the PBX
//! can be switched over; "Revoke" ends them all now.

use crate::pbx::server_fns::{list_pbx_tokens, RevokePbxTokens, RotatePbxToken};
use crate::ui::error_text;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

fn when(at: Option<DateTime<Utc>>, none: &'static str) -> String {
    at.map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| none.to_string())
}

#[component]
pub fn PbxTokenSection() -> impl IntoView {
    let rotate = ServerAction::<RotatePbxToken>::new();
    let revoke = ServerAction::<RevokePbxTokens>::new();
    let tokens = Resource::new(
        move || (rotate.version().get(), revoke.version().get()),
        |_| list_pbx_tokens(),
    );
    // The secret just made, until a revoke ends it.
    let secret = RwSignal::new(None::<String>);
    Effect::new(move || {
        if let Some(Ok(made)) = rotate.value().get() {
            secret.set(Some(made.secret));
        }
    });
    Effect::new(move || {
        if let Some(Ok(_)) = revoke.value().get() {
            secret.set(None);
        }
    });
    view! {
        <section class="panel" aria-labelledby="pbx-token-title" data-testid="settings-pbx-token">
            <h2 id="pbx-token-title">"PBX webhook"</h2>
            <p class="hint">
                "The PBX posts call records (talk time, recording link) to "
                <code>"/api/v1/pbx/cdr"</code> " with " <code>"Authorization: Bearer pbx_…"</code>
                ". This token can do nothing else."
            </p>
            <Show when=move || secret.with(Option::is_some)>
                <div class="new-secret" role="status">
                    <p>
                        "The new PBX token. Copy it into the PBX now: it will not be shown again."
                    </p>
                    <code data-testid="new-pbx-token">{move || secret.get()}</code>
                </div>
            </Show>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="muted" data-testid="pbx-token-none">
                                    "No PBX token: call records are refused."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-scroll">
                                    <table class="table" data-testid="pbx-tokens">
                                        <thead>
                                            <tr>
                                                <th>"Token"</th>
                                                <th>"Created"</th>
                                                <th>"Works until"</th>
                                                <th>"Last used"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {list
                                                .into_iter()
                                                .map(|t| {
                                                    view! {
                                                        <tr>
                                                            <td>
                                                                <code>{format!("{}…", t.prefix)}</code>
                                                            </td>
                                                            <td>{when(Some(t.created_at), "")}</td>
                                                            <td>{when(t.expires_at, "revoked or replaced")}</td>
                                                            <td>{when(t.last_used_at, "never")}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <div class="inline-form">
                <ActionForm action=rotate attr:class="inline-form">
                    <button type="submit" class="button" data-testid="pbx-token-rotate">
                        "New PBX token"
                    </button>
                </ActionForm>
                <ActionForm action=revoke attr:class="inline-form">
                    <button type="submit" class="link-button" data-testid="pbx-token-revoke">
                        "Revoke all"
                    </button>
                </ActionForm>
            </div>
            <p class="muted">
                "A new token replaces the one before, which keeps working for 24 hours."
            </p>
            <p class="error" role="alert">
                {move || {
                    error_text(rotate.value().get()).or_else(|| error_text(revoke.value().get()))
                }}
            </p>
        </section>
    }
}
