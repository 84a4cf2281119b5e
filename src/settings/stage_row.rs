//! One stage in the pipeline editor: its fields and flags, a drag handle, Move up/Move down and
//! Delete. The drop target is the whole row: the dragged stage takes the row's place.

use super::reorder::{moved, stepped, OrderFields};
use crate::{
    deals::Stage,
    pipelines::server_fns::{DeleteStage, ReorderStages, UpdateStage},
};
use leptos::prelude::*;

/// The stage actions every row shares, and which stage is being dragged.
#[derive(Clone, Copy)]
pub struct StageActions {
    pub update: ServerAction<UpdateStage>,
    pub delete: ServerAction<DeleteStage>,
    pub reorder: ServerAction<ReorderStages>,
    dragging: RwSignal<Option<i64>>,
}

impl StageActions {
    pub fn new() -> Self {
        Self {
            update: ServerAction::new(),
            delete: ServerAction::new(),
            reorder: ServerAction::new(),
            dragging: RwSignal::new(None),
        }
    }

    /// Changes whenever one of the actions finished: the pipelines list refetches on it.
    pub fn versions(&self) -> (usize, usize, usize) {
        (
            self.update.version().get(),
            self.delete.version().get(),
            self.reorder.version().get(),
        )
    }
}

/// Draws the new order at once and saves it.
fn save_order(actions: StageActions, stages: RwSignal<Vec<Stage>>, order: Vec<i64>) {
    let Some(pipeline_id) = stages.with_untracked(|s| s.first().map(|s| s.pipeline_id)) else {
        return;
    };
    stages.update(|list| list.sort_by_key(|s| order.iter().position(|&id| id == s.id)));
    actions.reorder.dispatch(ReorderStages {
        pipeline_id,
        stage_ids: order,
    });
}

#[component]
pub fn StageRow(
    stage: Stage,
    index: usize,
    ids: Vec<i64>,
    stages: RwSignal<Vec<Stage>>,
    actions: StageActions,
) -> impl IntoView {
    let id = stage.id;
    let name = stage.name.clone();
    let on_drop = {
        let ids = ids.clone();
        move |ev: leptos::ev::DragEvent| {
            ev.prevent_default();
            let dragged = actions.dragging.get_untracked();
            actions.dragging.set(None);
            if let Some(dragged) = dragged.filter(|d| *d != id) {
                save_order(actions, stages, moved(&ids, dragged, index));
            }
        }
    };
    let step_button = |step: isize, label: &'static str| {
        let order = stepped(&ids, id, step);
        let disabled = order.is_none();
        let order = order.unwrap_or_default();
        let aria = format!("{label} {}", stage.name);
        let pipeline_id = stage.pipeline_id;
        view! {
            <ActionForm action=actions.reorder attr:class="inline">
                <input type="hidden" name="pipeline_id" value=pipeline_id />
                <OrderFields name="stage_ids" order />
                <button type="submit" class="link-button" disabled=disabled aria-label=aria>
                    {label}
                </button>
            </ActionForm>
        }
    };
    let flag = |field: &'static str, label: &'static str, on: bool| {
        view! {
            <label class="check">
                <input type="checkbox" name=format!("form[{field}]") value="true" checked=on />
                {label}
            </label>
        }
    };
    let (row_name, colour_label, delete_label) = (
        name.clone(),
        format!("Colour of {name}"),
        format!("Delete {name}"),
    );
    let color = stage.color.clone();
    view! {
        <li
            class="stage-row"
            data-testid="stage-row"
            data-stage-name=row_name
            data-stage-id=id
            on:dragover=move |ev| ev.prevent_default()
            on:drop=on_drop
        >
            <span
                class="drag-handle"
                draggable="true"
                title="Drag to reorder"
                data-testid="drag-handle"
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
                <input name="form[name]" value=name required aria-label="Stage name" />
                <input type="color" name="form[color]" value=color aria-label=colour_label />
                <label>
                    "Probability % "
                    <input
                        type="number"
                        name="form[probability]"
                        min="0"
                        max="100"
                        class="narrow"
                        value=stage.probability
                    />
                </label>
                {flag("is_default", "New deals start here", stage.is_default)}
                {flag("is_won", "Won", stage.is_won)}
                {flag("is_lost", "Lost", stage.is_lost)}
                {flag("requires_note", "Needs a note", stage.requires_note)}
                {flag(
                    "requires_followup_date",
                    "Needs a follow-up date",
                    stage.requires_followup_date,
                )}
                <button type="submit" class="button small">
                    "Save"
                </button>
            </ActionForm>
            {step_button(-1, "Move up")}
            {step_button(1, "Move down")}
            <ActionForm action=actions.delete attr:class="inline">
                <input type="hidden" name="id" value=id />
                <button type="submit" class="link-button danger" aria-label=delete_label>
                    "Delete"
                </button>
            </ActionForm>
        </li>
    }
}
