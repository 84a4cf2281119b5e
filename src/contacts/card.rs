//! The contact card: details with inline edit, the company, the deals and the timeline. Also the
//! contact list the company card shows.

use super::{
    server_fns::{get_contact, list_contacts, UpdateContact},
    Contact, ContactFilter, SCORES, STATUSES,
};
use crate::auth::roles::Permission;
use crate::calls::channel::RelatedType;
use crate::trash::{delete_button::DeleteRecord, RecordKind};
use crate::{
    activities::{timeline_view::Timeline, Activity, TimelineOf},
    deals::{card::RelatedDeals, new_form::NewDealPanel, DealFilter},
    error::AppError,
    search::PickKind,
    tasks::{open_tasks_view::OpenTasks, task_form::TaskPreset, TaskLink},
    ui::{
        record_page::{
            form_message, inline_edit, or_dash, record_with_title, CardHead, FormField, RecordCard,
            SaveOrCancel, SelectField,
        },
        ClickToCall, PhoneOrDash, Picker,
    },
};
use leptos::prelude::*;

/// Contacts matching `filter` (a company's), each linking to its card.
#[component]
pub fn RelatedContacts(filter: ContactFilter) -> impl IntoView {
    let contacts = Resource::new(|| (), move |_| list_contacts(filter.clone()));
    view! {
        <section class="panel" aria-labelledby="contacts-title">
            <h2 id="contacts-title">"Contacts"</h2>
            <Suspense fallback=|| {
                view! { <p class="muted">"Loading contacts…"</p> }
            }>
                {move || Suspend::new(async move {
                    match contacts.await {
                        Ok(page) if page.items.is_empty() => {
                            view! { <p class="muted">"No contacts yet."</p> }.into_any()
                        }
                        Ok(page) => {
                            view! {
                                <ul class="related" data-testid="related-contacts">
                                    {page
                                        .items
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <li>
                                                    <a href=format!("/contacts/{}", c.id)>{c.name.clone()}</a>
                                                    {c
                                                        .phone
                                                        .clone()
                                                        .map(|number| {
                                                            view! {
                                                                " "
                                                                <ClickToCall
                                                                    number
                                                                    related_type=RelatedType::Contact
                                                                    related_id=c.id
                                                                />
                                                            }
                                                        })}
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
pub fn ContactCard() -> impl IntoView {
    view! {
        <RecordCard
            get=get_contact
            show=|contact, user| {
                let can_edit = user.is_some_and(|u| u.can(Permission::ContactsManage));
                view! { <ContactView contact can_edit /> }.into_any()
            }
        />
    }
}

#[component]
fn ContactView(contact: Contact, can_edit: bool) -> impl IntoView {
    let id = contact.id;
    let name = contact.name.clone();
    let company = contact.company_id.zip(contact.company_name.clone());
    let (record, title) = record_with_title(contact, |c| c.name.clone());
    let update = ServerAction::<UpdateContact>::new();
    let (editing, error, start_edit) = inline_edit(record, update);
    // Calls, emails and meetings move "last contacted": show the contact as it is now.
    let refresh = Callback::new(move |_: Activity| {
        leptos::task::spawn_local(async move {
            if let Ok(now) = get_contact(id).await {
                record.set(now);
            }
        });
    });
    view! {
        {title}
        <article class="card" data-testid="contact-card">
            <CardHead
                title=Signal::derive(move || record.with(|c| c.name.clone()))
                can_edit
                editing
                on_edit=start_edit
            />
            <Show when=move || editing.get() fallback=move || view! { <ContactDetails record /> }>
                <ContactEdit record update editing error />
            </Show>
            {can_edit
                .then(|| {
                    view! {
                        <DeleteRecord
                            kind=RecordKind::Contact
                            id
                            label=Signal::derive(move || record.with(|c| c.name.clone()))
                        />
                    }
                })}
        </article>
        <OpenTasks
            link=TaskLink {
                contact_id: Some(id),
                ..TaskLink::default()
            }
            preset=TaskPreset {
                contact: Some((id, name.clone())),
                deal: None,
            }
            can_manage=can_edit
        />
        <RelatedDeals filter=DealFilter {
            contact_id: Some(id),
            ..Default::default()
        } />
        {can_edit
            .then(|| {
                view! { <NewDealPanel contact=Some((id, name.clone())) company=company.clone() /> }
            })}
        <Timeline of=TimelineOf::Contact id can_log=can_edit on_logged=refresh />
    }
}

#[component]
fn ContactDetails(record: RwSignal<Contact>) -> impl IntoView {
    move || {
        let c = record.get();
        view! {
            <dl class="details">
                <dt>"Email"</dt>
                <dd data-testid="contact-email">
                    {match c.email.clone() {
                        Some(email) => {
                            view! { <a href=format!("mailto:{email}")>{email.clone()}</a> }
                                .into_any()
                        }
                        None => view! { <span class="muted">"—"</span> }.into_any(),
                    }}
                </dd>
                <dt>"Phone"</dt>
                <dd>
                    <PhoneOrDash
                        number=c.phone.clone()
                        related_type=RelatedType::Contact
                        related_id=c.id
                    />
                </dd>
                <dt>"Company"</dt>
                <dd>
                    {match (c.company_id, c.company_name.clone()) {
                        (Some(id), Some(name)) => {
                            view! { <a href=format!("/companies/{id}")>{name}</a> }.into_any()
                        }
                        _ => view! { <span class="muted">"—"</span> }.into_any(),
                    }}
                </dd>
                <dt>"Status"</dt>
                <dd>{c.status.clone()}</dd>
                <dt>"Score"</dt>
                <dd>{c.score.clone()}</dd>
                <dt>"Source"</dt>
                <dd>{or_dash(c.source.clone())}</dd>
                <dt>"Owner"</dt>
                <dd>{or_dash(c.owner_name.clone())}</dd>
                <dt>"Last contacted"</dt>
                <dd data-testid="last-contacted">
                    {c
                        .last_contacted_at
                        .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_else(|| "never".into())}
                </dd>
                <dt>"Notes"</dt>
                <dd class="notes">{or_dash(Some(c.notes.clone()))}</dd>
            </dl>
        }
    }
}

#[component]
fn ContactEdit(
    record: RwSignal<Contact>,
    update: ServerAction<UpdateContact>,
    editing: RwSignal<bool>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let c = record.get_untracked();
    let notes_message = move || error.get().and_then(|e| e.field("notes"));
    view! {
        <ActionForm action=update attr:class="edit-form" attr:novalidate=true>
            <input type="hidden" name="id" value=c.id />
            <FormField label="Name" name="name" value=c.name.clone() error />
            <FormField
                label="Email"
                name="email"
                kind="email"
                value=c.email.clone().unwrap_or_default()
                error
            />
            {move || match error.get() {
                Some(AppError::Duplicate { existing_id, .. }) => {
                    Some(
                        view! {
                            <p class="hint">
                                <a
                                    href=format!("/contacts/{existing_id}")
                                    data-testid="duplicate-link"
                                >
                                    "Open the contact with this email"
                                </a>
                            </p>
                        },
                    )
                }
                _ => None,
            }}
            <FormField
                label="Phone"
                name="phone"
                kind="tel"
                value=c.phone.clone().unwrap_or_default()
                error
            />
            <FormField
                label="Source"
                name="source"
                value=c.source.clone().unwrap_or_default()
                error
            />
            <Picker
                label="Company"
                name="company_id"
                kind=PickKind::Company
                initial=c.company_id.zip(c.company_name.clone())
                error
                creatable=true
            />
            <Picker
                label="Owner"
                name="owner_id"
                kind=PickKind::Owner
                initial=c.owner_id.zip(c.owner_name.clone())
                error
            />
            <SelectField
                label="Status"
                name="status"
                options=&STATUSES
                selected=c.status.clone()
                error
            />
            <SelectField
                label="Score"
                name="score"
                options=&SCORES
                selected=c.score.clone()
                error
            />
            <div class="field">
                <label for="edit-notes">"Notes"</label>
                <textarea id="edit-notes" name="form[notes]" rows="3">
                    {c.notes.clone()}
                </textarea>
                <p class="field-error">{notes_message}</p>
            </div>
            <p class="error" role="alert" data-testid="edit-error">
                {form_message(error)}
            </p>
            <SaveOrCancel saving=update.pending() editing />
        </ActionForm>
    }
}
