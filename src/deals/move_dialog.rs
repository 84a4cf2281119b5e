//! The dialog a move into a stage with rules opens: it asks for the note and/or the follow-up
//! date the stage requires. Cancelling leaves the card where it was.

use super::Stage;
use leptos::prelude::*;

/// What the dialog hands back on confirm.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageInput {
    pub note: String,
    pub followup_on: String,
}

#[component]
pub fn MoveDialog(
    stage: Stage,
    deal_title: String,
    on_confirm: Callback<StageInput>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let followup_on = RwSignal::new(String::new());
    let missing = RwSignal::new(None::<&'static str>);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = StageInput {
            note: note.get_untracked(),
            followup_on: followup_on.get_untracked(),
        };
        if stage.requires_note && input.note.trim().is_empty() {
            missing.set(Some("Please write a note."));
        } else if stage.requires_followup_date && input.followup_on.is_empty() {
            missing.set(Some("Please choose a follow-up date."));
        } else {
            on_confirm.run(input);
        }
    };
    let title = format!("Move “{deal_title}” to {}", stage.name);
    view! {
        <div class="modal-backdrop">
            <form
                class="modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="move-dialog-title"
                data-testid="move-dialog"
                on:submit=confirm
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        on_cancel.run(())
                    }
                }
            >
                <h2 id="move-dialog-title">{title}</h2>
                {stage
                    .requires_note
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for="move-note">"Note (required)"</label>
                                <textarea
                                    id="move-note"
                                    rows="3"
                                    autofocus
                                    on:input=move |ev| note.set(event_target_value(&ev))
                                ></textarea>
                            </div>
                        }
                    })}
                {stage
                    .requires_followup_date
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for="move-followup">"Follow-up date (required)"</label>
                                <input
                                    id="move-followup"
                                    type="date"
                                    on:input=move |ev| followup_on.set(event_target_value(&ev))
                                />
                            </div>
                        }
                    })}
                <p class="error" role="alert">
                    {move || missing.get()}
                </p>
                <div class="actions">
                    <button type="submit" class="button">
                        "Move"
                    </button>
                    <button type="button" class="link-button" on:click=move |_| on_cancel.run(())>
                        "Cancel"
                    </button>
                </div>
            </form>
        </div>
    }
}
