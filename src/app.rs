//! The HTML shell, the routes and the layout every page shares.

#[cfg(feature = "ssr")]
mod page_policy;

use crate::auth::roles::Permission;
use crate::{
    auth::pages::{Auth, LoginPage, RegisterPage, UserMenu},
    calls::{console::ConsolePage, log_page::CallsLogPage},
    companies::{card::CompanyCard, list_page::CompaniesPage},
    contacts::{card::ContactCard, list_page::ContactsPage},
    deals::board::PipelinePage,
    deals::card::DealCard,
    events::live::{LiveFeed, LiveUpdates},
    notifications::bell::NotificationBell,
    reports::dashboard::DashboardPage,
    search::header_search::HeaderSearch,
    settings::SettingsPage,
    status::StatusPanel,
    tasks::page::TasksPage,
    trash::page::RecentlyDeletedPage,
    ui::{new_menu::NewMenu, ConnectionBanner},
    users::pages::AccountPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy, with the nonce Leptos puts on this response's inline
/// scripts (leptos_axum's `nonce` feature makes one per response).
#[cfg(feature = "ssr")]
fn send_content_security_policy(options: &LeptosOptions) {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    // `cargo leptos watch` sets LEPTOS_WATCH; its live-reload script opens a socket.
    let reload = std::env::var_os("LEPTOS_WATCH").map(|_| options.reload_port);
    let policy = page_policy::page_policy(&nonce.to_string(), reload);
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();
    Auth::provide();
    LiveUpdates::provide();

    view! {
        <Title text="CRM" />
        <Router>
            <Header />
            <ConnectionBanner />
            <main id="main" class="page">
                // Async SSR: the server waits for the page's data and sends finished HTML, so pages
                // work without JavaScript and can still answer 404 once a lookup fails.
                // (Streaming modes send the status before data arrives and swap content in by JS.)
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/pipeline") view=PipelinePage ssr=SsrMode::Async />
                    <Route path=path!("/contacts") view=ContactsPage ssr=SsrMode::Async />
                    <Route path=path!("/contacts/:id") view=ContactCard ssr=SsrMode::Async />
                    <Route path=path!("/companies") view=CompaniesPage ssr=SsrMode::Async />
                    <Route path=path!("/companies/:id") view=CompanyCard ssr=SsrMode::Async />
                    <Route path=path!("/deals/:id") view=DealCard ssr=SsrMode::Async />
                    <Route path=path!("/deleted") view=RecentlyDeletedPage ssr=SsrMode::Async />
                    <Route path=path!("/tasks") view=TasksPage ssr=SsrMode::Async />
                    <Route path=path!("/console") view=ConsolePage ssr=SsrMode::Async />
                    <Route path=path!("/calls") view=CallsLogPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

/// Sets `data-hydrated` on `<html>` once the WASM app has taken over the server-rendered page,
/// so browser tests (and curious developers) can tell a hydrated page from a static one.
fn mark_hydrated() {
    Effect::new(|| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                "CRM"
            </a>
            <nav aria-label="Main">
                <ul class="nav">
                    <li>
                        <A href="/">"Home"</A>
                    </li>
                    <li>
                        <A href="/pipeline">"Pipeline"</A>
                    </li>
                    <li>
                        <A href="/contacts">"Contacts"</A>
                    </li>
                    <li>
                        <A href="/companies">"Companies"</A>
                    </li>
                    <li>
                        <A href="/tasks">"Tasks"</A>
                    </li>
                    <li>
                        <A href="/calls">"Calls"</A>
                    </li>
                    // Its own named tab: click-to-call's "Open the console" reuses it.
                    <li>
                        <a href="/console" target="crm-agent-console">
                            "Console"
                        </a>
                    </li>
                </ul>
            </nav>
            <SignedInTools />
            <UserMenu />
        </header>
    }
}

/// Search and "New" are for signed-in users only.
#[component]
fn SignedInTools() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                auth.user
                    .await
                    .ok()
                    .flatten()
                    .map(|user| {
                        view! {
                            <HeaderSearch />
                            <NewMenu user />
                            <NotificationBell />
                            <LiveFeed />
                        }
                    })
            })}
        </Transition>
    }
}

/// Signed in with `deals.view`: the dashboard. Otherwise the welcome text and the status panel.
#[component]
fn HomePage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Suspense fallback=|| {
            view! { <p class="muted">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match auth.user.await.ok().flatten() {
                    Some(user) if user.can(Permission::DealsView) => {
                        view! { <DashboardPage /> }.into_any()
                    }
                    _ => view! { <Welcome /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Welcome() -> impl IntoView {
    view! {
        <Title text="Home · CRM" />
        <h1>"Welcome"</h1>
        <p class="lead">
            "Work the " <a href="/pipeline">"pipeline"</a> ", find people in "
            <a href="/contacts">"contacts"</a> " and see what is due in "
            <a href="/tasks">"tasks"</a> ". Agents keep the "
            <a href="/console" target="crm-agent-console">
                "console"
            </a> " open in its own tab: every phone number then calls through it."
        </p>
        <StatusPanel />
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Not found · CRM" />
        <h1>"Page not found"</h1>
        <p>"There is nothing at this address. " <a href="/">"Go to the start page"</a> "."</p>
    }
}
