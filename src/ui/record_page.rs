//! Pieces the record cards share: the id from the URL, the "not found" answer (with a real 404)
//! and form fields that show the server's message for them.

use crate::{
    auth::{pages::Auth, SessionUser},
    error::AppError,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The `:id` of the route; `None` when it is not a number (which is then simply not found).
pub fn record_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())))
}

/// The record the route's `:id` names, loaded by `get` (a server function). Every card opens
/// this way, so an id that is not a number is simply not found, like an unknown one.
pub fn load_record<T, Fut>(
    get: impl Fn(i64) -> Fut + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    T: Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let id = record_id();
    Resource::new(
        move || id.get(),
        move |id| {
            let loading = id.map(&get);
            async move {
                match loading {
                    Some(loading) => loading.await,
                    None => Err(AppError::NotFound),
                }
            }
        },
    )
}

/// A record's card page: loads the record the route's `:id` names with `get`, says "Loading…"
/// meanwhile, then shows it with `show` (given the signed-in user, for what they may do) or
/// the not-found answer.
#[component]
pub fn RecordCard<T, Fut>(
    get: fn(i64) -> Fut,
    show: fn(T, Option<SessionUser>) -> AnyView,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let auth = expect_context::<Auth>();
    let record = load_record(get);
    view! {
        <Suspense fallback=|| {
            view! { <p class="muted">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let user = auth.user.await.ok().flatten();
                match record.await {
                    Ok(record) => show(record, user),
                    Err(error) => view! { <RecordProblem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A card's record as a signal its views edit in place, and the page title, which follows the
/// record's `name`.
///
/// The title reads its own handle on the signal (an `ArcRwSignal`), not the card's arena-backed
/// `RwSignal`: leptos_meta reads the title after the page has streamed, on whichever worker
/// thread, when the card's owner may already be gone. Read through the arena there, the title
/// panicked ("already disposed" / "no Arena is active") and cut the response off under load.
pub fn record_with_title<T: Send + Sync + 'static>(
    record: T,
    name: fn(&T) -> String,
) -> (RwSignal<T>, impl IntoView) {
    let shared = ArcRwSignal::new(record);
    let record = RwSignal::from(shared.clone());
    let title = view! { <Title text=move || format!("{} · CRM", shared.with(name)) /> };
    (record, title)
}

/// Inline editing of a card's record: whether the form is open, the save's error and the
/// "Edit" handler. A successful save replaces the record and closes the form.
pub fn inline_edit<S, T>(
    record: RwSignal<T>,
    update: ServerAction<S>,
) -> (RwSignal<bool>, Signal<Option<AppError>>, Callback<()>)
where
    S: ServerFn<Output = T, Error = AppError> + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    let editing = RwSignal::new(false);
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    Effect::new(move || {
        if let Some(Ok(saved)) = update.value().get() {
            record.set(saved);
            editing.set(false);
        }
    });
    let start_edit = Callback::new(move |()| {
        update.value().set(None);
        editing.set(true);
    });
    (editing, error, start_edit)
}

/// An edit form's "Save" (disabled while saving) and "Cancel" (closes the form).
#[component]
pub fn SaveOrCancel(#[prop(into)] saving: Signal<bool>, editing: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="form-actions">
            <button type="submit" class="button" disabled=saving>
                "Save"
            </button>
            <button type="button" class="button secondary" on:click=move |_| editing.set(false)>
                "Cancel"
            </button>
        </div>
    }
}

/// The line a "New …" form shows once it has saved: a link to the record it made.
#[component]
pub fn AddedLink(href: String, name: String, testid: &'static str) -> impl IntoView {
    view! {
        <p class="success" role="status" data-testid=testid>
            "Added "
            <a href=href>{name}</a>
            "."
        </p>
    }
}

/// A card's heading and, for those who may edit, its "Edit" button, hidden while editing.
#[component]
pub fn CardHead(
    #[prop(into)] title: Signal<String>,
    can_edit: bool,
    editing: RwSignal<bool>,
    on_edit: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="card-head">
            <h1>{title}</h1>
            {can_edit
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button small"
                            data-testid="edit"
                            hidden=move || editing.get()
                            on:click=move |_| on_edit.run(())
                        >
                            "Edit"
                        </button>
                    }
                })}
        </div>
    }
}

/// Sets a 404 status on the server-rendered page.
fn not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
}

/// What a card shows when its record cannot be loaded. Records of other tenants or outside the
/// user's scope are "not found" too, so their existence does not leak.
#[component]
pub fn RecordProblem(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => {
            not_found_status();
            view! {
                <Title text="Not found · CRM" />
                <h1 data-testid="not-found">"Not found"</h1>
                <p>
                    "There is no such record, or it is not yours to see. "
                    <a href="/">"Go to the start page"</a> "."
                </p>
            }
            .into_any()
        }
        AppError::Unauthorized => {
            view! { <p>"Please " <a href="/login">"sign in"</a> " first."</p> }.into_any()
        }
        e => view! {
            <p class="error" role="alert">
                {e.to_string()}
            </p>
        }
        .into_any(),
    }
}

/// `Some(7)` → `"7"`, for hidden form fields that keep a link as it is.
pub fn id_value(id: Option<i64>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// A text for the details list; blank and missing values show as a dash.
pub fn or_dash(value: Option<String>) -> String {
    value
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "—".into())
}

/// A labelled input named `form[name]`, with the server's message for it underneath. The value
/// is only the initial one: after a failed save the input keeps what the user typed.
#[component]
pub fn FormField(
    label: &'static str,
    name: &'static str,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "edit")] prefix: &'static str,
) -> impl IntoView {
    let id = format!("{prefix}-{name}");
    let error_id = format!("{id}-error");
    let message = move || error.get().and_then(|e| e.field(name));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=format!("form[{name}]")
                type=kind
                value=value
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            <p class="field-error" id=error_id data-testid=format!("{prefix}-error-{name}")>
                {message}
            </p>
        </div>
    }
}

/// A `<select>` over fixed choices, named `form[name]`.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    options: &'static [&'static str],
    #[prop(into)] selected: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("edit-{name}");
    let message = move || error.get().and_then(|e| e.field(name));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=format!("form[{name}]")>
                {options
                    .iter()
                    .map(|o| {
                        view! {
                            <option value=*o selected=*o == selected>
                                {*o}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" data-testid=format!("edit-error-{name}")>
                {message}
            </p>
        </div>
    }
}

/// The error line under a form: the overall message (fields get theirs next to them).
pub fn form_message(error: Signal<Option<AppError>>) -> impl Fn() -> Option<String> + Copy {
    move || error.get().map(|e| e.to_string())
}

/// The foot of a settings form: its error line, Save (off while saving) and what saving said.
/// `testid` names the form: `{testid}-error` and `{testid}-saved`.
#[component]
pub fn SaveFoot(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] saved: Signal<Option<&'static str>>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <p class="error" role="alert" data-testid=format!("{testid}-error")>
            {form_message(error)}
        </p>
        <div class="form-actions">
            <button type="submit" class="button" disabled=move || pending.get()>
                "Save"
            </button>
            <span role="status" data-testid=format!("{testid}-saved")>
                {move || saved.get()}
            </span>
        </div>
    }
}
