//! The "API tokens" section of the account page: make a token (its secret shown once), see and
//! revoke the ones you have.

use super::{
    server_fns::{list_api_tokens, CreateApiToken, RevokeApiToken},
    LIFETIMES_DAYS,
};
use crate::ui::error_text;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

fn day(at: Option<DateTime<Utc>>, none: &'static str) -> String {
    at.map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| none.to_string())
}

#[component]
pub fn ApiTokensPanel() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_tokens(),
    );
    let secret = move || create.value().get().and_then(Result::ok).map(|t| t.secret);
    view! {
        <section class="panel" aria-labelledby="api-tokens-title">
            <h2 id="api-tokens-title">"API tokens"</h2>
            <p class="hint">
                "Integrations call the REST API at " <code>"/api/v1"</code> " with "
                <code>"Authorization: Bearer <token>"</code> ". A token can do what you can do. "
                <a href="/api/v1/openapi.json">"OpenAPI document"</a>
            </p>
            <Show when=move || secret().is_some()>
                <div class="new-secret" role="status">
                    <p>"Your new token. Copy it now: it will not be shown again."</p>
                    <code data-testid="new-token-secret">{secret}</code>
                </div>
            </Show>
            <ActionForm action=create attr:class="inline-form" attr:novalidate=true>
                <label for="token-name">"Name"</label>
                <input id="token-name" name="name" placeholder="e.g. Zapier" maxlength="100" />
                <label for="token-expiry">"Expires"</label>
                <select id="token-expiry" name="expires_in_days">
                    {LIFETIMES_DAYS
                        .into_iter()
                        .map(|days| match days {
                            Some(d) => {
                                view! {
                                    <option value=d.to_string() selected=d == 90>
                                        {format!("in {d} days")}
                                    </option>
                                }
                                    .into_any()
                            }
                            None => view! { <option value="">"never"</option> }.into_any(),
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button">
                    "Create token"
                </button>
            </ActionForm>
            <p class="error" role="alert">
                {move || {
                    error_text(create.value().get()).or_else(|| error_text(revoke.value().get()))
                }}
            </p>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading tokens…"</p> }
            }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="muted">"You have no API tokens."</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-scroll">
                                    <table class="table" data-testid="api-tokens">
                                        <thead>
                                            <tr>
                                                <th>"Name"</th>
                                                <th>"Token"</th>
                                                <th>"Created"</th>
                                                <th>"Expires"</th>
                                                <th>"Last used"</th>
                                                <th></th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {list
                                                .into_iter()
                                                .map(|t| {
                                                    view! {
                                                        <tr>
                                                            <td>{t.name.clone()}</td>
                                                            <td>
                                                                <code>{format!("{}…", t.prefix)}</code>
                                                            </td>
                                                            <td>{day(Some(t.created_at), "")}</td>
                                                            <td>{day(t.expires_at, "never")}</td>
                                                            <td>{day(t.last_used_at, "never")}</td>
                                                            <td>
                                                                <ActionForm action=revoke attr:class="inline-form">
                                                                    <input type="hidden" name="id" value=t.id />
                                                                    <button
                                                                        type="submit"
                                                                        class="link-button"
                                                                        aria-label=format!("Revoke {}", t.name)
                                                                    >
                                                                        "Revoke"
                                                                    </button>
                                                                </ActionForm>
                                                            </td>
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
        </section>
    }
}
