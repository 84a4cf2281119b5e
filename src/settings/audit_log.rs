//! The audit log viewer (`audit.view`): newest first, filtered by action (or a prefix such as
//! `deal.`), user and entity type, one page at a time with "Older entries".

use crate::{
    audit::{server_fns::list_audit, AuditFilter, AuditRecord},
    users::server_fns::list_users,
};
use leptos::prelude::*;
use serde_json::Value;

const PAGE: u32 = 50;

/// The entity types the application writes audit rows for.
const ENTITY_TYPES: [&str; 12] = [
    "api_token",
    "company",
    "contact",
    "deal",
    "disposition",
    "pipeline",
    "role_permission",
    "stage",
    "task",
    "team",
    "tenant",
    "user",
];

/// A value short enough for a table cell.
fn short(value: &Value) -> String {
    let text = match value {
        Value::Null => "—".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text
    }
}

/// `{field: [old, new]}` as `field: old → new`, other context as `key: value`.
fn summary(changes: &Value) -> String {
    let Value::Object(map) = changes else {
        return String::new();
    };
    map.iter()
        .map(|(key, value)| match value {
            Value::Array(pair) if pair.len() == 2 => {
                format!("{key}: {} → {}", short(&pair[0]), short(&pair[1]))
            }
            other => format!("{key}: {}", short(other)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
pub fn AuditLogSection() -> impl IntoView {
    let action = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let entity = RwSignal::new(String::new());
    let applied = RwSignal::new(AuditFilter::default());
    let before = RwSignal::new(None::<i64>);
    let rows = Resource::new(
        move || (applied.get(), before.get()),
        |(filter, before_id)| {
            list_audit(AuditFilter {
                before_id,
                limit: Some(PAGE),
                ..filter
            })
        },
    );
    let users = Resource::new(|| (), |_| list_users());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty())
        };
        applied.set(AuditFilter {
            action: text(action),
            actor_id: text(actor).and_then(|id| id.parse().ok()),
            entity_type: text(entity),
            ..AuditFilter::default()
        });
        before.set(None);
    };
    view! {
        <section class="panel" aria-labelledby="audit-title" data-testid="audit-log">
            <h2 id="audit-title">"Audit log"</h2>
            <form class="inline-form" on:submit=apply data-testid="audit-filters">
                <label>
                    "Action "
                    <input
                        name="action"
                        placeholder="deal. or deal.moved"
                        on:input=move |ev| action.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "User "
                    <select name="actor_id" on:change=move |ev| actor.set(event_target_value(&ev))>
                        <option value="">"Anyone"</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                users
                                    .await
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|u| {
                                        view! { <option value=u.id.to_string()>{u.name}</option> }
                                    })
                                    .collect_view()
                            })}
                        </Transition>
                    </select>
                </label>
                <label>
                    "Entity "
                    <select
                        name="entity_type"
                        on:change=move |ev| entity.set(event_target_value(&ev))
                    >
                        <option value="">"Any"</option>
                        {ENTITY_TYPES
                            .into_iter()
                            .map(|t| view! { <option value=t>{t}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit" class="button small">
                    "Filter"
                </button>
            </form>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading the audit log…"</p> }
            }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <AuditTable rows before /> }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditRecord>, before: RwSignal<Option<i64>>) -> impl IntoView {
    let oldest = rows
        .last()
        .map(|r| r.id)
        .filter(|_| rows.len() == PAGE as usize);
    if rows.is_empty() {
        return view! {
            <p class="muted" data-testid="audit-empty">
                "No entries."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table" data-testid="audit-table">
                <thead>
                    <tr>
                        <th>"When (UTC)"</th>
                        <th>"Who"</th>
                        <th>"Action"</th>
                        <th>"Entity"</th>
                        <th>"Changes"</th>
                        <th>"IP"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr data-testid="audit-row" data-action=r.action.clone()>
                                    <td>{r.at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                    <td>{r.actor_name.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>
                                        <code>{r.action.clone()}</code>
                                    </td>
                                    <td>
                                        {match r.entity_id {
                                            Some(id) => format!("{} #{id}", r.entity_type),
                                            None => r.entity_type.clone(),
                                        }}
                                    </td>
                                    <td class="changes">{summary(&r.changes)}</td>
                                    <td>{r.ip.clone().unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="form-actions">
            {move || {
                before
                    .get()
                    .is_some()
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| before.set(None)
                            >
                                "Newest entries"
                            </button>
                        }
                    })
            }}
            {oldest
                .map(|id| {
                    view! {
                        <button
                            type="button"
                            class="button small"
                            data-testid="audit-older"
                            on:click=move |_| before.set(Some(id))
                        >
                            "Older entries"
                        </button>
                    }
                })}
        </p>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_read_as_old_to_new() {
        assert_eq!(summary(&json!({"name": [null, "Demo"]})), "name: — → Demo");
        assert_eq!(
            summary(&json!({"is_won": [false, true]})),
            "is_won: false → true"
        );
        assert_eq!(summary(&json!({"email": "x@y.z"})), "email: x@y.z");
        assert_eq!(summary(&json!({"a": 1, "b": 2})).matches("; ").count(), 1);
        assert_eq!(short(&json!("a".repeat(80))).chars().count(), 60);
    }
}
