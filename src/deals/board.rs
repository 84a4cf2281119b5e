//! The pipeline board (`/pipeline`): one column per stage, cards moved by drag and drop or from
//! the keyboard. The server filters and pages each column (its count and totals cover the whole
//! column); the board loads a column's next page as it scrolls into view. A move shows at once
//! and is sent with the deal's version; when the server says no (a stage rule, a newer version,
//! no connection) the board returns to the server's state and a toast says why.

use super::{
    board_column::Column,
    board_filter::BoardFilter,
    board_live::follow_live_changes,
    board_state::{BoardState, Target},
    board_toolbar::{AmountRange, ClosedWindowSelect, OwnerSelect, SearchBox},
    move_dialog::{MoveDialog, StageInput},
    server_fns::{assign_deal_owner, list_board, list_board_column, list_pipelines, move_deal},
    BoardColumn, Deal, DealMove, Pipeline, Stage,
};
use crate::auth::roles::Permission;
use crate::{
    auth::{pages::Auth, roles::Scope},
    error::AppError,
    ui::bulk_assign::{AssignAction, BulkAssignBar, Selection},
};
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::VecDeque;

/// What the columns and cards of one board share.
#[derive(Clone, Copy)]
pub struct BoardContext {
    pub stages: StoredValue<Vec<Stage>>,
    /// The columns with the filter they answer.
    board: Resource<Result<(BoardFilter, Vec<BoardColumn>), AppError>>,
    /// The board as the server sent it.
    server: Memo<Option<BoardState>>,
    /// The filter the server's board answers (behind `filter` while a new one is on its way).
    server_filter: Memo<Option<BoardFilter>>,
    /// The board as moved and paged here, ahead of the server's copy; `None` shows the server's.
    pub(super) local: RwSignal<Option<BoardState>>,
    /// Columns whose next page is on its way.
    pub loading: RwSignal<Vec<i64>>,
    pub dragging: RwSignal<Option<i64>>,
    asking: RwSignal<Option<(Deal, Target)>>,
    /// Moves shown but not yet confirmed, sent in order: (deal id, title, target, stage input).
    outbox: StoredValue<VecDeque<(i64, String, Target, StageInput)>>,
    sending: StoredValue<bool>,
    /// A deal id for every move shown but not yet confirmed by the server: those cards say
    /// "Saving…", and leaving the page warns while any remain.
    pub unsaved: RwSignal<Vec<i64>>,
    toast: RwSignal<Option<String>>,
    announcement: RwSignal<String>,
    pub can_move: bool,
    /// What the server is asked for; a change fetches the board again.
    pub filter: RwSignal<BoardFilter>,
    pub user_id: i64,
    /// Cards ticked for "Assign to" (users who may move deals only).
    pub selection: Option<Selection>,
}

impl BoardContext {
    /// The board as it stands now.
    pub fn state(&self) -> BoardState {
        self.local
            .get()
            .or_else(|| self.server.get())
            .unwrap_or_default()
    }

    pub fn find(&self, id: i64) -> Option<Deal> {
        self.state().find(id).cloned()
    }

    /// Asks the server for the board under a new filter.
    pub fn set_filter(&self, change: impl FnOnce(&mut BoardFilter)) {
        let mut filter = self.filter.get_untracked();
        change(&mut filter);
        if filter != self.filter.get_untracked() {
            self.local.set(None);
            self.filter.set(filter);
        }
    }

    /// Fetches the column's next page, once at a time.
    pub fn load_more(&self, stage_id: i64) {
        let Some(cursor) = self.state().meta(stage_id).next_cursor else {
            return;
        };
        if self.loading.with_untracked(|ids| ids.contains(&stage_id)) {
            return;
        }
        // The board shown answers an earlier filter: its cursors do not belong to this one.
        if self.server_filter.get_untracked() != Some(self.filter.get_untracked()) {
            return;
        }
        self.loading.update(|ids| ids.push(stage_id));
        let context = *self;
        let filter = self.filter.get_untracked();
        spawn_local(async move {
            let page = list_board_column(stage_id, filter.clone(), cursor).await;
            context
                .loading
                .update(|ids| ids.retain(|id| *id != stage_id));
            // A page for a filter since replaced belongs to a board no longer shown.
            if context.filter.get_untracked() != filter
                || context.server_filter.get_untracked() != Some(filter)
            {
                return;
            }
            match page {
                Ok(page) => context
                    .local
                    .set(Some(context.state().with_page(stage_id, page))),
                Err(e) => context
                    .show_toast(crate::ui::error_text(Some(Err::<(), _>(e))).unwrap_or_default()),
            }
        });
    }

    fn stage(&self, id: i64) -> Option<Stage> {
        self.stages
            .with_value(|stages| stages.iter().find(|s| s.id == id).cloned())
    }

    /// Asks for what the target stage requires, if anything, then moves.
    pub fn request_move(&self, deal: Deal, target: Target) {
        let Some(stage) = self.stage(target.stage_id) else {
            return;
        };
        let changes_stage = stage.id != deal.stage_id;
        if changes_stage && (stage.requires_note || stage.requires_followup_date) {
            self.asking.set(Some((deal, target)));
        } else {
            self.perform_move(deal, target, StageInput::default());
        }
    }

    /// Shows the move at once and queues it for the server. Moves are sent one at a time, each
    /// with the version the one before it produced, so quick keyboard moves do not trip over
    /// their own optimistic lock.
    fn perform_move(&self, deal: Deal, target: Target, input: StageInput) {
        let Some(stage) = self.stage(target.stage_id) else {
            return;
        };
        let now = chrono::Utc::now();
        self.local
            .set(Some(self.state().moved(deal.id, target, &stage, now)));
        self.unsaved.update(|ids| ids.push(deal.id));
        // "Moved" is said once the server has it (see `send_moves`), never before.
        self.announcement.set(format!(
            "Saving the move of “{}” to {}…",
            deal.title, stage.name
        ));
        self.outbox
            .update_value(|queue| queue.push_back((deal.id, deal.title, target, input)));
        if !self.sending.get_value() {
            self.sending.set_value(true);
            let context = *self;
            spawn_local(async move { context.send_moves().await });
        }
    }

    async fn send_moves(self) {
        while let Some((id, title, target, input)) =
            self.outbox.try_update_value(|q| q.pop_front()).flatten()
        {
            let Some(version) = self.find(id).map(|d| d.version) else {
                continue;
            };
            let request = DealMove {
                stage_id: target.stage_id,
                position: target.position,
                version,
                note: input.note,
                followup_on: input.followup_on,
            };
            let error = match move_deal(id, request).await {
                Ok(result) => {
                    self.unsaved.update(|ids| {
                        if let Some(at) = ids.iter().position(|unsaved| *unsaved == id) {
                            ids.remove(at);
                        }
                    });
                    if let Some(stage) = self.stage(target.stage_id) {
                        self.announcement
                            .set(format!("Moved “{title}” to {}.", stage.name));
                    }
                    self.local.update(|local| {
                        let card = local
                            .as_mut()
                            .and_then(|board| board.deals.iter_mut().find(|d| d.id == id));
                        if let Some(card) = card {
                            card.version = result.deal.version;
                            card.position = result.deal.position;
                            card.closed_at = result.deal.closed_at;
                            card.stage_entered_at = result.deal.stage_entered_at;
                        }
                    });
                    continue;
                }
                Err(AppError::Stale { .. }) => format!(
                    "“{title}” was changed by someone else meanwhile; the board now shows it as it is."
                ),
                Err(e) => {
                    let reason = crate::ui::error_text(Some(Err::<(), _>(e))).unwrap_or_default();
                    format!("“{title}” was not moved: {reason}")
                }
            };
            // The server said no: drop what is still queued and show the board as it really is.
            self.outbox.update_value(|q| q.clear());
            self.unsaved.update(Vec::clear);
            self.announcement.set(format!("“{title}” was not moved."));
            self.show_toast(error);
            self.reload();
        }
        self.sending.set_value(false);
    }

    /// Adds a deal made here (quick add) to the board.
    pub fn add(&self, deal: Deal) {
        self.local.set(Some(self.state().added(deal)));
    }

    pub fn show_toast(&self, message: String) {
        self.toast.set(Some(message));
    }

    /// Drops what was moved here and fetches the board again.
    pub fn reload(&self) {
        self.local.set(None);
        self.board.refetch();
    }
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let pipelines = Resource::new(|| (), |_| list_pipelines());
    view! {
        <Title text="Pipeline · CRM" />
        <Suspense fallback=|| {
            view! { <p class="muted">"Loading the pipeline…"</p> }
        }>
            {move || Suspend::new(async move {
                let user = auth.user.await.ok().flatten();
                let Some(user) = user else {
                    return view! { <p>"Please " <a href="/login">"sign in"</a> " first."</p> }
                        .into_any();
                };
                let pipelines = match pipelines.await {
                    Ok(p) => p,
                    Err(e) => {
                        return view! {
                            <p class="error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                            .into_any();
                    }
                };
                let wanted = query
                    .with_untracked(|q| q.get("pipeline"))
                    .and_then(|p| p.parse::<i64>().ok());
                let chosen = wanted
                    .and_then(|id| pipelines.iter().find(|p| p.id == id))
                    .or_else(|| pipelines.iter().find(|p| p.is_default))
                    .or_else(|| pipelines.first())
                    .cloned();
                match chosen {
                    Some(pipeline) => {
                        view! {
                            <Board
                                pipeline
                                all=pipelines.clone()
                                can_move=user.can(Permission::DealsManage)
                                user_id=user.user_id
                                sees_others=user.role.scope() != Scope::Own
                            />
                        }
                            .into_any()
                    }
                    None => view! { <p class="muted">"There is no pipeline yet."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Board(
    pipeline: Pipeline,
    all: Vec<Pipeline>,
    can_move: bool,
    user_id: i64,
    sees_others: bool,
) -> impl IntoView {
    let pipeline_id = pipeline.id;
    let filter = RwSignal::new(BoardFilter::default());
    let assign: AssignAction =
        Action::new(|(ids, owner): &(Vec<i64>, i64)| assign_deal_owner(ids.clone(), *owner));
    let board = Resource::new(
        move || (filter.get(), assign.version().get()),
        move |(filter, _)| async move {
            list_board(pipeline_id, filter.clone())
                .await
                .map(|columns| (filter, columns))
        },
    );
    let context = BoardContext {
        stages: StoredValue::new(pipeline.stages.clone()),
        board,
        server: Memo::new(move |_| {
            board
                .get()
                .and_then(Result::ok)
                .map(|(_, columns)| BoardState::from_columns(columns))
        }),
        server_filter: Memo::new(move |_| {
            board.get().and_then(Result::ok).map(|(filter, _)| filter)
        }),
        local: RwSignal::new(None),
        loading: RwSignal::new(Vec::new()),
        dragging: RwSignal::new(None),
        asking: RwSignal::new(None),
        outbox: StoredValue::new(VecDeque::new()),
        sending: StoredValue::new(false),
        unsaved: RwSignal::new(Vec::new()),
        toast: RwSignal::new(None),
        announcement: RwSignal::new(String::new()),
        can_move,
        filter,
        user_id,
        selection: can_move.then(Selection::new),
    };
    provide_context(context);
    // The owners changed on the server: show its board, not what was moved here before.
    Effect::new(move || {
        if let Some(Ok(_)) = assign.value().get() {
            context.local.set(None);
        }
    });
    // Ticked cards belong to the board shown: a new filter starts afresh.
    Effect::new(move || {
        filter.track();
        if let Some(selection) = context.selection {
            selection.clear();
        }
    });
    warn_before_leaving_unsaved_moves(context.unsaved);
    follow_live_changes(context, pipeline_id);
    let switcher = (all.len() > 1).then(|| {
        view! {
            <nav class="pipeline-switcher" aria-label="Pipelines">
                {all
                    .into_iter()
                    .map(|p| {
                        view! {
                            <a
                                href=format!("/pipeline?pipeline={}", p.id)
                                aria-current=(p.id == pipeline_id).then_some("page")
                            >
                                {p.name}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        }
    });
    let dialog = move || {
        context.asking.get().and_then(|(deal, target)| {
            let stage = context.stage(target.stage_id)?;
            let deal_title = deal.title.clone();
            let on_confirm = Callback::new(move |input: StageInput| {
                context.asking.set(None);
                context.perform_move(deal.clone(), target, input);
            });
            let on_cancel = Callback::new(move |_| {
                context.asking.set(None);
                context.announcement.set("Move cancelled.".into());
            });
            Some(view! { <MoveDialog stage deal_title on_confirm on_cancel /> })
        })
    };
    view! {
        <div class="board-header">
            <h1>{pipeline.name.clone()}</h1>
            {switcher}
            <div class="board-filters" role="search">
                <SearchBox />
                <OwnerSelect sees_others />
                <AmountRange />
                <ClosedWindowSelect />
                <button type="button" class="link-button" on:click=move |_| context.reload()>
                    "Refresh"
                </button>
            </div>
        </div>
        {context
            .selection
            .map(|selection| view! { <BulkAssignBar selection noun="deals" assign /> })}
        {can_move
            .then(|| {
                view! {
                    <p class="hint" id="board-keys">
                        "Drag a card to move it, or focus it and press Shift+← / Shift+→ to change its stage, "
                        "Shift+↑ / Shift+↓ to move it up or down."
                    </p>
                }
            })}
        <Transition fallback=|| {
            view! { <p class="muted">"Loading deals…"</p> }
        }>
            {move || Suspend::new(async move {
                match context.board.await {
                    Ok(_) => {
                        view! {
                            <div class="board" data-testid="board">
                                {context
                                    .stages
                                    .get_value()
                                    .into_iter()
                                    .map(|stage| view! { <Column stage /> })
                                    .collect_view()}
                            </div>
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
        {dialog}
        <div class="visually-hidden" aria-live="polite" data-testid="board-announcement">
            {move || context.announcement.get()}
        </div>
        {move || {
            context
                .toast
                .get()
                .map(|message| {
                    view! {
                        <div class="toast" role="alert" data-testid="toast">
                            <span>{message}</span>
                            <button
                                type="button"
                                class="link-button"
                                aria-label="Dismiss"
                                on:click=move |_| context.toast.set(None)
                            >
                                "×"
                            </button>
                        </div>
                    }
                })
        }}
    }
    // Erased: unerased (release builds) the board's view type overflows rustc's query depth.
    .into_any()
}

/// Asks "Leave site?" while a move is shown but not yet saved, so a reload or a click away right
/// after a move does not drop it silently.
fn warn_before_leaving_unsaved_moves(unsaved: RwSignal<Vec<i64>>) {
    let listener = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if unsaved.try_with_untracked(|ids| !ids.is_empty()) == Some(true) {
            ev.prevent_default();
            ev.set_return_value("Moves are still being saved.");
        }
    });
    on_cleanup(move || listener.remove());
}
