//! A board column (one stage) and its cards: drop targets, keyboard moves, "show more", and the
//! quick-add form.

use super::{
    board::BoardContext,
    board_state::{initials, is_closed, step_target, totals, Step, Target},
    server_fns::create_deal,
    Deal, DealForm, Stage,
};
use crate::{
    calls::channel::RelatedType,
    ui::{bulk_assign::RowCheckbox, ClickToCall},
    validation::money::format_money,
};
use chrono::Utc;
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn Column(stage: Stage) -> impl IntoView {
    let context = expect_context::<BoardContext>();
    let stage_id = stage.id;
    let closed = is_closed(&stage);
    let column_stage = stage.clone();
    let deals = Memo::new(move |_| context.state().column(&column_stage));
    let meta = Memo::new(move |_| context.state().meta(stage_id));
    let more_button = NodeRef::<leptos::html::Button>::new();
    load_when_scrolled_to(more_button, move || context.load_more(stage_id));
    let drop_at_bottom = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(deal) = context
            .dragging
            .get_untracked()
            .and_then(|id| context.find(id))
        {
            context.dragging.set(None);
            context.request_move(
                deal,
                Target {
                    stage_id,
                    position: None,
                },
            );
        }
    };
    let kind = if stage.is_won {
        "board-column won"
    } else if stage.is_lost {
        "board-column lost"
    } else {
        "board-column"
    };
    view! {
        <section
            class=kind
            data-testid="board-column"
            data-stage=stage.name.clone()
            aria-label=stage.name.clone()
            on:dragover=move |ev| ev.prevent_default()
            on:drop=drop_at_bottom
        >
            <header class="column-header" style=format!("border-top-color: {}", stage.color)>
                <h2>{stage.name.clone()}</h2>
                <span class="column-count" data-testid="column-count">
                    {move || meta.with(|m| m.count)}
                </span>
                <p class="column-total" data-testid="column-total">
                    {move || meta.with(|m| totals(&m.totals))}
                </p>
            </header>
            <ol class="cards">
                <For
                    each=move || deals.get()
                    // By id alone: a card keeps its element (and focus) while the server confirms.
                    key=|d| d.id
                    let:deal
                >
                    <Card deal closed />
                </For>
            </ol>
            {move || {
                let left = meta.with(|m| m.next_cursor.is_some().then_some(m.count))?;
                let left = (left - deals.with(Vec::len) as i64).max(0);
                let loading = context.loading.with(|ids| ids.contains(&stage_id));
                Some(
                    view! {
                        <button
                            type="button"
                            class="link-button show-more"
                            node_ref=more_button
                            disabled=loading
                            on:click=move |_| context.load_more(stage_id)
                        >
                            {if loading {
                                "Loading…".to_string()
                            } else {
                                format!("Show more ({left} not shown)")
                            }}
                        </button>
                    },
                )
            }}
            {context.can_move.then(|| view! { <QuickAdd stage=stage.clone() /> })}
        </section>
    }
}

/// Loads the column's next page when its "Show more" button comes within a screen of view, so
/// scrolling down a column keeps it filled.
fn load_when_scrolled_to(button: NodeRef<leptos::html::Button>, load: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let listener = window_event_listener(leptos::ev::scroll, move |_| {
            let Some(button) = button.get_untracked() else {
                return;
            };
            let viewport = window()
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(0.0);
            if button.get_bounding_client_rect().top() < viewport * 2.0 {
                load();
            }
        });
        on_cleanup(move || listener.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (button, load);
}

#[component]
fn Card(deal: Deal, closed: bool) -> impl IntoView {
    let context = expect_context::<BoardContext>();
    let id = deal.id;
    let days = (Utc::now() - deal.stage_entered_at).num_days();
    let keyboard = move |ev: leptos::ev::KeyboardEvent| {
        if !context.can_move || !ev.shift_key() {
            return;
        }
        let step = match ev.key().as_str() {
            "ArrowLeft" => Step::PreviousStage,
            "ArrowRight" => Step::NextStage,
            "ArrowUp" => Step::Up,
            "ArrowDown" => Step::Down,
            _ => return,
        };
        ev.prevent_default();
        let Some(deal) = context.find(id) else {
            return;
        };
        let stages = context.stages.get_value();
        if let Some(target) = step_target(&stages, &context.state(), &deal, step) {
            context.request_move(deal, target);
            refocus(id);
        }
    };
    let drop_above = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        ev.stop_propagation();
        let dragged = context.dragging.get_untracked();
        context.dragging.set(None);
        let here = context.find(id);
        let dragged = dragged.filter(|d| *d != id).and_then(|d| context.find(d));
        if let (Some(here), Some(deal)) = (here, dragged) {
            // Won and lost columns run by closing date: a drop anywhere in one is a drop on it.
            let target = Target {
                stage_id: here.stage_id,
                position: (!closed).then_some(here.position),
            };
            context.request_move(deal, target);
        }
    };
    view! {
        <li
            class="deal-card"
            tabindex="0"
            data-testid="deal-card"
            data-deal-id=id
            draggable=context.can_move.then_some("true")
            aria-describedby=context.can_move.then_some("board-keys")
            on:dragstart=move |ev| {
                if let Some(transfer) = ev.data_transfer() {
                    let _ = transfer.set_data("text/plain", &id.to_string());
                }
                context.dragging.set(Some(id));
            }
            on:dragend=move |_| context.dragging.set(None)
            on:dragover=move |ev| ev.prevent_default()
            on:drop=drop_above
            on:keydown=keyboard
        >
            {context
                .selection
                .map(|selection| {
                    view! { <RowCheckbox selection id label=deal.title.clone() /> }
                })}
            <a class="deal-title" href=format!("/deals/{id}")>
                {deal.title.clone()}
            </a>
            <Show when=move || context.unsaved.with(|ids| ids.contains(&id))>
                <span class="deal-saving" data-testid="deal-saving">
                    "Saving…"
                </span>
            </Show>
            <p class="deal-party">
                {[deal.company_name.clone(), deal.contact_name.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ")}
            </p>
            {deal
                .contact_phone
                .clone()
                .map(|number| {
                    view! {
                        <p class="deal-phone">
                            <ClickToCall number related_type=RelatedType::Deal related_id=id />
                        </p>
                    }
                })}
            <p class="deal-meta">
                <strong>{format_money(deal.amount_minor, &deal.currency)}</strong>
                {deal
                    .owner_name
                    .clone()
                    .map(|name| {
                        view! {
                            <span
                                class="avatar"
                                title=name.clone()
                                aria-label=format!("Owner {name}")
                            >
                                {initials(&name)}
                            </span>
                        }
                    })}
            </p>
            <p class="deal-meta muted">
                <span>{format!("{days} d in stage")}</span>
                {deal
                    .next_task_due_at
                    .map(|due| {
                        view! { <span>{format!("Next task {}", due.format("%b %d"))}</span> }
                    })}
            </p>
        </li>
    }
    // Erased: the card's full view type, nested in the column's, overflows rustc's query depth in
    // release builds (which type-check views unerased).
    .into_any()
}

/// Puts focus back on a card after a keyboard move re-drew it (once the re-render is done).
fn refocus(id: i64) {
    #[cfg(feature = "hydrate")]
    set_timeout(
        move || {
            use leptos::wasm_bindgen::JsCast;
            let card = document()
                .query_selector(&format!("[data-deal-id=\"{id}\"]"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(card) = card {
                let _ = card.focus();
            }
        },
        std::time::Duration::ZERO,
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[component]
fn QuickAdd(stage: Stage) -> impl IntoView {
    let context = expect_context::<BoardContext>();
    let stage_id = stage.id;
    let title = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    // A stage with rules (a reason for Lost, a follow-up date) asks for them here too.
    let note = RwSignal::new(String::new());
    let followup_on = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = DealForm {
            title: title.get_untracked(),
            amount: amount.get_untracked(),
            stage_id: stage_id.to_string(),
            note: note.get_untracked(),
            followup_on: followup_on.get_untracked(),
            ..DealForm::default()
        };
        spawn_local(async move {
            match create_deal(form).await {
                Ok(deal) => {
                    title.set(String::new());
                    amount.set(String::new());
                    note.set(String::new());
                    followup_on.set(String::new());
                    context.add(deal);
                }
                Err(e) => context
                    .show_toast(crate::ui::error_text(Some(Err::<(), _>(e))).unwrap_or_default()),
            }
        });
    };
    view! {
        <form class="quick-add" on:submit=submit>
            <input
                aria-label="New deal title"
                placeholder="New deal"
                prop:value=title
                on:input=move |ev| title.set(event_target_value(&ev))
            />
            <input
                aria-label="Amount"
                placeholder="Amount"
                inputmode="decimal"
                prop:value=amount
                on:input=move |ev| amount.set(event_target_value(&ev))
            />
            {stage
                .requires_note
                .then(|| {
                    view! {
                        <input
                            aria-label=format!("Note (required in {})", stage.name)
                            placeholder="Note (required)"
                            data-testid="quick-add-note"
                            prop:value=note
                            on:input=move |ev| note.set(event_target_value(&ev))
                        />
                    }
                })}
            {stage
                .requires_followup_date
                .then(|| {
                    view! {
                        <input
                            type="date"
                            aria-label=format!("Follow-up date (required in {})", stage.name)
                            data-testid="quick-add-followup"
                            prop:value=followup_on
                            on:input=move |ev| followup_on.set(event_target_value(&ev))
                        />
                    }
                })}
            <button type="submit" class="button">
                "Add"
            </button>
        </form>
    }
}
