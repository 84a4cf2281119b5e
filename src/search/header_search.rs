//! The header's search box: contacts, companies and deals at once, grouped by kind. `/` or
//! Ctrl+K (⌘K) focuses it from anywhere; arrow keys move through the results, Enter opens
//! one, Escape closes the list. It is an ARIA combobox whose listbox has a group per kind.

use super::{server_fns::search_everything, FoundGroups, FoundKind};
use crate::ui::debounce::debounced_input;
use leptos::{ev::KeyboardEvent, prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;
use std::time::Duration;

const SEARCH_DEBOUNCE: Duration = Duration::from_millis(200);
const INPUT_ID: &str = "header-search";
const LIST_ID: &str = "header-search-results";

fn group_title(kind: FoundKind) -> &'static str {
    match kind {
        FoundKind::Contact => "Contacts",
        FoundKind::Company => "Companies",
        FoundKind::Deal => "Deals",
    }
}

fn option_id(i: usize) -> String {
    format!("header-search-option-{i}")
}

#[component]
pub fn HeaderSearch() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let found = RwSignal::new(None::<FoundGroups>);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let problem = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0_u64);
    let input = NodeRef::<leptos::html::Input>::new();
    let navigate = use_navigate();

    focus_on_shortcut(input);

    let load = move |q: String| {
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        if q.trim().is_empty() {
            found.set(None);
            open.set(false);
            return;
        }
        spawn_local(async move {
            let answer = search_everything(q).await;
            if generation.get_value() != mine {
                return;
            }
            match answer {
                Ok(groups) => {
                    problem.set(None);
                    found.set(Some(groups));
                    // The first result is active, so Enter opens it straight away.
                    active.set(Some(0));
                    open.set(true);
                }
                Err(e) => {
                    problem.set(Some(e.explained()));
                    open.set(true);
                }
            }
        });
    };
    let results = move || {
        found.with(|f| {
            f.as_ref()
                .map(|g| {
                    g.in_order()
                        .into_iter()
                        .map(|(kind, f)| kind.href(f.id))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let go = move |href: String| {
        open.set(false);
        text.set(String::new());
        found.set(None);
        navigate(&href, Default::default());
    };
    let on_keydown = {
        let go = go.clone();
        move |ev: KeyboardEvent| {
            let hrefs = results();
            let count = hrefs.len();
            match ev.key().as_str() {
                "ArrowDown" | "ArrowUp" if count > 0 => {
                    ev.prevent_default();
                    open.set(true);
                    let down = ev.key() == "ArrowDown";
                    active.set(Some(match active.get_untracked() {
                        None if down => 0,
                        None => count - 1,
                        Some(i) if down => (i + 1) % count,
                        Some(i) => (i + count - 1) % count,
                    }));
                }
                "Enter" => {
                    ev.prevent_default();
                    if let Some(href) = active.get_untracked().and_then(|i| hrefs.get(i).cloned()) {
                        go(href);
                    }
                }
                "Escape" => {
                    open.set(false);
                    if let Some(input) = input.get_untracked() {
                        let _ = input.blur();
                    }
                }
                _ => {}
            }
        }
    };
    let on_input = debounced_input(SEARCH_DEBOUNCE, load);

    view! {
        <div class="header-search" role="search">
            <label for=INPUT_ID class="visually-hidden">
                "Search contacts, companies and deals"
            </label>
            <input
                id=INPUT_ID
                node_ref=input
                type="search"
                role="combobox"
                autocomplete="off"
                placeholder="Search…  /"
                aria-autocomplete="list"
                aria-controls=LIST_ID
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=move || active.get().filter(|_| open.get()).map(option_id)
                aria-keyshortcuts="/ Control+K Meta+K"
                data-testid="header-search"
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    on_input(ev);
                }
                on:keydown=on_keydown
                on:blur=move |_| open.set(false)
                on:focus=move |_| open.set(found.with_untracked(Option::is_some))
            />
            <div
                id=LIST_ID
                role="listbox"
                class="header-search-results"
                aria-label="Search results"
                hidden=move || !open.get()
                data-testid="header-search-results"
            >
                {move || problem.get().map(|p| view! { <p class="error">{p}</p> })}
                {move || {
                    let groups = found.get()?;
                    let ordered = groups.in_order();
                    if ordered.is_empty() {
                        return Some(view! { <p class="muted">"Nothing found"</p> }.into_any());
                    }
                    let mut index = 0;
                    let sections = FoundKind::ALL
                        .into_iter()
                        .filter_map(|kind| {
                            let items: Vec<_> = ordered
                                .iter()
                                .filter(|(k, _)| *k == kind)
                                .map(|(_, f)| (*f).clone())
                                .collect();
                            if items.is_empty() {
                                return None;
                            }
                            let heading = format!("header-search-group-{kind}");
                            let options = items
                                .into_iter()
                                .map(|f| {
                                    let i = index;
                                    index += 1;
                                    let href = kind.href(f.id);
                                    let go = go.clone();
                                    view! {
                                        <div
                                            id=option_id(i)
                                            role="option"
                                            class="search-option"
                                            class:active=move || active.get() == Some(i)
                                            aria-selected=move || (active.get() == Some(i)).to_string()
                                            data-kind=kind.as_str()
                                            on:mousedown=move |ev| {
                                                ev.prevent_default();
                                                go(href.clone());
                                            }
                                        >
                                            {f.label.clone()}
                                            {f
                                                .detail
                                                .clone()
                                                .map(|d| view! { <span class="muted">" · " {d}</span> })}
                                        </div>
                                    }
                                })
                                .collect_view();
                            let labelled_by = heading.clone();
                            Some(
                                view! {
                                    <div role="group" aria-labelledby=labelled_by>
                                        <p class="search-group" id=heading role="presentation">
                                            {group_title(kind)}
                                        </p>
                                        {options}
                                    </div>
                                },
                            )
                        })
                        .collect_view();
                    Some(sections.into_any())
                }}
            </div>
        </div>
    }
}

/// `/` (outside a text field) or Ctrl+K / ⌘K anywhere puts the cursor in the search box.
fn focus_on_shortcut(input: NodeRef<leptos::html::Input>) {
    Effect::new(move || {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let command = (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k");
            let slash = ev.key() == "/" && !typing_somewhere(&ev);
            if command || slash {
                if let Some(input) = input.get_untracked() {
                    ev.prevent_default();
                    let _ = input.focus();
                    input.select();
                }
            }
        });
        on_cleanup(move || handle.remove());
    });
}

/// Whether the key went to a text field (where `/` is just a character).
fn typing_somewhere(ev: &KeyboardEvent) -> bool {
    use leptos::wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        })
}
