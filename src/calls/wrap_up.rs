//! The wrap-up dialog the console forces after every call: a disposition (the default one
//! preselected) and a note when the disposition asks for one. It cannot be dismissed; the next
//! call waits until it is saved.

use super::Call;
use crate::dispositions::Disposition;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn WrapUpDialog(
    call: Call,
    dispositions: Vec<Disposition>,
    /// Sends the disposition id and the note; the answer's field errors show in place.
    save: Callback<(String, String)>,
    error: RwSignal<Option<AppError>>,
    saving: RwSignal<bool>,
) -> impl IntoView {
    let default = dispositions
        .iter()
        .find(|d| d.is_default)
        .map(|d| d.id.to_string())
        .unwrap_or_default();
    let chosen = RwSignal::new(default);
    let notes = RwSignal::new(String::new());
    let dispositions = StoredValue::new(dispositions);
    let needs_note = move || {
        let chosen = chosen.get();
        dispositions.with_value(|all| {
            all.iter()
                .any(|d| d.id.to_string() == chosen && d.requires_note)
        })
    };
    let field_error = move |field: &'static str| {
        error.with(|e| match e {
            Some(AppError::Validation { fields, .. }) => fields.get(field).cloned(),
            _ => None,
        })
    };
    let other_error = move || {
        error.with(|e| match e {
            Some(AppError::Validation { .. }) | None => None,
            Some(e) => Some(e.to_string()),
        })
    };
    let outcome = call.state.as_str().replace('_', " ");
    view! {
        <div class="modal-backdrop">
            <div
                class="modal panel"
                role="dialog"
                aria-modal="true"
                aria-labelledby="wrap-up-title"
                data-testid="wrap-up"
            >
                <h2 id="wrap-up-title">"Wrap up the call"</h2>
                <p class="muted">
                    {call.their_number().to_string()} " · " {outcome}
                    {call.duration_seconds.map(|d| format!(" · {}", crate::ui::format::clock(d)))}
                </p>
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    save.run((chosen.get_untracked(), notes.get_untracked()));
                }>
                    <label for="wrap-up-disposition">"Disposition"</label>
                    <select
                        id="wrap-up-disposition"
                        name="disposition_id"
                        on:change=move |ev| chosen.set(event_target_value(&ev))
                        prop:value=move || chosen.get()
                    >
                        {dispositions
                            .with_value(|all| {
                                all.iter()
                                    .map(|d| {
                                        let id = d.id.to_string();
                                        view! {
                                            <option
                                                value=id.clone()
                                                selected=move || chosen.get() == id
                                            >
                                                {d.name.clone()}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            })}
                    </select>
                    <p class="field-error" role="alert">
                        {move || field_error("disposition_id")}
                    </p>
                    <label for="wrap-up-notes">
                        "Note" {move || if needs_note() { " (required)" } else { " (optional)" }}
                    </label>
                    <textarea
                        id="wrap-up-notes"
                        name="notes"
                        rows="4"
                        on:input=move |ev| notes.set(event_target_value(&ev))
                        prop:value=move || notes.get()
                    ></textarea>
                    <p class="field-error" role="alert">
                        {move || field_error("notes")}
                    </p>
                    <p class="error" role="alert">
                        {other_error}
                    </p>
                    <button type="submit" class="button" disabled=move || saving.get()>
                        "Save wrap-up"
                    </button>
                </form>
            </div>
        </div>
    }
}
