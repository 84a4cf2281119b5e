//! A typeahead picker that links a form to another record (or an owner): an ARIA combobox
//! (<https://www.w3.org/WAI/ARIA/apg/patterns/combobox/>) whose choices come from the server,
//! so they are folded like every search and never include what the user may not see. Arrow keys
//! move through the choices, Enter takes one, Escape closes the list. A company or contact
//! that does not exist yet can be created from the picker by its name.

use crate::{
    companies::{server_fns::create_company, CompanyForm},
    contacts::{server_fns::create_contact, ContactForm},
    error::AppError,
    search::{server_fns::pick_choices, Found, PickKind},
    ui::debounce::debounced_input,
};
use leptos::{ev::KeyboardEvent, prelude::*, task::spawn_local};
use std::time::Duration;

/// Shorter than a list's debounce: a picker is typed into to choose now.
const PICK_DEBOUNCE: Duration = Duration::from_millis(150);

/// One line of the open list.
#[derive(Clone, Debug, PartialEq)]
enum Choice {
    Existing(Found),
    /// "Create «name»".
    Create(String),
}

/// A picker named `form[{name}]`: the chosen id, or nothing. Typed text that was not turned
/// into a choice is sent as it is, so the server refuses it next to the field instead of
/// silently dropping the link.
#[component]
pub fn Picker(
    label: &'static str,
    /// The form field, e.g. `company_id`.
    name: &'static str,
    kind: PickKind,
    /// The record linked now: its id and label.
    #[prop(default = None)]
    initial: Option<(i64, String)>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "edit")] prefix: &'static str,
    /// Offer "Create «name»" (companies and contacts).
    #[prop(optional)]
    creatable: bool,
    /// Told each time the choice changes.
    #[prop(optional)]
    on_pick: Option<Callback<Option<Found>>>,
) -> impl IntoView {
    let id = format!("{prefix}-{name}");
    let list_id = format!("{id}-list");
    let error_id = format!("{id}-error");
    let (initial_id, initial_text) = initial
        .map(|(id, label)| (Some(id), label))
        .unwrap_or_default();
    let chosen = RwSignal::new(initial_id);
    let text = RwSignal::new(initial_text);
    let choices = RwSignal::new(Vec::<Choice>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let problem = RwSignal::new(None::<String>);
    // Answers can come back out of order: only the latest query's are shown.
    let generation = StoredValue::new(0_u64);

    let load = move |q: String| {
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        spawn_local(async move {
            let found = pick_choices(kind.into(), q.clone()).await;
            if generation.get_value() != mine {
                return;
            }
            match found {
                Ok(found) => {
                    let exact = found.iter().any(|f| same_name(&f.label, &q));
                    let mut list: Vec<Choice> = found.into_iter().map(Choice::Existing).collect();
                    if creatable && !q.trim().is_empty() && !exact {
                        list.push(Choice::Create(q.trim().to_string()));
                    }
                    problem.set(None);
                    active.set(None);
                    choices.set(list);
                    open.set(true);
                }
                Err(e) => problem.set(Some(e.explained())),
            }
        });
    };
    let take = move |found: Option<Found>| {
        chosen.set(found.as_ref().map(|f| f.id));
        text.set(found.as_ref().map(|f| f.label.clone()).unwrap_or_default());
        open.set(false);
        active.set(None);
        if let Some(on_pick) = on_pick {
            on_pick.run(found);
        }
    };
    let choose = move |choice: Choice| match choice {
        Choice::Existing(found) => take(Some(found)),
        Choice::Create(name) => {
            open.set(false);
            spawn_local(async move {
                match create_named(kind, name).await {
                    Ok(found) => take(Some(found)),
                    Err(e) => problem.set(Some(e.explained())),
                }
            });
        }
    };
    let on_input = {
        let debounced = debounced_input(PICK_DEBOUNCE, load);
        move |ev| {
            // What was chosen no longer matches what is typed.
            chosen.set(None);
            text.set(event_target_value(&ev));
            if let Some(on_pick) = on_pick {
                on_pick.run(None);
            }
            debounced(ev);
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let count = choices.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                if !open.get_untracked() {
                    load(text.get_untracked());
                    return;
                }
                if count > 0 {
                    let down = ev.key() == "ArrowDown";
                    active.set(Some(match active.get_untracked() {
                        None if down => 0,
                        None => count - 1,
                        Some(i) if down => (i + 1) % count,
                        Some(i) => (i + count - 1) % count,
                    }));
                }
            }
            "Enter" if open.get_untracked() => {
                // Enter takes the active choice; it must not submit the form meanwhile.
                ev.prevent_default();
                if let Some(choice) = active
                    .get_untracked()
                    .and_then(|i| choices.with_untracked(|c| c.get(i).cloned()))
                {
                    choose(choice);
                }
            }
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                open.set(false);
            }
            _ => {}
        }
    };
    let message = move || {
        problem
            .get()
            .or_else(|| error.get().and_then(|e| e.field(name)))
    };
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-option-{i}")
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || active.get().filter(|_| open.get()).map(&option_id)
    };
    let hidden_value = move || match chosen.get() {
        Some(id) => id.to_string(),
        None => text.get().trim().to_string(),
    };

    view! {
        <div class="field picker">
            <label for=id.clone()>{label}</label>
            // A hidden input's value is its attribute: rendered on the server too, so the form
            // keeps its link before the page is hydrated.
            <input type="hidden" name=format!("form[{name}]") value=hidden_value />
            <input
                id=id.clone()
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=active_descendant
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=error_id.clone()
                data-testid=format!("{prefix}-pick-{name}")
                value=text.get_untracked()
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
                on:focus=move |_| {
                    if chosen.get_untracked().is_none() {
                        load(text.get_untracked());
                    }
                }
                on:blur=move |_| open.set(false)
            />
            <ul
                id=list_id
                role="listbox"
                class="picker-list"
                aria-label=label
                hidden=move || !open.get()
            >
                {move || {
                    let list = choices.get();
                    if list.is_empty() {
                        return view! {
                            <li class="muted" role="presentation">
                                "Nothing found"
                            </li>
                        }
                            .into_any();
                    }
                    list.into_iter()
                        .enumerate()
                        .map(|(i, choice)| {
                            let (line, detail) = match &choice {
                                Choice::Existing(f) => (f.label.clone(), f.detail.clone()),
                                Choice::Create(name) => (format!("Create “{name}”"), None),
                            };
                            view! {
                                <li
                                    id=option_id(i)
                                    role="option"
                                    class:active=move || active.get() == Some(i)
                                    aria-selected=move || (active.get() == Some(i)).to_string()
                                    // mousedown, not click: it comes before the input's blur.
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        choose(choice.clone());
                                    }
                                >
                                    {line}
                                    {detail
                                        .map(|d| view! { <span class="muted">" · " {d}</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <p class="field-error" id=error_id data-testid=format!("{prefix}-error-{name}")>
                {message}
            </p>
        </div>
    }
}

/// Whether a found name is the typed one (no "Create" then), ignoring case and spaces around.
fn same_name(found: &str, typed: &str) -> bool {
    found.trim().to_lowercase() == typed.trim().to_lowercase()
}

/// Creates the company or contact a picker was typed into, with only its name.
async fn create_named(kind: PickKind, name: String) -> Result<Found, AppError> {
    match kind {
        PickKind::Company => {
            let form = CompanyForm {
                name,
                ..Default::default()
            };
            create_company(form).await.map(|c| Found {
                id: c.id,
                label: c.name,
                detail: None,
            })
        }
        PickKind::Contact => {
            let form = ContactForm {
                name,
                ..Default::default()
            };
            create_contact(form).await.map(|c| Found {
                id: c.id,
                label: c.name,
                detail: None,
            })
        }
        PickKind::Deal | PickKind::Owner => Err(AppError::invalid(
            "kind",
            "only companies and contacts are created from a picker",
        )),
    }
}
