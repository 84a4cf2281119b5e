//! Signing in: password check, lockout after repeated failures, per-IP rate limit, audit rows.
//! Every failure answers the same way whether or not the email exists, and takes about as long.

use super::{
    password::{hash_password, needs_rehash, verify_password},
    store::{AuthStore, LoginRow},
};
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    config::AuthSettings,
    db::{
        rate_limit::{self, Decision, Limit},
        Db,
    },
    error::AppError,
    on_db,
    tenancy::TenantStatus,
};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use tokio::sync::OnceCell;

pub const WRONG_CREDENTIALS: &str = "Email or password is incorrect.";

fn locked_message(minutes: u64) -> String {
    format!(
        "Too many failed sign-ins. This account is locked for {minutes} minutes; try again later."
    )
}

/// The sign-in limits. Their counters live in the database (`db::rate_limit`, the
/// `unknown_email_failures` table), so N instances allow what one does, not N times as much.
pub struct LoginGuard {
    settings: AuthSettings,
    dummy_hash: OnceCell<String>,
}

impl LoginGuard {
    pub fn new(settings: AuthSettings) -> Arc<Self> {
        Arc::new(Self {
            dummy_hash: OnceCell::new(),
            settings,
        })
    }

    fn lockout(&self) -> Duration {
        Duration::minutes(i64::try_from(self.settings.lockout_minutes).unwrap_or(i64::MAX / 60_000))
    }

    /// Counts an attempt from `ip`; false when it is over the per-minute limit.
    async fn ip_may_try(&self, db: &Db, ip: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
        let limit = Limit {
            hits: self.settings.login_attempts_per_minute,
            window_seconds: 60,
        };
        let decision = rate_limit::hit(db, &format!("login-ip:{ip}"), limit, now).await?;
        Ok(decision == Decision::Allowed)
    }

    /// A hash to verify against when the email is unknown, so both paths cost the same.
    async fn dummy_hash(&self) -> Result<&str, AppError> {
        let hash = self
            .dummy_hash
            .get_or_try_init(|| hash_password("no such account, no such password".into()))
            .await?;
        Ok(hash.as_str())
    }

    /// Failures for emails that have no account lock exactly like real ones, so the lock
    /// message cannot be used to find out which emails exist. True when it is (now) "locked".
    async fn unknown_email_failed(
        &self,
        db: &Db,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        if self.unknown_email_locked(db, email, now).await? {
            return Ok(true);
        }
        let at = now.timestamp();
        let failures = on_db!(db, |pool| {
            pool.acquire()
                .await?
                .count_unknown_email_failure(email, at)
                .await?
        });
        if failures < i64::from(self.settings.max_failed_logins) {
            return Ok(false);
        }
        let until = (now + self.lockout()).timestamp();
        on_db!(db, |pool| {
            let mut conn = pool.acquire().await?;
            conn.lock_unknown_email(email, until).await?;
            // Rows of emails tried once long ago are swept now and then.
            if rand::random::<u8>() < 4 {
                conn.sweep_unknown_email_failures(at - 86_400).await?;
            }
        });
        Ok(true)
    }

    async fn unknown_email_locked(
        &self,
        db: &Db,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let until = on_db!(db, |pool| {
            pool.acquire()
                .await?
                .unknown_email_locked_until(email)
                .await?
        });
        Ok(until.flatten().is_some_and(|until| until > now.timestamp()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: i64,
    pub tenant_id: i64,
}

pub async fn sign_in(
    db: &Db,
    guard: &LoginGuard,
    email: &str,
    password: &str,
    client: &ClientInfo,
) -> Result<SignedIn, AppError> {
    let now = Utc::now();
    let ip_key = client.ip.clone().unwrap_or_default();
    if !guard.ip_may_try(db, &ip_key, now).await? {
        return Err(AppError::TooManyRequests(
            "Too many sign-in attempts from your network. Wait a minute and try again.".into(),
        ));
    }
    let email = email.trim().to_lowercase();

    let row = on_db!(db, |pool| pool
        .acquire()
        .await?
        .login_account(&email)
        .await?);

    let Some(user) = row else {
        let _ =
            verify_password(password.to_string(), guard.dummy_hash().await?.to_string()).await?;
        let locked = guard.unknown_email_failed(db, &email, now).await?;
        let entry =
            AuditEntry::new("user.login_failed", "user", client).detail("email", email.clone());
        on_db!(db, |pool| pool
            .acquire()
            .await?
            .insert_audit(&entry)
            .await?);
        return Err(AppError::SignInFailed(if locked {
            locked_message(guard.settings.lockout_minutes)
        } else {
            WRONG_CREDENTIALS.into()
        }));
    };

    if user.locked_until.is_some_and(|until| until > now) {
        let entry = AuditEntry::new("user.login_failed", "user", client)
            .tenant(user.tenant_id)
            .entity(user.id)
            .detail("reason", "locked");
        on_db!(db, |pool| pool
            .acquire()
            .await?
            .insert_audit(&entry)
            .await?);
        return Err(AppError::SignInFailed(locked_message(
            guard.settings.lockout_minutes,
        )));
    }

    let matches = verify_password(password.to_string(), user.password_hash.clone()).await?;
    if !matches {
        return Err(record_failure(db, guard, &user, client, now).await?);
    }

    if !user.is_active || user.tenant_status != TenantStatus::Active {
        let entry = AuditEntry::new("user.login_failed", "user", client)
            .tenant(user.tenant_id)
            .entity(user.id)
            .detail(
                "reason",
                if user.is_active {
                    "tenant_not_active"
                } else {
                    "user_inactive"
                },
            );
        on_db!(db, |pool| pool
            .acquire()
            .await?
            .insert_audit(&entry)
            .await?);
        return Err(AppError::SignInFailed(
            "This account cannot sign in. Ask your administrator.".into(),
        ));
    }

    // Parameters changed since this hash was made: store a fresh one while we have the password.
    let new_hash = if needs_rehash(&user.password_hash) {
        Some(hash_password(password.to_string()).await?)
    } else {
        None
    };
    let entry = AuditEntry::new("user.login", "user", client)
        .tenant(user.tenant_id)
        .actor(user.id)
        .entity(user.id);
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.record_sign_in(user.id, now, new_hash.as_deref()).await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(SignedIn {
        user_id: user.id,
        tenant_id: user.tenant_id,
    })
}

/// Counts a wrong password; locks the account when the limit is reached. Returns the error to show.
async fn record_failure(
    db: &Db,
    guard: &LoginGuard,
    user: &LoginRow,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> Result<AppError, AppError> {
    let attempts = user.failed_login_attempts + 1;
    let max = i32::try_from(guard.settings.max_failed_logins).unwrap_or(i32::MAX);
    let lock = attempts >= max;
    let locked_until = lock.then(|| now + guard.lockout());
    let failed = AuditEntry::new("user.login_failed", "user", client)
        .tenant(user.tenant_id)
        .entity(user.id)
        .detail("attempt", attempts);
    let locked = AuditEntry::new("user.locked", "user", client)
        .tenant(user.tenant_id)
        .entity(user.id)
        .change(
            "locked_until",
            Option::<String>::None,
            locked_until.map(|t| t.to_rfc3339()),
        );
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.record_wrong_password(user.id, if lock { 0 } else { attempts }, locked_until)
            .await?;
        tx.insert_audit(&failed).await?;
        if lock {
            tx.insert_audit(&locked).await?;
        }
        tx.commit().await?;
    });
    Ok(AppError::SignInFailed(if lock {
        locked_message(guard.settings.lockout_minutes)
    } else {
        WRONG_CREDENTIALS.into()
    }))
}

/// The audit row of a sign-out (the session itself is ended by the caller).
pub async fn record_sign_out(
    db: &Db,
    actor: &super::actor::Actor,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let entry = AuditEntry::by(actor, "user.logout", "user", client).entity(actor.user_id);
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(())
}
