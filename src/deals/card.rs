//! The deal card: stage, amount, links and dates with inline edit (versioned: an edit made from
//! an old version shows the deal as it is now), and the timeline. Also the deal list that the
//! contact and company cards show.

use super::{
    server_fns::{get_deal, list_deals, UpdateDeal},
    Deal, DealFilter,
};
use crate::auth::roles::Permission;
use crate::trash::{delete_button::DeleteRecord, RecordKind};
use crate::validation::money::{amount_text, format_money};
use crate::{
    activities::{timeline_view::Timeline, TimelineOf},
    error::AppError,
    search::PickKind,
    tasks::{open_tasks_view::OpenTasks, task_form::TaskPreset, TaskLink},
    ui::{
        record_page::{
            form_message, record_with_title, CardHead, FormField, RecordCard, SaveOrCancel,
        },
        Picker,
    },
};
use crate::{calls::channel::RelatedType, ui::ClickToCall};
use leptos::prelude::*;

/// The amount as typed in the edit form: `125050` EUR → `1250.50`.
fn amount_input(deal: &Deal) -> String {
    amount_text(deal.amount_minor, &deal.currency)
}

/// Deals matching `filter` (a contact's or a company's), each linking to its card.
#[component]
pub fn RelatedDeals(filter: DealFilter) -> impl IntoView {
    let deals = Resource::new(|| (), move |_| list_deals(filter.clone()));
    view! {
        <section class="panel" aria-labelledby="deals-title">
            <h2 id="deals-title">"Deals"</h2>
            <Suspense fallback=|| {
                view! { <p class="muted">"Loading deals…"</p> }
            }>
                {move || Suspend::new(async move {
                    match deals.await {
                        Ok(page) if page.items.is_empty() => {
                            view! { <p class="muted">"No deals yet."</p> }.into_any()
                        }
                        Ok(page) => {
                            view! {
                                <ul class="related" data-testid="related-deals">
                                    {page
                                        .items
                                        .into_iter()
                                        .map(|d| {
                                            view! {
                                                <li>
                                                    <a href=format!("/deals/{}", d.id)>{d.title.clone()}</a>
                                                    <span class="muted">
                                                        {format!(
                                                            " · {} · {}",
                                                            d.stage_name,
                                                            format_money(d.amount_minor, &d.currency),
                                                        )}
                                                    </span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn DealCard() -> impl IntoView {
    view! {
        <RecordCard
            get=get_deal
            show=|deal, user| {
                let may = |permission| user.as_ref().is_some_and(|u| u.can(permission));
                let (can_edit, can_log) = (
                    may(Permission::DealsManage),
                    may(Permission::ContactsManage),
                );
                view! { <DealView deal can_edit can_log /> }.into_any()
            }
        />
    }
}

#[component]
fn DealView(deal: Deal, can_edit: bool, can_log: bool) -> impl IntoView {
    let id = deal.id;
    let (record, title) = record_with_title(deal, |d| d.title.clone());
    let editing = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let update = ServerAction::<UpdateDeal>::new();
    let error = Signal::derive(move || {
        update
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| !matches!(e, AppError::Stale { .. }))
    });
    Effect::new(move || match update.value().get() {
        Some(Ok(saved)) => {
            record.set(saved);
            editing.set(false);
            stale.set(false);
        }
        // Someone else saved first: show the deal as it is now; the user may edit again.
        Some(Err(AppError::Stale { current, .. })) => {
            if let Ok(current) = serde_json::from_value::<Deal>(current) {
                record.set(current);
            }
            editing.set(false);
            stale.set(true);
        }
        _ => {}
    });
    let start_edit = Callback::new(move |()| {
        update.value().set(None);
        stale.set(false);
        editing.set(true);
    });
    view! {
        {title}
        <article class="card" data-testid="deal-card">
            <CardHead
                title=Signal::derive(move || record.with(|d| d.title.clone()))
                can_edit
                editing
                on_edit=start_edit
            />
            <Show when=move || stale.get()>
                <p class="notice" role="alert" data-testid="stale">
                    "This deal was changed by someone else meanwhile. Here it is as it is now; edit again to change it."
                </p>
            </Show>
            <Show when=move || editing.get() fallback=move || view! { <DealDetails record /> }>
                <DealEdit record update editing error />
            </Show>
            {can_edit
                .then(|| {
                    view! {
                        <DeleteRecord
                            kind=RecordKind::Deal
                            id
                            label=Signal::derive(move || record.with(|d| d.title.clone()))
                        />
                    }
                })}
        </article>
        <OpenTasks
            link=TaskLink {
                deal_id: Some(id),
                ..TaskLink::default()
            }
            preset=record
                .with_untracked(|d| TaskPreset {
                    contact: d.contact_id.zip(d.contact_name.clone()),
                    deal: Some((d.id, d.title.clone())),
                })
            can_manage=can_log
        />
        <Timeline of=TimelineOf::Deal id can_log />
    }
}

#[component]
fn DealDetails(record: RwSignal<Deal>) -> impl IntoView {
    move || {
        let d = record.get();
        view! {
            <dl class="details">
                <dt>"Stage"</dt>
                <dd data-testid="deal-stage">{d.stage_name.clone()}</dd>
                <dt>"Amount"</dt>
                <dd data-testid="deal-amount">{format_money(d.amount_minor, &d.currency)}</dd>
                <dt>"Contact"</dt>
                <dd>
                    {match (d.contact_id, d.contact_name.clone()) {
                        (Some(id), Some(name)) => {
                            view! {
                                <a href=format!("/contacts/{id}")>{name}</a>
                                {d
                                    .contact_phone
                                    .clone()
                                    .map(|number| {
                                        view! {
                                            " "
                                            <ClickToCall
                                                number
                                                related_type=RelatedType::Deal
                                                related_id=d.id
                                            />
                                        }
                                    })}
                            }
                                .into_any()
                        }
                        _ => view! { <span class="muted">"—"</span> }.into_any(),
                    }}
                </dd>
                <dt>"Company"</dt>
                <dd>
                    {match (d.company_id, d.company_name.clone()) {
                        (Some(id), Some(name)) => {
                            view! { <a href=format!("/companies/{id}")>{name}</a> }.into_any()
                        }
                        _ => view! { <span class="muted">"—"</span> }.into_any(),
                    }}
                </dd>
                <dt>"Owner"</dt>
                <dd>{d.owner_name.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Expected close"</dt>
                <dd>
                    {d
                        .expected_close_on
                        .map(|on| on.format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| "—".into())}
                </dd>
                {d
                    .closed_at
                    .map(|at| {
                        view! {
                            <dt>"Closed"</dt>
                            <dd>{at.format("%Y-%m-%d").to_string()}</dd>
                        }
                    })}
            </dl>
        }
    }
}

#[component]
fn DealEdit(
    record: RwSignal<Deal>,
    update: ServerAction<UpdateDeal>,
    editing: RwSignal<bool>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let d = record.get_untracked();
    let close_on = d
        .expected_close_on
        .map(|on| on.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    view! {
        <ActionForm action=update attr:class="edit-form" attr:novalidate=true>
            <input type="hidden" name="id" value=d.id />
            <input type="hidden" name="version" value=d.version />
            // Stages change by moving the deal on the board.
            <FormField label="Title" name="title" value=d.title.clone() error />
            <FormField label="Amount" name="amount" value=amount_input(&d) error />
            <FormField label="Currency" name="currency" value=d.currency.clone() error />
            <FormField
                label="Expected close (YYYY-MM-DD)"
                name="expected_close_on"
                value=close_on
                kind="date"
                error
            />
            <Picker
                label="Contact"
                name="contact_id"
                kind=PickKind::Contact
                initial=d.contact_id.zip(d.contact_name.clone())
                error
                creatable=true
            />
            <Picker
                label="Company"
                name="company_id"
                kind=PickKind::Company
                initial=d.company_id.zip(d.company_name.clone())
                error
                creatable=true
            />
            <Picker
                label="Owner"
                name="owner_id"
                kind=PickKind::Owner
                initial=d.owner_id.zip(d.owner_name.clone())
                error
            />
            <p class="error" role="alert" data-testid="edit-error">
                {form_message(error)}
            </p>
            <SaveOrCancel saving=update.pending() editing />
        </ActionForm>
    }
}
