//! The company card: details with inline edit, its contacts and deals, and the timeline.

use super::{
    server_fns::{get_company, UpdateCompany},
    Company,
};
use crate::auth::roles::Permission;
use crate::calls::channel::RelatedType;
use crate::trash::{delete_button::DeleteRecord, RecordKind};
use crate::{
    activities::{timeline_view::Timeline, TimelineOf},
    contacts::{card::RelatedContacts, ContactFilter},
    deals::{card::RelatedDeals, new_form::NewDealPanel, DealFilter},
    error::AppError,
    search::PickKind,
    tasks::{open_tasks_view::OpenTasks, task_form::TaskPreset, TaskLink},
    ui::{
        record_page::{
            form_message, inline_edit, or_dash, record_with_title, CardHead, FormField, RecordCard,
            SaveOrCancel,
        },
        PhoneOrDash, Picker,
    },
};
use leptos::prelude::*;

#[component]
pub fn CompanyCard() -> impl IntoView {
    view! {
        <RecordCard
            get=get_company
            show=|company, user| {
                let can_edit = user.is_some_and(|u| u.can(Permission::ContactsManage));
                view! { <CompanyView company can_edit /> }.into_any()
            }
        />
    }
}

#[component]
fn CompanyView(company: Company, can_edit: bool) -> impl IntoView {
    let id = company.id;
    let name = company.name.clone();
    let (record, title) = record_with_title(company, |c| c.name.clone());
    let update = ServerAction::<UpdateCompany>::new();
    let (editing, error, start_edit) = inline_edit(record, update);
    view! {
        {title}
        <article class="card" data-testid="company-card">
            <CardHead
                title=Signal::derive(move || record.with(|c| c.name.clone()))
                can_edit
                editing
                on_edit=start_edit
            />
            <Show when=move || editing.get() fallback=move || view! { <CompanyDetails record /> }>
                <CompanyEdit record update editing error />
            </Show>
            {can_edit
                .then(|| {
                    view! {
                        <DeleteRecord
                            kind=RecordKind::Company
                            id
                            label=Signal::derive(move || record.with(|c| c.name.clone()))
                        />
                    }
                })}
        </article>
        <RelatedContacts filter=ContactFilter {
            company_id: Some(id),
            ..Default::default()
        } />
        <RelatedDeals filter=DealFilter {
            company_id: Some(id),
            ..Default::default()
        } />
        {can_edit
            .then(|| {
                view! { <NewDealPanel company=Some((id, name.clone())) /> }
            })}
        <OpenTasks
            link=TaskLink {
                company_id: Some(id),
                ..TaskLink::default()
            }
            preset=TaskPreset::default()
            can_manage=can_edit
        />
        <Timeline of=TimelineOf::Company id can_log=can_edit />
    }
}

#[component]
fn CompanyDetails(record: RwSignal<Company>) -> impl IntoView {
    move || {
        let c = record.get();
        view! {
            <dl class="details">
                <dt>"Domain"</dt>
                <dd>{or_dash(c.domain.clone())}</dd>
                <dt>"Phone"</dt>
                <dd>
                    <PhoneOrDash
                        number=c.phone.clone()
                        related_type=RelatedType::Company
                        related_id=c.id
                    />
                </dd>
                <dt>"Address"</dt>
                <dd>{or_dash(c.address.clone())}</dd>
                <dt>"Owner"</dt>
                <dd>{or_dash(c.owner_name.clone())}</dd>
                <dt>"Contacts"</dt>
                <dd>{c.contact_count}</dd>
                <dt>"Notes"</dt>
                <dd class="notes">{or_dash(Some(c.notes.clone()))}</dd>
            </dl>
        }
    }
}

#[component]
fn CompanyEdit(
    record: RwSignal<Company>,
    update: ServerAction<UpdateCompany>,
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
                label="Domain"
                name="domain"
                value=c.domain.clone().unwrap_or_default()
                error
            />
            <FormField
                label="Phone"
                name="phone"
                kind="tel"
                value=c.phone.clone().unwrap_or_default()
                error
            />
            <FormField
                label="Address"
                name="address"
                value=c.address.clone().unwrap_or_default()
                error
            />
            <Picker
                label="Owner"
                name="owner_id"
                kind=PickKind::Owner
                initial=c.owner_id.zip(c.owner_name.clone())
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
