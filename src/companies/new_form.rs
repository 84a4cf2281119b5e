//! "New company" on the companies list: name, domain and phone; the rest is edited on its card.

use super::server_fns::CreateCompany;
use crate::ui::record_page::{form_message, AddedLink, FormField};
use leptos::prelude::*;

#[component]
pub fn NewCompanyForm(create: ServerAction<CreateCompany>) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = move || match create.value().get() {
        Some(Ok(c)) => Some(
            view! { <AddedLink href=format!("/companies/{}", c.id) name=c.name testid="company-created" /> },
        ),
        _ => None,
    };
    view! {
        <section class="panel" aria-labelledby="new-company-title">
            <h2 id="new-company-title">"New company"</h2>
            {created}
            <ActionForm
                action=create
                attr:class="edit-form"
                attr:novalidate=true
                attr:data-testid="new-company"
            >
                <FormField label="Name" name="name" value="" error prefix="company" />
                <FormField label="Domain" name="domain" value="" error prefix="company" />
                <FormField label="Phone" name="phone" kind="tel" value="" error prefix="company" />
                <p class="error" role="alert" data-testid="company-form-error">
                    {form_message(error)}
                </p>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || create.pending().get()>
                        "Add company"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
