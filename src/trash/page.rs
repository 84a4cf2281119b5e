//! "Recently deleted": a kind's deleted records, newest first, each restored with one click.

use super::{server_fns::recently_deleted, Deleted, RecordKind};
use crate::error::AppError;
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

async fn restore(kind: RecordKind, id: i64) -> Result<(), AppError> {
    match kind {
        RecordKind::Contact => crate::contacts::server_fns::restore_contact(id)
            .await
            .map(|_| ()),
        RecordKind::Company => crate::companies::server_fns::restore_company(id)
            .await
            .map(|_| ()),
        RecordKind::Deal => crate::deals::server_fns::restore_deal(id).await.map(|_| ()),
    }
}

fn plural(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Contact => "Contacts",
        RecordKind::Company => "Companies",
        RecordKind::Deal => "Deals",
    }
}

#[component]
pub fn RecentlyDeletedPage() -> impl IntoView {
    let query = use_query_map();
    let kind = Memo::new(move |_| {
        query
            .with(|q| q.get("kind"))
            .and_then(|k| RecordKind::parse(&k))
            .unwrap_or(RecordKind::Contact)
    });
    let deleted = Resource::new(move || kind.get(), |kind| recently_deleted(kind.into()));
    view! {
        <Title text="Recently deleted · CRM" />
        <h1>"Recently deleted"</h1>
        <nav class="tabs" aria-label="Record kind">
            {RecordKind::ALL
                .into_iter()
                .map(|k| {
                    view! {
                        <a
                            href=format!("/deleted?kind={k}")
                            aria-current=move || (kind.get() == k).then_some("page")
                        >
                            {plural(k)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <Transition fallback=|| {
            view! { <p class="muted">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match deleted.await {
                    Ok(list) if list.is_empty() => {
                        view! {
                            <p class="muted" data-testid="nothing-deleted">
                                "Nothing deleted recently."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(list) => view! { <DeletedList kind=kind.get_untracked() list /> }.into_any(),
                    Err(e) => view! { <p class="error">{e.explained()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeletedList(kind: RecordKind, list: Vec<Deleted>) -> impl IntoView {
    view! {
        <ul class="related deleted-list" data-testid="deleted-list">
            {list.into_iter().map(|d| view! { <DeletedRow kind d /> }).collect_view()}
        </ul>
    }
}

#[component]
fn DeletedRow(kind: RecordKind, d: Deleted) -> impl IntoView {
    let restored = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let id = d.id;
    let click = move |_| {
        problem.set(None);
        spawn_local(async move {
            match restore(kind, id).await {
                Ok(()) => restored.set(true),
                Err(e) => problem.set(Some(e.explained())),
            }
        });
    };
    view! {
        <li data-testid="deleted-record">
            <span class="deleted-label">{d.label.clone()}</span>
            <span class="muted">
                {format!(" · deleted {}", d.deleted_at.format("%Y-%m-%d %H:%M UTC"))}
            </span>
            " "
            <Show
                when=move || restored.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="button small"
                            data-testid="restore"
                            aria-label=format!("Restore {}", d.label)
                            on:click=click
                        >
                            "Restore"
                        </button>
                    }
                }
            >
                <span role="status" data-testid="restored">
                    "Restored: "
                    <a href=kind.href(id)>"open it"</a>
                </span>
            </Show>
            <span class="error" role="alert">
                {move || problem.get()}
            </span>
        </li>
    }
}

/// A list's way to its deleted records, for those who may restore them.
#[component]
pub fn RecentlyDeletedLink(kind: RecordKind) -> impl IntoView {
    let auth = expect_context::<crate::auth::pages::Auth>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let may = auth
                    .user
                    .await
                    .ok()
                    .flatten()
                    .is_some_and(|u| u.can(crate::auth::roles::Permission::RecordsRestore));
                may.then(|| {
                    view! {
                        <p class="list-aside">
                            <a href=format!("/deleted?kind={kind}") data-testid="recently-deleted">
                                "Recently deleted"
                            </a>
                        </p>
                    }
                })
            })}
        </Transition>
    }
}
