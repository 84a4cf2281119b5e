//! Keyset paging's two buttons under a list: "First page" once past it, "Next page" while the
//! server returned a cursor for one.

use leptos::prelude::*;

#[component]
pub fn Pager(cursor: RwSignal<Option<String>>, next: Option<String>) -> impl IntoView {
    view! {
        <div class="form-actions pager">
            {move || {
                cursor
                    .get()
                    .is_some()
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button secondary"
                                data-testid="first-page"
                                on:click=move |_| cursor.set(None)
                            >
                                "First page"
                            </button>
                        }
                    })
            }}
            {next
                .map(|next| {
                    view! {
                        <button
                            type="button"
                            class="button"
                            data-testid="next-page"
                            on:click=move |_| cursor.set(Some(next.clone()))
                        >
                            "Next page"
                        </button>
                    }
                })}
        </div>
    }
}
