//! "Owner: Any / <user>…" for the lists. It offers the users the viewer can see; someone who
//! sees only their own records gets no choice.

use crate::users::server_fns::list_users;
use leptos::prelude::*;

#[component]
pub fn OwnerFilter(owner: RwSignal<Option<i64>>, on_change: Callback<()>) -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let users = users.await.unwrap_or_default();
                (users.len() > 1)
                    .then(|| {
                        view! {
                            <label>
                                "Owner"
                                <select
                                    name="owner"
                                    data-testid="filter-owner"
                                    on:change=move |ev| {
                                        owner.set(event_target_value(&ev).parse().ok());
                                        on_change.run(());
                                    }
                                >
                                    <option value="">"Any"</option>
                                    {users
                                        .into_iter()
                                        .map(|u| {
                                            view! {
                                                <option
                                                    value=u.id
                                                    selected=move || owner.get() == Some(u.id)
                                                >
                                                    {u.name}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                    })
            })}
        </Suspense>
    }
}
