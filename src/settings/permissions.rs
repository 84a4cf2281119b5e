//! The role permission matrix (`settings.manage`): one checkbox per role and permission.

use crate::{
    auth::{
        permission_matrix::{load_permission_matrix, SetRolePermission, ADMIN_KEEPS},
        roles::Role,
    },
    ui::error_text,
};
use leptos::prelude::*;

#[component]
pub fn PermissionsSection() -> impl IntoView {
    let set = ServerAction::<SetRolePermission>::new();
    let matrix = Resource::new(move || set.version().get(), |_| load_permission_matrix());
    view! {
        <section class="panel" aria-labelledby="permissions-title">
            <h2 id="permissions-title">"Role permissions"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(matrix) = matrix.await else {
                        return view! { <p class="error">"Could not load the permissions."</p> }
                            .into_any();
                    };
                    view! {
                        <div class="table-scroll">
                            <table class="table matrix">
                                <thead>
                                    <tr>
                                        <th>"Permission"</th>
                                        {Role::ALL
                                            .into_iter()
                                            .map(|r| view! { <th>{r.label()}</th> })
                                            .collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {matrix
                                        .permissions
                                        .iter()
                                        .copied()
                                        .map(|permission| {
                                            let matrix = matrix.clone();
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        <code>{permission.as_str()}</code>
                                                        <br />
                                                        <small>{permission.description()}</small>
                                                    </th>
                                                    {Role::ALL
                                                        .into_iter()
                                                        .map(|role| {
                                                            let granted = matrix.is_granted(role, permission);
                                                            let locked = role == Role::TenantAdmin
                                                                && ADMIN_KEEPS.contains(&permission);
                                                            view! {
                                                                <td>
                                                                    <input
                                                                        type="checkbox"
                                                                        aria-label=format!("{} may {}", role.label(), permission)
                                                                        checked=granted
                                                                        disabled=locked
                                                                        on:change=move |_| {
                                                                            set.dispatch(SetRolePermission {
                                                                                role: role.into(),
                                                                                permission: permission.into(),
                                                                                granted: !granted,
                                                                            });
                                                                        }
                                                                    />
                                                                </td>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                })}
            </Transition>
            <p class="error" role="alert">
                {move || error_text(set.value().get())}
            </p>
        </section>
    }
}
