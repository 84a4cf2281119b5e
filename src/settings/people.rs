//! Settings sections for admins with `users.manage`: the users of the tenant and its teams.

use crate::{
    auth::roles::Role,
    ui::error_text,
    users::server_fns::{
        list_teams, list_users, CreateTeam, CreateUser, SetUserActive, UpdateUser,
    },
    validation::PASSWORD_RULE,
};
use leptos::prelude::*;

#[component]
fn RoleOptions(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|role| {
            view! {
                <option value=role.as_str() selected=role == selected>
                    {role.label()}
                </option>
            }
        })
        .collect_view()
}

#[component]
pub fn UsersSection() -> impl IntoView {
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
            <Transition fallback=|| {
                view! { <p class="muted">"Loading users…"</p> }
            }>
                {move || Suspend::new(async move {
                    let teams = teams.await.unwrap_or_default();
                    let users = users.await.unwrap_or_default();
                    view! {
                        <table class="table" data-testid="users-table">
                            <thead>
                                <tr>
                                    <th>"Name"</th>
                                    <th>"Email"</th>
                                    <th>"Role and team"</th>
                                    <th>"Status"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {users
                                    .into_iter()
                                    .map(|u| {
                                        let teams = teams.clone();
                                        view! {
                                            <tr data-testid="user-row">
                                                <td>{u.name.clone()}</td>
                                                <td>{u.email.clone()}</td>
                                                <td>
                                                    <ActionForm action=update attr:class="inline-form">
                                                        <input type="hidden" name="user_id" value=u.id />
                                                        <select name="role" aria-label="Role">
                                                            <RoleOptions selected=u.role />
                                                        </select>
                                                        <select name="team_id" aria-label="Team">
                                                            <option value="" selected=u.team_id.is_none()>
                                                                "No team"
                                                            </option>
                                                            {teams
                                                                .into_iter()
                                                                .map(|t| {
                                                                    view! {
                                                                        <option value=t.id selected=u.team_id == Some(t.id)>
                                                                            {t.name}
                                                                        </option>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                        <button type="submit" class="button small">
                                                            "Save"
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                                <td>
                                                    <ActionForm action=set_active attr:class="inline-form">
                                                        <input type="hidden" name="user_id" value=u.id />
                                                        <input
                                                            type="hidden"
                                                            name="active"
                                                            value=(!u.is_active).to_string()
                                                        />
                                                        <span>
                                                            {if u.is_active { "Active" } else { "Deactivated" }}
                                                        </span>
                                                        <button type="submit" class="link-button">
                                                            {if u.is_active { "Deactivate" } else { "Reactivate" }}
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
            </Transition>
            <p class="error" role="alert">
                {row_error}
            </p>

            <h3>"Add a user"</h3>
            <ActionForm action=create attr:class="grid-form" attr:novalidate=true>
                <label>"Name" <input name="name" required /></label>
                <label>"Email" <input name="email" type="email" required /></label>
                <label>
                    "Role" <select name="role">
                        <RoleOptions selected=Role::SalesAgent />
                    </select>
                </label>
                <label>
                    "Team" <select name="team_id">
                        <option value="">"No team"</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                teams
                                    .await
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|t| view! { <option value=t.id>{t.name}</option> })
                                    .collect_view()
                            })}
                        </Transition>
                    </select>
                </label>
                <label>
                    "Temporary password"
                    <input name="temporary_password" type="text" autocomplete="off" required />
                    <span class="hint">{PASSWORD_RULE}</span>
                </label>
                <button type="submit" class="button">
                    "Add user"
                </button>
            </ActionForm>
            <p class="error" role="alert" data-testid="create-user-error">
                {move || error_text(create.value().get())}
            </p>
        </section>
    }
}

#[component]
pub fn TeamsSection() -> impl IntoView {
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
                        view! {
                            <ul>
                                {teams
                                    .into_iter()
                                    .map(|t| view! { <li>{t.name}</li> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                })}
            </Transition>
            <ActionForm action=create attr:class="inline-form">
                <label>"New team " <input name="name" required /></label>
                <button type="submit" class="button small">
                    "Add team"
                </button>
            </ActionForm>
            <p class="error" role="alert">
                {move || error_text(create.value().get())}
            </p>
        </section>
    }
}
