//! The contact list: search as you type, filters for status and score, sort by name or newest,
//! and keyset paging ("Next page" asks for the rows after the last one shown).

use super::{
    server_fns::{assign_contact_owner, list_contacts, CreateContact},
    Contact, ContactFilter, ContactSort, SCORES, STATUSES,
};
use crate::auth::roles::Permission;
use crate::trash::page::RecentlyDeletedLink;
use crate::{
    auth::pages::Auth,
    ui::{
        bulk_assign::{AssignAction, BulkAssignBar, RowCheckbox, SelectAllCheckbox, Selection},
        debounce::{debounced_input, SEARCH_DEBOUNCE},
        owner_filter::OwnerFilter,
        record_page::{form_message, or_dash, AddedLink, FormField, RecordProblem, SelectField},
        Pager,
    },
};
use crate::{
    calls::channel::RelatedType,
    search::PickKind,
    ui::{PhoneOrDash, Picker},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ContactsPage() -> impl IntoView {
    // `?limit=` sets the page size (1 to 200); handy for short pages.
    let query = use_query_map();
    let limit =
        Memo::new(move |_| query.with(|q| q.get("limit").and_then(|l| l.parse::<u32>().ok())));
    let search = RwSignal::new(String::new());
    let status = RwSignal::new(None::<String>);
    let score = RwSignal::new(None::<String>);
    let owner = RwSignal::new(None::<i64>);
    let sort = RwSignal::new(ContactSort::Name);
    let cursor = RwSignal::new(None::<String>);
    let filter = Memo::new(move |_| ContactFilter {
        q: search.get(),
        status: status.get(),
        score: score.get(),
        owner_id: owner.get(),
        sort: sort.get(),
        cursor: cursor.get(),
        limit: limit.get(),
        ..Default::default()
    });
    let assign: AssignAction =
        Action::new(|(ids, owner): &(Vec<i64>, i64)| assign_contact_owner(ids.clone(), *owner));
    let contacts = Resource::new(
        move || (filter.get(), assign.version().get()),
        |(filter, _)| list_contacts(filter),
    );
    // The selection belongs to the rows on screen: a new search or page starts it afresh.
    let selection = Selection::new();
    Effect::new(move || {
        filter.track();
        selection.clear();
    });
    let auth = expect_context::<Auth>();
    let create = ServerAction::<CreateContact>::new();
    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            contacts.refetch();
        }
    });

    let on_search = debounced_input(SEARCH_DEBOUNCE, move |typed| {
        cursor.set(None);
        search.set(typed);
    });
    let choice = |value: String| Some(value).filter(|v| !v.is_empty());

    view! {
        <Title text="Contacts · CRM" />
        <h1>"Contacts"</h1>
        <RecentlyDeletedLink kind=crate::trash::RecordKind::Contact />
        <form class="grid-form list-filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label>
                "Search"
                <input
                    type="search"
                    name="q"
                    placeholder="Name, email, phone…"
                    data-testid="contact-search"
                    on:input=on_search
                />
            </label>
            <label>
                "Status"
                <select
                    name="status"
                    data-testid="filter-status"
                    on:change=move |ev| {
                        cursor.set(None);
                        status.set(choice(event_target_value(&ev)));
                    }
                >
                    <option value="">"Any"</option>
                    {STATUSES
                        .iter()
                        .map(|s| view! { <option value=*s>{*s}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Score"
                <select
                    name="score"
                    data-testid="filter-score"
                    on:change=move |ev| {
                        cursor.set(None);
                        score.set(choice(event_target_value(&ev)));
                    }
                >
                    <option value="">"Any"</option>
                    {SCORES.iter().map(|s| view! { <option value=*s>{*s}</option> }).collect_view()}
                </select>
            </label>
            <OwnerFilter owner on_change=Callback::new(move |_| cursor.set(None)) />
            <label>
                "Sort"
                <select
                    name="sort"
                    data-testid="sort"
                    on:change=move |ev| {
                        cursor.set(None);
                        sort.set(
                            if event_target_value(&ev) == "newest" {
                                ContactSort::Newest
                            } else {
                                ContactSort::Name
                            },
                        );
                    }
                >
                    <option value="name">"Name"</option>
                    <option value="newest">"Newest"</option>
                </select>
            </label>
        </form>
        // Outside the list's Transition, so a refetch after assigning keeps the bar and its message.
        <Suspense>
            {move || Suspend::new(async move {
                let can_manage = auth.can(Permission::ContactsManage).await;
                can_manage.then(|| view! { <BulkAssignBar selection noun="contacts" assign /> })
            })}
        </Suspense>
        <Transition fallback=|| {
            view! { <p class="muted">"Loading contacts…"</p> }
        }>
            {move || Suspend::new(async move {
                let can_manage = auth.can(Permission::ContactsManage).await;
                let selection = can_manage.then_some(selection);
                match contacts.await {
                    Ok(page) => {
                        let next = page.next_cursor.clone();
                        view! {
                            <ContactTable items=page.items selection />
                            <Pager cursor next />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <RecordProblem error /> }.into_any(),
                }
            })}
        </Transition>
        <Suspense>
            {move || Suspend::new(async move {
                auth.can(Permission::ContactsManage)
                    .await
                    .then(|| view! { <NewContactForm create /> })
            })}
        </Suspense>
    }
}

#[component]
fn NewContactForm(create: ServerAction<CreateContact>) -> impl IntoView {
    // `?phone=` prefills the number: the console's "Create a contact" for an unknown caller.
    let query = use_query_map();
    let phone = query.with_untracked(|q| q.get("phone").unwrap_or_default());
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = move || match create.value().get() {
        Some(Ok(c)) => Some(
            view! { <AddedLink href=format!("/contacts/{}", c.id) name=c.name testid="contact-created" /> },
        ),
        _ => None,
    };
    view! {
        <section class="panel" aria-labelledby="new-contact-title">
            <h2 id="new-contact-title">"New contact"</h2>
            {created}
            <ActionForm
                action=create
                attr:class="edit-form"
                attr:novalidate=true
                attr:data-testid="new-contact"
            >
                <FormField label="Name" name="name" value="" error prefix="contact" />
                <FormField
                    label="Email"
                    name="email"
                    kind="email"
                    value=""
                    error
                    prefix="contact"
                />
                <FormField
                    label="Phone"
                    name="phone"
                    kind="tel"
                    value=phone
                    error
                    prefix="contact"
                />
                <Picker
                    label="Company"
                    name="company_id"
                    kind=PickKind::Company
                    error
                    prefix="contact"
                    creatable=true
                />
                <Picker
                    label="Owner (blank: you)"
                    name="owner_id"
                    kind=PickKind::Owner
                    error
                    prefix="contact"
                />
                <SelectField label="Status" name="status" options=&STATUSES selected="New" error />
                <SelectField label="Score" name="score" options=&SCORES selected="warm" error />
                <p class="error" role="alert" data-testid="contact-form-error">
                    {form_message(error)}
                </p>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || create.pending().get()>
                        "Add contact"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ContactTable(items: Vec<Contact>, selection: Option<Selection>) -> impl IntoView {
    if items.is_empty() {
        return view! {
            <p class="muted" data-testid="no-contacts">
                "No contacts match."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="list-table" data-testid="contacts-table">
                <thead>
                    <tr>
                        {selection
                            .map(|selection| {
                                view! {
                                    <th scope="col" class="select-col">
                                        <SelectAllCheckbox
                                            selection
                                            ids=items.iter().map(|c| c.id).collect()
                                        />
                                    </th>
                                }
                            })} <th scope="col">"Name"</th> <th scope="col">"Email"</th>
                        <th scope="col">"Phone"</th> <th scope="col">"Company"</th>
                        <th scope="col">"Status"</th> <th scope="col">"Score"</th>
                        <th scope="col">"Owner"</th>
                    </tr>
                </thead>
                <tbody>
                    {items
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr data-testid="contact-row">
                                    {selection
                                        .map(|selection| {
                                            view! {
                                                <td class="select-col">
                                                    <RowCheckbox selection id=c.id label=c.name.clone() />
                                                </td>
                                            }
                                        })} <td class="record-name">
                                        <a href=format!("/contacts/{}", c.id)>{c.name.clone()}</a>
                                    </td> <td>{or_dash(c.email.clone())}</td> <td>
                                        <PhoneOrDash
                                            number=c.phone.clone()
                                            related_type=RelatedType::Contact
                                            related_id=c.id
                                        />
                                    </td>
                                    <td>
                                        {match (c.company_id, c.company_name.clone()) {
                                            (Some(id), Some(name)) => {
                                                view! { <a href=format!("/companies/{id}")>{name}</a> }
                                                    .into_any()
                                            }
                                            _ => view! { <span class="muted">"—"</span> }.into_any(),
                                        }}
                                    </td> <td>{c.status.clone()}</td> <td>{c.score.clone()}</td>
                                    <td>{or_dash(c.owner_name.clone())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
