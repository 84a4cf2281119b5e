//! Per-request access to the session, the client's address and the `Actor`, for server functions.

use super::{
    actor::{load_actor, Actor},
    login::SignedIn,
    session::{SessionAuth, AUTH_KEY},
    SessionUser,
};
use crate::{audit::ClientInfo, error::AppError, state::AppState};
use axum::{extract::ConnectInfo, http::header::USER_AGENT};
use std::net::SocketAddr;
use tower_sessions::Session;

pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session on the request (is the session layer installed?)");
        AppError::Internal
    })
}

/// The client's address and browser, for audit rows and rate limits.
pub async fn client_info() -> ClientInfo {
    let behind_proxy = app_state().is_ok_and(|s| s.settings.server.behind_proxy);
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .map(|parts| client_info_of(&parts, behind_proxy))
        .unwrap_or_default()
}

/// The client's address (the proxy's `X-Forwarded-For` when `behind_proxy`) and browser.
pub fn client_info_of(parts: &axum::http::request::Parts, behind_proxy: bool) -> ClientInfo {
    let forwarded = Some(parts)
        .filter(|_| behind_proxy)
        .and_then(|p| p.headers.get("x-forwarded-for"))
        .and_then(|v| v.to_str().ok())
        .and_then(client_behind_proxy);
    let ip = forwarded.or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
    });
    let user_agent = parts
        .headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(512).collect());
    ClientInfo { ip, user_agent }
}

/// The actor this request acts as, or `None` when nobody is signed in (or may no longer act).
pub async fn optional_actor() -> Result<Option<Actor>, AppError> {
    actor_of_session(&app_state()?, &session().await?).await
}

/// The actor a session acts as, for handlers outside server functions (the events stream).
pub async fn actor_of_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<Actor>, AppError> {
    let auth: Option<SessionAuth> = session.get(AUTH_KEY).await.map_err(session_error)?;
    let Some(auth) = auth else { return Ok(None) };

    let expired = past_absolute_lifetime(
        &auth,
        chrono::Utc::now().timestamp(),
        state.settings.session.absolute_timeout_hours,
    );
    let actor = if expired {
        None
    } else {
        load_actor(&state.db, &auth).await?
    };
    if actor.is_none() {
        // Past its absolute lifetime, deactivated user or suspended tenant: end it for good.
        session.flush().await.map_err(session_error)?;
    }
    Ok(actor)
}

/// The address our proxy saw: the last `X-Forwarded-For` entry (earlier ones are whatever the
/// client claimed, and can be forged).
fn client_behind_proxy(header: &str) -> Option<String> {
    header
        .rsplit(',')
        .next()
        .map(str::trim)
        .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
        .map(|ip| ip.to_string())
}

/// True once a session is older than its absolute lifetime, however active it has been.
fn past_absolute_lifetime(auth: &SessionAuth, now: i64, max_hours: u64) -> bool {
    let max_seconds = i64::try_from(max_hours)
        .unwrap_or(i64::MAX / 3600)
        .saturating_mul(3600);
    now.saturating_sub(auth.signed_in_at) > max_seconds
}

pub async fn current_actor() -> Result<Actor, AppError> {
    optional_actor().await?.ok_or(AppError::Unauthorized)
}

/// Signs the session in, under a new session id so a planted id is worthless.
pub async fn start_session(signed_in: SignedIn) -> Result<SessionUser, AppError> {
    let state = app_state()?;
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    let auth = SessionAuth {
        user_id: signed_in.user_id,
        tenant_id: signed_in.tenant_id,
        signed_in_at: chrono::Utc::now().timestamp(),
    };
    session
        .insert(AUTH_KEY, &auth)
        .await
        .map_err(session_error)?;
    let actor = load_actor(&state.db, &auth)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(actor.into())
}

pub async fn end_session() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store");
    AppError::Internal
}

impl From<Actor> for SessionUser {
    fn from(a: Actor) -> Self {
        SessionUser {
            user_id: a.user_id,
            name: a.name,
            email: a.email,
            role: a.role,
            tenant_name: a.tenant_name,
            permissions: a.permissions.into_iter().collect(),
        }
    }
}

/// What a server function that acts for a signed-in user works with.
pub struct Acting {
    pub state: AppState,
    pub actor: Actor,
    pub client: ClientInfo,
}

/// Runs `work` for the signed-in actor (401 when nobody is), and gives the response the HTTP
/// status of the error, if any.
pub async fn acting<T, Fut>(work: impl FnOnce(Acting) -> Fut) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let result = async {
        let state = app_state()?;
        let actor = current_actor().await?;
        let client = client_info().await;
        work(Acting {
            state,
            actor,
            client,
        })
        .await
    }
    .await;
    result.map_err(AppError::into_response_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behind_a_proxy_the_last_forwarded_address_counts() {
        assert_eq!(
            client_behind_proxy("6.6.6.6, 203.0.113.9").as_deref(),
            Some("203.0.113.9")
        );
        assert_eq!(
            client_behind_proxy(" 2001:db8::1 ").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(client_behind_proxy("not-an-ip"), None);
    }

    #[test]
    fn sessions_expire_after_their_absolute_lifetime() {
        let auth = SessionAuth {
            user_id: 1,
            tenant_id: 1,
            signed_in_at: 1_000_000,
        };
        let hour = 3600;
        assert!(!past_absolute_lifetime(&auth, 1_000_000 + 24 * hour, 24));
        assert!(past_absolute_lifetime(&auth, 1_000_000 + 24 * hour + 1, 24));
        assert!(
            !past_absolute_lifetime(&auth, 1_000_000 + 1000 * hour, u64::MAX),
            "no overflow"
        );
    }
}
