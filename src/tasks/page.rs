//! "My tasks": the signed-in user's pending tasks grouped overdue / today / upcoming, each with
//! a one-click "Complete", and a form to add one.

use super::{
    server_fns::{load_my_tasks, set_task_status, CreateTask},
    Task, TaskStatus,
};
use crate::auth::roles::Permission;
use crate::{
    auth::pages::Auth,
    tasks::task_form::TaskFields,
    ui::record_page::{form_message, RecordProblem},
};
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use std::collections::HashSet;

#[component]
pub fn TasksPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let tasks = Resource::new(|| (), |_| load_my_tasks());
    // Tasks completed here leave the list at once, before the server has answered.
    let done = RwSignal::new(HashSet::<i64>::new());
    let complete_error = RwSignal::new(None::<String>);
    let create = ServerAction::<CreateTask>::new();
    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            tasks.refetch();
        }
    });
    view! {
        <Title text="My tasks · CRM" />
        <h1>"My tasks"</h1>
        <p class="error" role="alert" data-testid="complete-error">
            {move || complete_error.get()}
        </p>
        <Transition fallback=|| {
            view! { <p class="muted">"Loading tasks…"</p> }
        }>
            {move || Suspend::new(async move {
                let user = auth.user.await.ok().flatten();
                match tasks.await {
                    Ok(mine) => {
                        let can_manage = user.is_some_and(|u| u.can(Permission::ContactsManage));
                        view! {
                            <p class="muted">
                                "Times and days in your timezone (" {mine.timezone.clone()} ")."
                            </p>
                            <TaskGroup
                                title="Overdue"
                                slug="overdue"
                                tasks=mine.overdue
                                can_complete=can_manage
                                done
                                complete_error
                            />
                            <TaskGroup
                                title="Today"
                                slug="today"
                                tasks=mine.today
                                can_complete=can_manage
                                done
                                complete_error
                            />
                            <TaskGroup
                                title="Upcoming"
                                slug="upcoming"
                                tasks=mine.upcoming
                                can_complete=can_manage
                                done
                                complete_error
                            />
                            {can_manage.then(|| view! { <NewTaskForm create /> })}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <RecordProblem error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskGroup(
    title: &'static str,
    slug: &'static str,
    tasks: Vec<Task>,
    can_complete: bool,
    done: RwSignal<HashSet<i64>>,
    complete_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let heading_id = format!("tasks-{slug}-title");
    let labelled_by = heading_id.clone();
    let tasks = StoredValue::new(tasks);
    let remaining = move || {
        let done = done.get();
        tasks.with_value(|all| {
            all.iter()
                .filter(|t| !done.contains(&t.id))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section
            class="panel task-group"
            aria-labelledby=labelled_by
            data-testid=format!("tasks-{slug}")
        >
            <h2 id=heading_id>
                {title} " " <span class="muted">{move || format!("({})", remaining().len())}</span>
            </h2>
            {move || {
                let list = remaining();
                if list.is_empty() {
                    view! { <p class="muted">"Nothing here."</p> }.into_any()
                } else {
                    view! {
                        <ul class="task-list">
                            {list
                                .into_iter()
                                .map(|task| {
                                    view! { <TaskRow task can_complete done complete_error /> }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn TaskRow(
    task: Task,
    can_complete: bool,
    done: RwSignal<HashSet<i64>>,
    complete_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = task.id;
    let complete = move |_| {
        complete_error.set(None);
        done.update(|d| {
            d.insert(id);
        });
        spawn_local(async move {
            if let Err(e) = set_task_status(id, TaskStatus::Completed.into()).await {
                // Put it back: the server did not take the change.
                done.update(|d| {
                    d.remove(&id);
                });
                complete_error.set(Some(e.to_string()));
            }
        });
    };
    let contact = match (task.contact_id, task.contact_name.clone()) {
        (Some(cid), name) => Some(
            view! { <a href=format!("/contacts/{cid}")>{name.unwrap_or_else(|| format!("Contact {cid}"))}</a> },
        ),
        _ => None,
    };
    view! {
        <li class="task" data-testid="task">
            <div class="task-main">
                <span class="task-title">{task.title.clone()}</span>
                <span class="muted">{task.due_text()}</span>
                <span class=format!(
                    "priority priority-{}",
                    task.priority,
                )>{task.priority.clone()}</span>
                {contact}
            </div>
            {can_complete
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button small"
                            data-testid="complete"
                            aria-label=format!("Complete {}", task.title)
                            on:click=complete
                        >
                            "Complete"
                        </button>
                    }
                })}
        </li>
    }
}

#[component]
fn NewTaskForm(create: ServerAction<CreateTask>) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="new-task-title">
            <h2 id="new-task-title">"New task"</h2>
            <ActionForm
                action=create
                attr:class="edit-form"
                attr:novalidate=true
                attr:data-testid="new-task"
            >
                <TaskFields error prefix="task" />
                <p class="error" role="alert" data-testid="task-form-error">
                    {form_message(error)}
                </p>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || create.pending().get()>
                        "Add task"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
