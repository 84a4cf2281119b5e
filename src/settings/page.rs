//! The settings page composing the sections the signed-in user may see.

use super::{
    audit_log::AuditLogSection,
    calling::CallingSection,
    company::CompanySection,
    dispositions::DispositionsSection,
    jobs::JobsSection,
    pbx_token::PbxTokenSection,
    people::{TeamsSection, UsersSection},
    permissions::PermissionsSection,
    pipelines::PipelinesSection,
    status_rules::StatusRulesSection,
};
use crate::auth::pages::Auth;
use crate::auth::roles::Permission;
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
const ANY_SECTION: [Permission; 3] = [
    Permission::UsersManage,
    Permission::SettingsManage,
    Permission::AuditView,
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Title text="Settings · CRM" />
        <h1>"Settings"</h1>
        <Suspense fallback=|| {
            view! { <p class="muted">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) if ANY_SECTION.into_iter().any(|p| user.can(p)) => {
                        view! {
                            {user
                                .can(Permission::UsersManage)
                                .then(|| {
                                    view! {
                                        <UsersSection />
                                        <TeamsSection />
                                    }
                                })}
                            {user
                                .can(Permission::SettingsManage)
                                .then(|| {
                                    view! {
                                        <CompanySection />
                                        <PermissionsSection />
                                        <PipelinesSection />
                                        <StatusRulesSection />
                                        <DispositionsSection />
                                        <CallingSection />
                                        <PbxTokenSection />
                                        <JobsSection />
                                    }
                                })}
                            {user.can(Permission::AuditView).then(|| view! { <AuditLogSection /> })}
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
                    _ => {
                        view! { <p>"Please " <a href="/login">"sign in"</a> " first."</p> }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
