//! A card's "Delete": asks first, saying what is linked to the record and that it can be
//! restored, then deletes it and goes back to its list.

use super::{server_fns::what_goes_with, RecordKind};
use crate::error::AppError;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;

async fn delete(kind: RecordKind, id: i64) -> Result<(), AppError> {
    match kind {
        RecordKind::Contact => crate::contacts::server_fns::delete_contact(id).await,
        RecordKind::Company => crate::companies::server_fns::delete_company(id).await,
        RecordKind::Deal => crate::deals::server_fns::delete_deal(id).await,
    }
}

fn list_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Contact => "/contacts",
        RecordKind::Company => "/companies",
        RecordKind::Deal => "/pipeline",
    }
}

#[component]
pub fn DeleteRecord(
    kind: RecordKind,
    id: i64,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    // Some(sentence) while the confirmation is open.
    let asking = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let ask = move |_| {
        problem.set(None);
        spawn_local(async move {
            match what_goes_with(kind.into(), id).await {
                Ok(impact) => asking.set(Some(impact.sentence())),
                Err(e) => problem.set(Some(e.explained())),
            }
        });
    };
    let confirm = move |_| {
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match delete(kind, id).await {
                Ok(()) => navigate(list_of(kind), Default::default()),
                Err(e) => {
                    asking.set(None);
                    problem.set(Some(e.explained()));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <div class="delete-record">
            <button
                type="button"
                class="button small danger"
                data-testid="delete"
                hidden=move || asking.get().is_some()
                on:click=ask
            >
                "Delete"
            </button>
            <p class="error" role="alert">
                {move || problem.get()}
            </p>
            {move || {
                asking
                    .get()
                    .map(|sentence| {
                        view! {
                            <div
                                class="confirm"
                                role="alertdialog"
                                aria-labelledby="delete-question"
                                aria-describedby="delete-impact"
                                data-testid="delete-confirm"
                            >
                                <p id="delete-question">
                                    <strong>{format!("Delete {}?", label.get())}</strong>
                                    " It leaves every list and search; whoever may restore records can bring it back from Recently deleted."
                                </p>
                                <p id="delete-impact" data-testid="delete-impact">
                                    {sentence}
                                </p>
                                <div class="form-actions">
                                    <button
                                        type="button"
                                        class="button danger"
                                        data-testid="confirm-delete"
                                        disabled=move || busy.get()
                                        on:click=confirm.clone()
                                    >
                                        "Delete"
                                    </button>
                                    <button
                                        type="button"
                                        class="button secondary"
                                        on:click=move |_| asking.set(None)
                                    >
                                        "Cancel"
                                    </button>
                                </div>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
