//! The company list: search as you type, keyset paging ("Next page"), and "New company".

use super::{
    new_form::NewCompanyForm,
    server_fns::{assign_company_owner, list_companies, CreateCompany},
    Company, CompanyFilter,
};
use crate::auth::roles::Permission;
use crate::trash::page::RecentlyDeletedLink;
use crate::{
    auth::pages::Auth,
    ui::{
        bulk_assign::{AssignAction, BulkAssignBar, RowCheckbox, SelectAllCheckbox, Selection},
        debounce::{debounced_input, SEARCH_DEBOUNCE},
        owner_filter::OwnerFilter,
        record_page::{or_dash, RecordProblem},
        Pager,
    },
};
use crate::{calls::channel::RelatedType, ui::PhoneOrDash};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CompaniesPage() -> impl IntoView {
    // `?limit=` sets the page size (1 to 200).
    let query = use_query_map();
    let limit =
        Memo::new(move |_| query.with(|q| q.get("limit").and_then(|l| l.parse::<u32>().ok())));
    let search = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    let owner = RwSignal::new(None::<i64>);
    let filter = Memo::new(move |_| CompanyFilter {
        q: search.get(),
        owner_id: owner.get(),
        cursor: cursor.get(),
        limit: limit.get(),
    });
    let assign: AssignAction =
        Action::new(|(ids, owner): &(Vec<i64>, i64)| assign_company_owner(ids.clone(), *owner));
    let companies = Resource::new(
        move || (filter.get(), assign.version().get()),
        |(filter, _)| list_companies(filter),
    );
    // The selection belongs to the rows on screen: a new search or page starts it afresh.
    let selection = Selection::new();
    Effect::new(move || {
        filter.track();
        selection.clear();
    });
    let auth = expect_context::<Auth>();
    let create = ServerAction::<CreateCompany>::new();
    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            companies.refetch();
        }
    });
    let on_search = debounced_input(SEARCH_DEBOUNCE, move |typed| {
        cursor.set(None);
        search.set(typed);
    });
    view! {
        <Title text="Companies · CRM" />
        <h1>"Companies"</h1>
        <RecentlyDeletedLink kind=crate::trash::RecordKind::Company />
        <form class="grid-form list-filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label>
                "Search"
                <input
                    type="search"
                    name="q"
                    placeholder="Name, domain…"
                    data-testid="company-search"
                    on:input=on_search
                />
            </label>
            <OwnerFilter owner on_change=Callback::new(move |_| cursor.set(None)) />
        </form>
        // Outside the list's Transition, so a refetch after assigning keeps the bar and its message.
        <Suspense>
            {move || Suspend::new(async move {
                let can_manage = auth.can(Permission::ContactsManage).await;
                can_manage.then(|| view! { <BulkAssignBar selection noun="companies" assign /> })
            })}
        </Suspense>
        <Transition fallback=|| {
            view! { <p class="muted">"Loading companies…"</p> }
        }>
            {move || Suspend::new(async move {
                let can_manage = auth.can(Permission::ContactsManage).await;
                let selection = can_manage.then_some(selection);
                match companies.await {
                    Ok(page) => {
                        let next = page.next_cursor.clone();
                        view! {
                            <CompanyTable items=page.items selection />
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
                    .then(|| view! { <NewCompanyForm create /> })
            })}
        </Suspense>
    }
}

#[component]
fn CompanyTable(items: Vec<Company>, selection: Option<Selection>) -> impl IntoView {
    if items.is_empty() {
        return view! {
            <p class="muted" data-testid="no-companies">
                "No companies match."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="list-table" data-testid="companies-table">
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
                            })} <th scope="col">"Name"</th> <th scope="col">"Domain"</th>
                        <th scope="col">"Phone"</th> <th scope="col">"Contacts"</th>
                        <th scope="col">"Owner"</th>
                    </tr>
                </thead>
                <tbody>
                    {items
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr data-testid="company-row">
                                    {selection
                                        .map(|selection| {
                                            view! {
                                                <td class="select-col">
                                                    <RowCheckbox selection id=c.id label=c.name.clone() />
                                                </td>
                                            }
                                        })} <td class="record-name">
                                        <a href=format!("/companies/{}", c.id)>{c.name.clone()}</a>
                                    </td> <td>{or_dash(c.domain.clone())}</td> <td>
                                        <PhoneOrDash
                                            number=c.phone.clone()
                                            related_type=RelatedType::Company
                                            related_id=c.id
                                        />
                                    </td> <td>{c.contact_count}</td>
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
