//! "New deal" on a contact or company card: title, amount and expected close, linked to the card
//! it is made from (the pickers can change that). It starts in the default pipeline's first
//! stage, like a deal added on the board without a column.

use super::server_fns::CreateDeal;
use crate::{
    search::PickKind,
    ui::{
        record_page::{form_message, AddedLink, FormField},
        Picker,
    },
};
use leptos::prelude::*;

#[component]
pub fn NewDealPanel(
    /// The contact the deal starts linked to: its id and name.
    #[prop(default = None)]
    contact: Option<(i64, String)>,
    #[prop(default = None)] company: Option<(i64, String)>,
) -> impl IntoView {
    let create = ServerAction::<CreateDeal>::new();
    let open = RwSignal::new(false);
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            open.set(false);
        }
    });
    let created = move || match create.value().get() {
        Some(Ok(d)) => Some(
            view! { <AddedLink href=format!("/deals/{}", d.id) name=d.title testid="deal-created" /> },
        ),
        _ => None,
    };
    let links = StoredValue::new((contact, company));
    view! {
        <div class="new-deal" data-testid="new-deal-panel">
            <button
                type="button"
                class="button small"
                data-testid="new-deal-from-card"
                hidden=move || open.get()
                on:click=move |_| {
                    create.value().set(None);
                    open.set(true);
                }
            >
                "New deal"
            </button>
            {created}
            <Show when=move || open.get()>
                <ActionForm
                    action=create
                    attr:class="edit-form"
                    attr:novalidate=true
                    attr:data-testid="card-new-deal"
                >
                    <FormField label="Title" name="title" value="" error prefix="deal" />
                    <FormField label="Amount" name="amount" value="" error prefix="deal" />
                    <FormField
                        label="Expected close"
                        name="expected_close_on"
                        kind="date"
                        value=""
                        error
                        prefix="deal"
                    />
                    <Picker
                        label="Contact"
                        name="contact_id"
                        kind=PickKind::Contact
                        initial=links.get_value().0
                        error
                        prefix="deal"
                        creatable=true
                    />
                    <Picker
                        label="Company"
                        name="company_id"
                        kind=PickKind::Company
                        initial=links.get_value().1
                        error
                        prefix="deal"
                        creatable=true
                    />
                    <p class="error" role="alert">
                        {form_message(error)}
                    </p>
                    <div class="form-actions">
                        <button type="submit" class="button" disabled=create.pending()>
                            "Add deal"
                        </button>
                        <button
                            type="button"
                            class="button secondary"
                            on:click=move |_| open.set(false)
                        >
                            "Cancel"
                        </button>
                    </div>
                </ActionForm>
            </Show>
        </div>
    }
}
