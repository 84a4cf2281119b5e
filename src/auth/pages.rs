//! Sign-in and registration pages, and the header's user menu.

use super::{
    server_fns::{current_user, RegisterCompany, SignIn, SignOut},
    SessionUser,
};
use crate::auth::roles::Permission;
use crate::{error::AppError, validation::PASSWORD_RULE};
use leptos::prelude::*;
use leptos_meta::Title;

/// The signed-in user for the whole app, refetched whenever someone signs in or out.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    pub register: ServerAction<RegisterCompany>,
}

impl Auth {
    pub fn provide() -> Auth {
        let sign_in = ServerAction::<SignIn>::new();
        let sign_out = ServerAction::<SignOut>::new();
        let register = ServerAction::<RegisterCompany>::new();
        let user = Resource::new(
            move || {
                (
                    sign_in.version().get(),
                    sign_out.version().get(),
                    register.version().get(),
                )
            },
            |_| current_user(),
        );
        let auth = Auth {
            user,
            sign_in,
            sign_out,
            register,
        };
        provide_context(auth);
        auth
    }

    /// Whether the signed-in user holds `permission` (false while signed out): what the UI
    /// shows or hides; the server checks again.
    pub async fn can(self, permission: Permission) -> bool {
        self.user
            .await
            .ok()
            .flatten()
            .is_some_and(|u| u.can(permission))
    }
}

fn error_of<T: Clone + Send + Sync + 'static>(
    result: Option<Result<T, AppError>>,
) -> Option<AppError> {
    result.and_then(Result::err)
}

/// A form field with its label and the server's message for it.
#[component]
fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] error: MaybeProp<String>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <p class="field-error" id=error_id data-testid=format!("error-{name}")>
                {move || error.get()}
            </p>
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let error = Signal::derive(move || error_of(auth.sign_in.value().get()));
    view! {
        <Title text="Sign in · CRM" />
        <section class="auth-card">
            <h1>"Sign in"</h1>
            <ActionForm action=auth.sign_in>
                <Field label="Email" name="email" kind="email" autocomplete="username" />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                />
                <p class="error" role="alert" data-testid="sign-in-error">
                    {move || error.get().map(|e| e.to_string())}
                </p>
                <button type="submit" class="button" disabled=move || auth.sign_in.pending().get()>
                    "Sign in"
                </button>
            </ActionForm>
            <p class="muted">"New here? " <a href="/register">"Register your company"</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let error = Signal::derive(move || error_of(auth.register.value().get()));
    let field =
        move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    view! {
        <Title text="Register · CRM" />
        <section class="auth-card">
            <h1>"Register your company"</h1>
            // The server's messages, next to each field, rather than the browser's own.
            <ActionForm action=auth.register attr:novalidate=true>
                <Field
                    label="Company name"
                    name="company_name"
                    autocomplete="organization"
                    error=field("company_name")
                />
                <Field
                    label="Your name"
                    name="admin_name"
                    autocomplete="name"
                    error=field("admin_name")
                />
                <Field
                    label="Work email"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    error=field("email")
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint=PASSWORD_RULE
                    error=field("password")
                />
                <p class="error" role="alert" data-testid="register-error">
                    {move || {
                        error
                            .get()
                            .filter(|e| !matches!(e, AppError::Validation { .. }))
                            .map(|e| e.to_string())
                    }}
                </p>
                <button type="submit" class="button" disabled=move || auth.register.pending().get()>
                    "Create account"
                </button>
            </ActionForm>
            <p class="muted">"Already registered? " <a href="/login">"Sign in"</a></p>
        </section>
    }
}

/// Who is signed in, with a sign-out button; or a sign-in link.
#[component]
pub fn UserMenu() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => {
                        view! {
                            <div class="user-menu">
                                {[
                                    Permission::UsersManage,
                                    Permission::SettingsManage,
                                    Permission::AuditView,
                                ]
                                    .into_iter()
                                    .any(|p| user.can(p))
                                    .then(|| view! { <a href="/settings">"Settings"</a> })}
                                <a
                                    href="/account"
                                    data-testid="signed-in-as"
                                    title=user.email.clone()
                                >
                                    {user.name.clone()}
                                    " · "
                                    {user.tenant_name.clone()}
                                </a> <ActionForm action=auth.sign_out>
                                    <button type="submit" class="link-button">
                                        "Sign out"
                                    </button>
                                </ActionForm>
                            </div>
                        }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <a class="user-menu" href="/login">
                                "Sign in"
                            </a>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
