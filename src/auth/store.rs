//! Sign-in's and the per-request actor's SQL, as one trait for both backends: the user behind a
//! session, their role's permissions, password failures and lockouts, and whom they may assign.

use super::roles::Role;
use crate::{impl_for_backends, tenancy::TenantStatus};
use chrono::{DateTime, Utc};
use std::future::Future;

/// An active user of an active tenant, as a session's actor is built from.
#[derive(sqlx::FromRow)]
pub struct ActorRow {
    pub tenant_id: i64,
    pub user_id: i64,
    pub role: String,
    pub team_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub tenant_name: String,
}

/// What a sign-in needs to know about the account an email names.
#[derive(sqlx::FromRow)]
pub struct LoginRow {
    pub id: i64,
    pub tenant_id: i64,
    pub password_hash: String,
    pub is_active: bool,
    pub failed_login_attempts: i32,
    pub locked_until: Option<DateTime<Utc>>,
    #[sqlx(try_from = "String")]
    pub tenant_status: TenantStatus,
}

pub trait AuthStore {
    /// `None` when the user was deactivated or removed, or their tenant is no longer active.
    fn active_actor(
        &mut self,
        tenant_id: i64,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<ActorRow>, sqlx::Error>> + Send;

    /// The permission words the tenant grants `role`, known or not.
    fn role_permission_words(
        &mut self,
        tenant_id: i64,
        role: Role,
    ) -> impl Future<Output = Result<Vec<String>, sqlx::Error>> + Send;

    /// The account of a (lowercased) email, in any tenant: emails are unique installation-wide.
    fn login_account(
        &mut self,
        email: &str,
    ) -> impl Future<Output = Result<Option<LoginRow>, sqlx::Error>> + Send;

    /// A successful sign-in: failures forgotten, and the rehashed password stored if there is one.
    fn record_sign_in(
        &mut self,
        user_id: i64,
        at: DateTime<Utc>,
        new_hash: Option<&str>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// A wrong password: the running count, and the lock when it has just been reached.
    fn record_wrong_password(
        &mut self,
        user_id: i64,
        attempts: i32,
        locked_until: Option<DateTime<Utc>>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Counts a failure for an email without an account; the count so far.
    fn count_unknown_email_failure(
        &mut self,
        email: &str,
        at: i64,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn lock_unknown_email(
        &mut self,
        email: &str,
        until: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Forgets emails last tried before `before` whose lock (if any) has run out.
    fn sweep_unknown_email_failures(
        &mut self,
        before: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// `Some(None)`: the email was tried but is not locked.
    fn unknown_email_locked_until(
        &mut self,
        email: &str,
    ) -> impl Future<Output = Result<Option<Option<i64>>, sqlx::Error>> + Send;

    /// The team of an active user of the tenant (`Some(None)`: in no team); `None` if there is
    /// no such user.
    fn active_user_team(
        &mut self,
        tenant_id: i64,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Option<i64>>, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl AuthStore {
        async fn active_actor(&mut self, tenant_id: i64, user_id: i64) -> Result<Option<ActorRow>, sqlx::Error> {
            sqlx::query_as(
                "SELECT u.tenant_id, u.id AS user_id, u.role, u.team_id, u.name, u.email,
                        t.name AS tenant_name
                 FROM users u JOIN tenants t ON t.id = u.tenant_id
                 WHERE u.id = $1 AND u.tenant_id = $2 AND u.is_active = TRUE AND t.status = 'active'",
            )
            .bind(user_id)
            .bind(tenant_id)
            .fetch_optional(&mut *self)
            .await
        }

        async fn role_permission_words(&mut self, tenant_id: i64, role: Role) -> Result<Vec<String>, sqlx::Error> {
            sqlx::query_scalar("SELECT permission FROM role_permissions WHERE tenant_id = $1 AND role = $2")
                .bind(tenant_id)
                .bind(role.as_str())
                .fetch_all(&mut *self)
                .await
        }

        async fn login_account(&mut self, email: &str) -> Result<Option<LoginRow>, sqlx::Error> {
            sqlx::query_as(
                "SELECT u.id, u.tenant_id, u.password_hash, u.is_active, u.failed_login_attempts,
                        u.locked_until, t.status AS tenant_status
                 FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = $1",
            )
            .bind(email)
            .fetch_optional(&mut *self)
            .await
        }

        async fn record_sign_in(
            &mut self,
            user_id: i64,
            at: DateTime<Utc>,
            new_hash: Option<&str>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE users SET failed_login_attempts = 0, locked_until = NULL, last_login_at = $1,
                        password_hash = COALESCE($2, password_hash)
                 WHERE id = $3",
            )
            .bind(at)
            .bind(new_hash)
            .bind(user_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn record_wrong_password(
            &mut self,
            user_id: i64,
            attempts: i32,
            locked_until: Option<DateTime<Utc>>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE users SET failed_login_attempts = $1, locked_until = $2 WHERE id = $3")
                .bind(attempts)
                .bind(locked_until)
                .bind(user_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn count_unknown_email_failure(&mut self, email: &str, at: i64) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO unknown_email_failures (email, failures, locked_until, updated_at)
                 VALUES ($1, 1, NULL, $2)
                 ON CONFLICT (email) DO UPDATE SET failures = unknown_email_failures.failures + 1,
                     updated_at = excluded.updated_at
                 RETURNING failures",
            )
            .bind(email)
            .bind(at)
            .fetch_one(&mut *self)
            .await
        }

        async fn lock_unknown_email(&mut self, email: &str, until: i64) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE unknown_email_failures SET failures = 0, locked_until = $1 WHERE email = $2")
                .bind(until)
                .bind(email)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn sweep_unknown_email_failures(&mut self, before: i64) -> Result<(), sqlx::Error> {
            sqlx::query(
                "DELETE FROM unknown_email_failures
                 WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until < $1)",
            )
            .bind(before)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn unknown_email_locked_until(&mut self, email: &str) -> Result<Option<Option<i64>>, sqlx::Error> {
            sqlx::query_scalar("SELECT locked_until FROM unknown_email_failures WHERE email = $1")
                .bind(email)
                .fetch_optional(&mut *self)
                .await
        }

        async fn active_user_team(&mut self, tenant_id: i64, user_id: i64) -> Result<Option<Option<i64>>, sqlx::Error> {
            sqlx::query_scalar("SELECT team_id FROM users WHERE id = $1 AND tenant_id = $2 AND is_active = TRUE")
                .bind(user_id)
                .bind(tenant_id)
                .fetch_optional(&mut *self)
                .await
        }
    }
}
