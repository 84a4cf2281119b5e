//! The settings page composing the sections the signed-in user may see.

use super::{
    audit_log::AuditLogSection,
    calling::CallingSection,
    dispositions::DispositionsSection,
    people::{TeamsSection, UsersSection},
    permissions::PermissionsSection,
    pipelines::PipelinesSection,
};
use crate::auth::pages::Auth;
use leptos::prelude::*;
use leptos_meta::Title;

/// Sets a 403 status on the server-rendered page.
fn forbidden_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::FORBIDDEN);
    }
}

/// The permissions that open at least one section.
const ANY_SECTION: [&str; 3] = ["users.manage", "settings.manage", "audit.view"];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Title text="Settings · CRM" />
        <h1>"Settings"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) if ANY_SECTION.iter().any(|p| user.can(p)) => {
                        view! {
                            {user.can("users.manage").then(|| view! { <UsersSection /> <TeamsSection /> })}
                            {user.can("settings.manage").then(|| view! {
                                <PermissionsSection />
                                <PipelinesSection />
                                <DispositionsSection />
                                <CallingSection />
                            })}
                            {user.can("audit.view").then(|| view! { <AuditLogSection /> })}
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
