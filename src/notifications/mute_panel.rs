//! "Notifications" on the account page: one checkbox per kind; unticked kinds are not written
//! for you at all (so they are not counted or pushed either).

use super::{
    server_fns::{load_notification_kinds, set_notification_muted},
    KindSetting,
};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn MutePanel() -> impl IntoView {
    let kinds = Resource::new(|| (), |_| load_notification_kinds());
    let problem = RwSignal::new(None::<String>);
    view! {
        <section class="auth-card" data-testid="notification-kinds">
            <h2>"Notifications"</h2>
            <p class="hint">"Tell me when…"</p>
            <Suspense fallback=|| {
                view! { <p class="muted">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    kinds
                        .await
                        .map(|kinds| {
                            kinds
                                .into_iter()
                                .map(|setting| view! { <KindToggle setting problem /> })
                                .collect_view()
                        })
                        .map_err(|e| e.to_string())
                })}
            </Suspense>
            <p class="error" role="alert">
                {move || problem.get()}
            </p>
        </section>
    }
}

#[component]
fn KindToggle(setting: KindSetting, problem: RwSignal<Option<String>>) -> impl IntoView {
    let id = format!("mute-{}", setting.kind.as_str());
    let kind = setting.kind;
    let on = RwSignal::new(!setting.muted);
    let toggle = move |_| {
        let wanted = !on.get_untracked();
        on.set(wanted);
        spawn_local(async move {
            match set_notification_muted(kind.into(), !wanted).await {
                Ok(_) => problem.set(None),
                Err(e) => {
                    on.set(!wanted);
                    problem.set(Some(e.to_string()));
                }
            }
        });
    };
    view! {
        <div class="field checkbox">
            <input id=id.clone() type="checkbox" prop:checked=on on:change=toggle />
            <label for=id>{setting.label}</label>
        </div>
    }
}
