//! The account page: change your own password, your preferences, and your API tokens.

use super::{preferences_panel::PreferencesPanel, server_fns::ChangeOwnPassword};
use crate::{
    api_tokens::panel::ApiTokensPanel,
    auth::{pages::Auth, roles::Permission},
    notifications::mute_panel::MutePanel,
    ui::error_text,
    validation::PASSWORD_RULE,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let change = ServerAction::<ChangeOwnPassword>::new();
    let done = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <Title text="Account · CRM" />
        <section class="auth-card">
            <h1>"Change your password"</h1>
            <ActionForm action=change attr:novalidate=true>
                <div class="field">
                    <label for="current_password">"Current password"</label>
                    <input
                        id="current_password"
                        name="current_password"
                        type="password"
                        autocomplete="current-password"
                    />
                </div>
                <div class="field">
                    <label for="new_password">"New password"</label>
                    <input
                        id="new_password"
                        name="new_password"
                        type="password"
                        autocomplete="new-password"
                    />
                    <p class="hint">{PASSWORD_RULE}</p>
                </div>
                <p class="error" role="alert">
                    {move || error_text(change.value().get())}
                </p>
                <p class="success" role="status">
                    {move || done().then_some("Password changed.")}
                </p>
                <button type="submit" class="button">
                    "Change password"
                </button>
            </ActionForm>
        </section>
        <PreferencesPanel />
        <MutePanel />
        // Only roles that may make tokens see the panel; the server checks it too.
        <Suspense>
            {move || Suspend::new(async move {
                let may = auth.can(Permission::ApiTokensManage).await;
                may.then(|| view! { <ApiTokensPanel /> })
            })}
        </Suspense>
    }
}
