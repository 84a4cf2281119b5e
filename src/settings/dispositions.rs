//! Call dispositions (`settings.manage`): add, rename, the requires-note flag, which one is the
//! default, the order agents see them in (drag or Move up/Move down), delete.

use super::reorder::{moved, stepped, OrderFields};
use crate::dispositions::{
    server_fns::{
        list_dispositions, CreateDisposition, DeleteDisposition, ReorderDispositions,
        SetDefaultDisposition, UpdateDisposition,
    },
    Disposition,
};
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateDisposition>,
    set_default: ServerAction<SetDefaultDisposition>,
    reorder: ServerAction<ReorderDispositions>,
    delete: ServerAction<DeleteDisposition>,
    dragging: RwSignal<Option<i64>>,
}

impl Actions {
    /// Draws the new order at once (in `shown`) and saves it.
    fn save_order(self, shown: RwSignal<Vec<Disposition>>, order: Vec<i64>) {
        shown.update(|list| list.sort_by_key(|d| order.iter().position(|&id| id == d.id)));
        self.reorder.dispatch(ReorderDispositions { ids: order });
    }
}

#[component]
pub fn DispositionsSection() -> impl IntoView {
    let create = ServerAction::<CreateDisposition>::new();
    let actions = Actions {
        update: ServerAction::new(),
        set_default: ServerAction::new(),
        reorder: ServerAction::new(),
        delete: ServerAction::new(),
        dragging: RwSignal::new(None),
    };
    let message = RwSignal::new(None::<String>);
    report_into!(
        message,
        create,
        actions.update,
        actions.set_default,
        actions.reorder,
        actions.delete
    );
    let list = Resource::new(
        move || {
            (
                create.version().get(),
                actions.update.version().get(),
                actions.set_default.version().get(),
                actions.reorder.version().get(),
                actions.delete.version().get(),
            )
        },
        |_| list_dispositions(),
    );
    view! {
        <section
            class="panel"
            aria-labelledby="dispositions-title"
            data-testid="dispositions-editor"
        >
            <h2 id="dispositions-title">"Call dispositions"</h2>
            <p class="hint">"Agents pick one when a call ends; the default is preselected."</p>
            <p class="error" role="alert" data-testid="dispositions-error">
                {move || message.get()}
            </p>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading dispositions…"</p> }
            }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(all) => view! { <DispositionList all actions /> }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=create attr:class="inline-form">
                <label>
                    "New disposition "
                    <input name="form[name]" required data-testid="new-disposition-name" />
                </label>
                <label class="check">
                    <input type="checkbox" name="form[requires_note]" value="true" />
                    "Needs a note"
                </label>
                <button type="submit" class="button small">
                    "Add disposition"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DispositionList(all: Vec<Disposition>, actions: Actions) -> impl IntoView {
    // The order as drawn: a drop shows at once, then the refetch after the save confirms it.
    let shown = RwSignal::new(all);
    view! {
        <ol class="stage-list" data-testid="disposition-list">
            {move || {
                let all = shown.get();
                let ids: Vec<i64> = all.iter().map(|d| d.id).collect();
                all.into_iter()
                    .enumerate()
                    .map(|(index, d)| {
                        view! { <DispositionRow d index ids=ids.clone() shown actions /> }
                    })
                    .collect_view()
            }}
        </ol>
    }
}

#[component]
fn DispositionRow(
    d: Disposition,
    index: usize,
    ids: Vec<i64>,
    shown: RwSignal<Vec<Disposition>>,
    actions: Actions,
) -> impl IntoView {
    let id = d.id;
    let on_drop = {
        let ids = ids.clone();
        move |ev: leptos::ev::DragEvent| {
            ev.prevent_default();
            let dragged = actions.dragging.get_untracked();
            actions.dragging.set(None);
            if let Some(dragged) = dragged.filter(|x| *x != id) {
                actions.save_order(shown, moved(&ids, dragged, index));
            }
        }
    };
    let step_button = |step: isize, label: &'static str| {
        let order = stepped(&ids, id, step);
        let disabled = order.is_none();
        let order = order.unwrap_or_default();
        let aria = format!("{label} {}", d.name);
        view! {
            <ActionForm action=actions.reorder attr:class="inline">
                <OrderFields name="ids" order />
                <button type="submit" class="link-button" disabled=disabled aria-label=aria>
                    {label}
                </button>
            </ActionForm>
        }
    };
    let (row_name, field_name) = (d.name.clone(), d.name.clone());
    let default_label = format!("Make {} the default", d.name);
    let delete_label = format!("Delete {}", d.name);
    view! {
        <li
            class="stage-row"
            data-testid="disposition-row"
            data-name=row_name
            data-default=d.is_default.to_string()
            on:dragover=move |ev| ev.prevent_default()
            on:drop=on_drop
        >
            <span
                class="drag-handle"
                draggable="true"
                title="Drag to reorder"
                on:dragstart=move |ev| {
                    if let Some(transfer) = ev.data_transfer() {
                        let _ = transfer.set_data("text/plain", &id.to_string());
                    }
                    actions.dragging.set(Some(id));
                }
                on:dragend=move |_| actions.dragging.set(None)
            >
                "⠿"
            </span>
            <ActionForm action=actions.update attr:class="stage-form">
                <input type="hidden" name="id" value=id />
                <input name="form[name]" value=field_name required aria-label="Disposition name" />
                <label class="check">
                    <input
                        type="checkbox"
                        name="form[requires_note]"
                        value="true"
                        checked=d.requires_note
                    />
                    "Needs a note"
                </label>
                <button type="submit" class="button small">
                    "Save"
                </button>
            </ActionForm>
            {if d.is_default {
                view! {
                    <span class="badge" data-testid="default-badge">
                        "Default"
                    </span>
                }
                    .into_any()
            } else {
                view! {
                    <ActionForm action=actions.set_default attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="link-button" aria-label=default_label>
                            "Make default"
                        </button>
                    </ActionForm>
                }
                    .into_any()
            }}
            {step_button(-1, "Move up")}
            {step_button(1, "Move down")}
            <ActionForm action=actions.delete attr:class="inline">
                <input type="hidden" name="id" value=id />
                <button
                    type="submit"
                    class="link-button danger"
                    disabled=d.is_default
                    title=d.is_default.then_some("Make another disposition the default first")
                    aria-label=delete_label
                >
                    "Delete"
                </button>
            </ActionForm>
        </li>
    }
}
