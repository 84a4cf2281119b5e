//! The company (`settings.manage`): its name, the timezone its days are counted in (follow-up
//! dates, "today" on the task list) and the currency new deals start in.

use crate::{
    tenancy::server_fns::{load_tenant_settings, UpdateTenantSettings},
    ui::record_page::{FormField, SaveFoot},
};
use leptos::prelude::*;

#[component]
pub fn CompanySection() -> impl IntoView {
    let save = ServerAction::<UpdateTenantSettings>::new();
    let current = Resource::new(|| (), |_| load_tenant_settings());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = move || matches!(save.value().get(), Some(Ok(_))).then_some("Saved.");
    view! {
        <section class="panel" aria-labelledby="company-title" data-testid="settings-company">
            <h2 id="company-title">"Company"</h2>
            <Suspense fallback=|| {
                view! { <p class="muted">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match current.await {
                        Ok(settings) => {
                            view! {
                                <ActionForm action=save attr:class="edit-form" attr:novalidate=true>
                                    <FormField
                                        label="Company name"
                                        name="name"
                                        value=settings.name
                                        error
                                        prefix="company"
                                    />
                                    <FormField
                                        label="Timezone (IANA name, e.g. Europe/Berlin)"
                                        name="timezone"
                                        value=settings.timezone
                                        error
                                        prefix="company"
                                    />
                                    <FormField
                                        label="Default currency (EUR, USD, GBP…)"
                                        name="default_currency"
                                        value=settings.default_currency
                                        error
                                        prefix="company"
                                    />
                                    <SaveFoot
                                        error
                                        pending=save.pending()
                                        saved=Signal::derive(saved)
                                        testid="company"
                                    />
                                </ActionForm>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
