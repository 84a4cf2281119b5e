//! A card's open tasks: those of its contact, deal or company, soonest first, each one
//! completed, edited or rescheduled in place, and "New task" already linked to the card.

use super::{
    server_fns::{open_tasks, set_task_status, CreateTask, UpdateTask},
    task_form::{TaskFields, TaskPreset},
    Task, TaskLink, TaskStatus,
};
use crate::ui::record_page::form_message;
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn OpenTasks(link: TaskLink, preset: TaskPreset, can_manage: bool) -> impl IntoView {
    let tasks = Resource::new(|| (), move |_| open_tasks(link));
    let create = ServerAction::<CreateTask>::new();
    let adding = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            adding.set(false);
            tasks.refetch();
        }
    });
    let changed = Callback::new(move |()| tasks.refetch());
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let preset = StoredValue::new(preset);
    view! {
        <section class="panel" aria-labelledby="open-tasks-title" data-testid="open-tasks">
            <div class="card-head">
                <h2 id="open-tasks-title">"Open tasks"</h2>
                {can_manage
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button small"
                                data-testid="new-task-from-card"
                                hidden=move || adding.get()
                                on:click=move |_| {
                                    create.value().set(None);
                                    adding.set(true);
                                }
                            >
                                "New task"
                            </button>
                        }
                    })}
            </div>
            <Show when=move || adding.get()>
                <ActionForm
                    action=create
                    attr:class="edit-form"
                    attr:novalidate=true
                    attr:data-testid="card-new-task"
                >
                    <TaskFields preset=preset.get_value() error=create_error prefix="card-task" />
                    <p class="error" role="alert">
                        {form_message(create_error)}
                    </p>
                    <div class="form-actions">
                        <button type="submit" class="button" disabled=create.pending()>
                            "Add task"
                        </button>
                        <button
                            type="button"
                            class="button secondary"
                            on:click=move |_| adding.set(false)
                        >
                            "Cancel"
                        </button>
                    </div>
                </ActionForm>
            </Show>
            <p class="error" role="alert">
                {move || problem.get()}
            </p>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading tasks…"</p> }
            }>
                {move || Suspend::new(async move {
                    match tasks.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="muted">"No open tasks."</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="task-list">
                                    {list
                                        .into_iter()
                                        .map(|task| {
                                            view! { <OpenTask task can_manage changed problem /> }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">{e.explained()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OpenTask(
    task: Task,
    can_manage: bool,
    changed: Callback<()>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = task.id;
    let editing = RwSignal::new(false);
    let update = ServerAction::<UpdateTask>::new();
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    Effect::new(move || {
        if let Some(Ok(_)) = update.value().get() {
            editing.set(false);
            changed.run(());
        }
    });
    let complete = move |_| {
        problem.set(None);
        spawn_local(async move {
            match set_task_status(id, TaskStatus::Completed.into()).await {
                Ok(_) => changed.run(()),
                Err(e) => problem.set(Some(e.explained())),
            }
        });
    };
    let stored = StoredValue::new(task.clone());
    view! {
        <li class="task" data-testid="open-task">
            <div class="task-main">
                <span class="task-title">{task.title.clone()}</span>
                <span class="muted" data-testid="task-due">
                    {task.due_text()}
                </span>
                <span class=format!(
                    "priority priority-{}",
                    task.priority,
                )>{task.priority.clone()}</span>
                <span class="muted">{task.assignee_name.clone()}</span>
            </div>
            {can_manage
                .then(|| {
                    view! {
                        <div class="task-actions" hidden=move || editing.get()>
                            <button
                                type="button"
                                class="button small"
                                data-testid="complete"
                                aria-label=format!("Complete {}", task.title)
                                on:click=complete
                            >
                                "Complete"
                            </button>
                            <button
                                type="button"
                                class="button small secondary"
                                data-testid="edit-task"
                                aria-label=format!("Edit or reschedule {}", task.title)
                                on:click=move |_| {
                                    update.value().set(None);
                                    editing.set(true);
                                }
                            >
                                "Edit / reschedule"
                            </button>
                        </div>
                    }
                })}
            <Show when=move || editing.get()>
                <ActionForm
                    action=update
                    attr:class="edit-form"
                    attr:novalidate=true
                    attr:data-testid="edit-task-form"
                >
                    <input type="hidden" name="id" value=id />
                    <TaskFields task=stored.get_value() error prefix="edit-task" />
                    <p class="error" role="alert">
                        {form_message(error)}
                    </p>
                    <div class="form-actions">
                        <button type="submit" class="button" disabled=update.pending()>
                            "Save"
                        </button>
                        <button
                            type="button"
                            class="button secondary"
                            on:click=move |_| editing.set(false)
                        >
                            "Cancel"
                        </button>
                    </div>
                </ActionForm>
            </Show>
        </li>
    }
}
