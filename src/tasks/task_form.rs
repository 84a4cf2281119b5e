//! The fields of a task form, for a new task (on "My tasks" or from a card, its links preset)
//! and for editing or rescheduling one. The due time is typed on the user's own clock and read
//! in their timezone by the server, so the form works the same without JavaScript.

use super::{Task, PRIORITIES};
use crate::{
    error::AppError,
    search::PickKind,
    ui::{
        record_page::{FormField, SelectField},
        Picker,
    },
};
use leptos::prelude::*;

/// What a new task starts linked to: the card it is made from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskPreset {
    pub contact: Option<(i64, String)>,
    pub deal: Option<(i64, String)>,
}

/// Title, due, priority, contact, deal, assignee and notes, named `form[…]`. `task` is the one
/// being edited; a new one starts from `preset`.
#[component]
pub fn TaskFields(
    #[prop(optional)] task: Option<Task>,
    #[prop(optional)] preset: TaskPreset,
    #[prop(into)] error: Signal<Option<AppError>>,
    prefix: &'static str,
) -> impl IntoView {
    let due_id = format!("{prefix}-due_at");
    let due_error_id = format!("{due_id}-error");
    let due_message = move || error.get().and_then(|e| e.field("due_at"));
    let (title, due, priority, notes) = match &task {
        Some(t) => (
            t.title.clone(),
            t.due_local.clone(),
            t.priority.clone(),
            t.notes.clone(),
        ),
        None => Default::default(),
    };
    let priority = if priority.is_empty() {
        "normal".to_string()
    } else {
        priority
    };
    let contact = match &task {
        Some(t) => t
            .contact_id
            .map(|id| (id, t.contact_name.clone().unwrap_or_default())),
        None => preset.contact,
    };
    let deal = match &task {
        Some(t) => t
            .deal_id
            .map(|id| (id, t.deal_title.clone().unwrap_or_default())),
        None => preset.deal,
    };
    let assignee = task
        .as_ref()
        .map(|t| (t.assignee_id, t.assignee_name.clone().unwrap_or_default()));
    let notes_id = format!("{prefix}-notes");
    view! {
        <FormField label="Title" name="title" value=title error prefix />
        <div class="field">
            <label for=due_id.clone()>"Due"</label>
            <input
                id=due_id
                name="form[due_at]"
                type="datetime-local"
                value=due
                aria-invalid=move || due_message().is_some().to_string()
                aria-describedby=due_error_id.clone()
            />
            <p class="field-error" id=due_error_id data-testid=format!("{prefix}-error-due_at")>
                {due_message}
            </p>
        </div>
        <SelectField label="Priority" name="priority" options=&PRIORITIES selected=priority error />
        <Picker
            label="Contact"
            name="contact_id"
            kind=PickKind::Contact
            initial=contact
            error
            prefix
        />
        <Picker label="Deal" name="deal_id" kind=PickKind::Deal initial=deal error prefix />
        <Picker
            label="Assigned to (you when empty)"
            name="assignee_id"
            kind=PickKind::Owner
            initial=assignee
            error
            prefix
        />
        <div class="field">
            <label for=notes_id.clone()>"Notes"</label>
            <textarea id=notes_id name="form[notes]" rows="2">
                {notes}
            </textarea>
        </div>
    }
}
