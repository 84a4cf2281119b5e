//! Settings for admins (users, teams, role permissions) and the account page (own password).

use super::server_fns::{
    list_teams, list_users, ChangeOwnPassword, CreateTeam, CreateUser, SetUserActive, UpdateUser,
};
use crate::{
    api_tokens::panel::ApiTokensPanel,
    auth::{
        pages::Auth,
        permission_matrix::{load_permission_matrix, SetRolePermission, ADMIN_KEEPS},
        roles::Role,
    },
    ui::error_text,
    validation::PASSWORD_RULE,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Sets a 403 status on the server-rendered page.
fn forbidden_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::FORBIDDEN);
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Title text="Settings · CRM" />
        <h1>"Settings"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) if user.can("users.manage") || user.can("settings.manage") => {
                        view! {
                            {user.can("users.manage").then(|| view! { <UsersSection /> <TeamsSection /> })}
                            {user.can("settings.manage").then(|| view! { <PermissionsSection /> })}
                        }
                        .into_any()
                    }
                    Ok(Some(_)) => {
                        forbidden_status();
                        view! {
                            <p class="error" role="alert" data-testid="settings-forbidden">
                                "You do not have permission to open settings."
                            </p>
                        }
                        .into_any()
                    }
                    _ => view! { <p>"Please " <a href="/login">"sign in"</a> " first."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoleOptions(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str() selected=role == selected>{role.label()}</option> })
        .collect_view()
}

#[component]
fn UsersSection() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let update = ServerAction::<UpdateUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                update.version().get(),
                set_active.version().get(),
            )
        },
        |_| list_users(),
    );
    let teams = Resource::new(move || create.version().get(), |_| list_teams());
    let row_error =
        move || error_text(update.value().get()).or_else(|| error_text(set_active.value().get()));

    view! {
        <section class="panel" aria-labelledby="users-title">
            <h2 id="users-title">"Users"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading users…"</p> }>
                {move || Suspend::new(async move {
                    let teams = teams.await.unwrap_or_default();
                    let users = users.await.unwrap_or_default();
                    view! {
                        <table class="table" data-testid="users-table">
                            <thead>
                                <tr><th>"Name"</th><th>"Email"</th><th>"Role and team"</th><th>"Status"</th></tr>
                            </thead>
                            <tbody>
                                {users.into_iter().map(|u| {
                                    let teams = teams.clone();
                                    view! {
                                        <tr data-testid="user-row">
                                            <td>{u.name.clone()}</td>
                                            <td>{u.email.clone()}</td>
                                            <td>
                                                <ActionForm action=update attr:class="inline-form">
                                                    <input type="hidden" name="user_id" value=u.id />
                                                    <select name="role" aria-label="Role"><RoleOptions selected=u.role /></select>
                                                    <select name="team_id" aria-label="Team">
                                                        <option value="" selected=u.team_id.is_none()>"No team"</option>
                                                        {teams.into_iter().map(|t| view! {
                                                            <option value=t.id selected=u.team_id == Some(t.id)>{t.name}</option>
                                                        }).collect_view()}
                                                    </select>
                                                    <button type="submit" class="button small">"Save"</button>
                                                </ActionForm>
                                            </td>
                                            <td>
                                                <ActionForm action=set_active attr:class="inline-form">
                                                    <input type="hidden" name="user_id" value=u.id />
                                                    <input type="hidden" name="active" value=(!u.is_active).to_string() />
                                                    <span>{if u.is_active { "Active" } else { "Deactivated" }}</span>
                                                    <button type="submit" class="link-button">
                                                        {if u.is_active { "Deactivate" } else { "Reactivate" }}
                                                    </button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                })}
            </Transition>
            <p class="error" role="alert">{row_error}</p>

            <h3>"Add a user"</h3>
            <ActionForm action=create attr:class="grid-form" attr:novalidate=true>
                <label>"Name" <input name="name" required /></label>
                <label>"Email" <input name="email" type="email" required /></label>
                <label>"Role" <select name="role"><RoleOptions selected=Role::SalesAgent /></select></label>
                <label>"Team"
                    <select name="team_id">
                        <option value="">"No team"</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                teams.await.unwrap_or_default().into_iter().map(|t| view! {
                                    <option value=t.id>{t.name}</option>
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                </label>
                <label>"Temporary password"
                    <input name="temporary_password" type="text" autocomplete="off" required />
                    <span class="hint">{PASSWORD_RULE}</span>
                </label>
                <button type="submit" class="button">"Add user"</button>
            </ActionForm>
            <p class="error" role="alert" data-testid="create-user-error">{move || error_text(create.value().get())}</p>
        </section>
    }
}

#[component]
fn TeamsSection() -> impl IntoView {
    let create = ServerAction::<CreateTeam>::new();
    let teams = Resource::new(move || create.version().get(), |_| list_teams());
    view! {
        <section class="panel" aria-labelledby="teams-title">
            <h2 id="teams-title">"Teams"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let teams = teams.await.unwrap_or_default();
                    if teams.is_empty() {
                        view! { <p class="muted">"No teams yet."</p> }.into_any()
                    } else {
                        view! { <ul>{teams.into_iter().map(|t| view! { <li>{t.name}</li> }).collect_view()}</ul> }.into_any()
                    }
                })}
            </Transition>
            <ActionForm action=create attr:class="inline-form">
                <label>"New team " <input name="name" required /></label>
                <button type="submit" class="button small">"Add team"</button>
            </ActionForm>
            <p class="error" role="alert">{move || error_text(create.value().get())}</p>
        </section>
    }
}

#[component]
fn PermissionsSection() -> impl IntoView {
    let set = ServerAction::<SetRolePermission>::new();
    let matrix = Resource::new(move || set.version().get(), |_| load_permission_matrix());
    view! {
        <section class="panel" aria-labelledby="permissions-title">
            <h2 id="permissions-title">"Role permissions"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(matrix) = matrix.await else {
                        return view! { <p class="error">"Could not load the permissions."</p> }.into_any();
                    };
                    view! {
                        <div class="table-scroll">
                            <table class="table matrix">
                                <thead>
                                    <tr>
                                        <th>"Permission"</th>
                                        {Role::ALL.into_iter().map(|r| view! { <th>{r.label()}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {matrix.permissions.clone().into_iter().map(|permission| {
                                        let matrix = matrix.clone();
                                        view! {
                                            <tr>
                                                <th scope="row"><code>{permission.clone()}</code></th>
                                                {Role::ALL.into_iter().map(|role| {
                                                    let granted = matrix.is_granted(role, &permission);
                                                    let locked = role == Role::TenantAdmin && ADMIN_KEEPS.contains(&permission.as_str());
                                                    let permission = permission.clone();
                                                    view! {
                                                        <td>
                                                            <input
                                                                type="checkbox"
                                                                aria-label=format!("{} may {}", role.label(), permission)
                                                                checked=granted
                                                                disabled=locked
                                                                on:change=move |_| {
                                                                    set.dispatch(SetRolePermission {
                                                                        role: role.as_str().to_string(),
                                                                        permission: permission.clone(),
                                                                        granted: !granted,
                                                                    });
                                                                }
                                                            />
                                                        </td>
                                                    }
                                                }).collect_view()}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                })}
            </Transition>
            <p class="error" role="alert">{move || error_text(set.value().get())}</p>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangeOwnPassword>::new();
    let done = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <Title text="Account · CRM" />
        <section class="auth-card">
            <h1>"Change your password"</h1>
            <ActionForm action=change attr:novalidate=true>
                <div class="field">
                    <label for="current_password">"Current password"</label>
                    <input id="current_password" name="current_password" type="password" autocomplete="current-password" />
                </div>
                <div class="field">
                    <label for="new_password">"New password"</label>
                    <input id="new_password" name="new_password" type="password" autocomplete="new-password" />
                    <p class="hint">{PASSWORD_RULE}</p>
                </div>
                <p class="error" role="alert">{move || error_text(change.value().get())}</p>
                <p class="success" role="status">{move || done().then_some("Password changed.")}</p>
                <button type="submit" class="button">"Change password"</button>
            </ActionForm>
        </section>
        <ApiTokensPanel />
    }
}
