//! Row selection on a list page and the bar that gives the selected rows to another owner.
//! The lists share it; each passes its own assign action.

use crate::{error::AppError, ui::error_text, users::server_fns::list_users};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The ids ticked on the current page.
#[derive(Clone, Copy)]
pub struct Selection(RwSignal<BTreeSet<i64>>);

impl Selection {
    pub fn new() -> Self {
        Selection(RwSignal::new(BTreeSet::new()))
    }

    pub fn contains(&self, id: i64) -> bool {
        self.0.with(|s| s.contains(&id))
    }

    pub fn set(&self, id: i64, on: bool) {
        self.0.update(|s| {
            if on {
                s.insert(id);
            } else {
                s.remove(&id);
            }
        });
    }

    pub fn set_all(&self, ids: &[i64], on: bool) {
        for id in ids {
            self.set(*id, on);
        }
    }

    pub fn ids(&self) -> Vec<i64> {
        self.0.with(|s| s.iter().copied().collect())
    }

    pub fn len(&self) -> usize {
        self.0.with(BTreeSet::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&self) {
        self.0.set(BTreeSet::new());
    }
}

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}

/// The (ids, new owner) → records assigned action a list hands to the bar.
pub type AssignAction = Action<(Vec<i64>, i64), Result<usize, AppError>>;

#[component]
pub fn RowCheckbox(selection: Selection, id: i64, label: String) -> impl IntoView {
    view! {
        <input
            type="checkbox"
            class="row-select"
            aria-label=format!("Select {label}")
            prop:checked=move || selection.contains(id)
            on:change=move |ev| selection.set(id, event_target_checked(&ev))
        />
    }
}

/// Ticks or clears every row of the page shown.
#[component]
pub fn SelectAllCheckbox(selection: Selection, ids: Vec<i64>) -> impl IntoView {
    let page = StoredValue::new(ids);
    let all = move || {
        page.with_value(|ids| !ids.is_empty() && ids.iter().all(|id| selection.contains(*id)))
    };
    view! {
        <input
            type="checkbox"
            aria-label="Select every row on this page"
            data-testid="select-all"
            prop:checked=all
            on:change=move |ev| {
                page.with_value(|ids| selection.set_all(ids, event_target_checked(&ev)))
            }
        />
    }
}

/// "3 selected · Assign to [owner] [Assign]". Owners are the active users the actor can see;
/// the server still decides whom the actor may assign to.
#[component]
pub fn BulkAssignBar(
    selection: Selection,
    noun: &'static str,
    assign: AssignAction,
) -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    let owner = RwSignal::new(None::<i64>);
    let assigned_to = RwSignal::new(String::new());
    Effect::new(move || {
        if let Some(Ok(_)) = assign.value().get() {
            selection.clear();
        }
    });
    let outcome = move || match assign.value().get() {
        Some(Ok(count)) => Some(
            view! {
                <p class="success" role="status" data-testid="bulk-result">
                    {format!("Assigned {count} {noun} to {}.", assigned_to.get_untracked())}
                </p>
            }
            .into_any(),
        ),
        failed @ Some(Err(_)) => Some(
            view! {
                <p class="error" role="alert" data-testid="bulk-error">
                    {error_text(failed)}
                </p>
            }
            .into_any(),
        ),
        None => None,
    };
    view! {
        <div class="bulk-bar" role="group" aria-label="Bulk actions" data-testid="bulk-bar">
            <span aria-live="polite" data-testid="selected-count">
                {move || format!("{} selected", selection.len())}
            </span>
            <Suspense>
                {move || Suspend::new(async move {
                    let users: Vec<_> = users
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|u| u.is_active)
                        .collect();
                    let names = StoredValue::new(
                        users.iter().map(|u| (u.id, u.name.clone())).collect::<Vec<_>>(),
                    );
                    view! {
                        <label>
                            "Assign to "
                            <select
                                data-testid="bulk-owner"
                                on:change=move |ev| {
                                    let id = event_target_value(&ev).parse().ok();
                                    owner.set(id);
                                }
                            >
                                <option value="">"Choose an owner…"</option>
                                {users
                                    .into_iter()
                                    .map(|u| view! { <option value=u.id>{u.name}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                        <button
                            type="button"
                            class="button small"
                            data-testid="bulk-assign"
                            disabled=move || {
                                selection.is_empty() || owner.get().is_none()
                                    || assign.pending().get()
                            }
                            on:click=move |_| {
                                if let Some(owner_id) = owner.get_untracked() {
                                    let name = names
                                        .with_value(|n| {
                                            n.iter()
                                                .find(|(id, _)| *id == owner_id)
                                                .map(|(_, name)| name.clone())
                                        });
                                    assigned_to.set(name.unwrap_or_default());
                                    assign.dispatch((selection.ids(), owner_id));
                                }
                            }
                        >
                            "Assign"
                        </button>
                    }
                })}
            </Suspense>
            {outcome}
        </div>
    }
}
