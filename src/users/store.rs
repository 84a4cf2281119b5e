//! All of the users' and teams' SQL, as one trait for both backends: each method runs on a pooled
//! connection or inside the service's transaction. Every statement is bound to a tenant.

use super::{
    input::{NewUserRecord, PreferencesInput, UserChange},
    Preferences, TeamSummary, UserSummary,
};
use crate::{auth::scope::Visible, impl_for_backends, validation::Name};
use chrono::{DateTime, Utc};
use std::future::Future;

/// Ends in `WHERE `; `u` is the user, `t` their team.
const SELECT_USER: &str =
    "SELECT u.id, u.name, u.email, u.role, u.team_id, t.name AS team_name, u.is_active
    FROM users u LEFT JOIN teams t ON t.id = u.team_id
    WHERE ";

pub trait UserStore {
    /// The users `visible` covers, by name.
    fn visible_users(
        &mut self,
        visible: Visible,
    ) -> impl Future<Output = Result<Vec<UserSummary>, sqlx::Error>> + Send;

    /// One user of the tenant, active or not.
    fn user(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Option<UserSummary>, sqlx::Error>> + Send;

    /// A unique violation means the email is taken.
    fn insert_user(
        &mut self,
        tenant_id: i64,
        record: &NewUserRecord,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn set_role_and_team(
        &mut self,
        tenant_id: i64,
        id: i64,
        change: &UserChange,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Also clears a lockout, so reactivating is enough to let the user in again.
    fn set_active(
        &mut self,
        tenant_id: i64,
        id: i64,
        active: bool,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// How many active admins the tenant has besides `except`.
    fn other_active_admins(
        &mut self,
        tenant_id: i64,
        except: i64,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn password_hash(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<String, sqlx::Error>> + Send;

    fn set_password_hash(
        &mut self,
        tenant_id: i64,
        id: i64,
        password_hash: &str,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    fn preferences(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Preferences, sqlx::Error>> + Send;

    fn set_preferences(
        &mut self,
        tenant_id: i64,
        id: i64,
        preferences: &PreferencesInput,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The tenant's teams, by name.
    fn teams(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Vec<TeamSummary>, sqlx::Error>> + Send;

    fn team_exists(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// A unique violation means the tenant has a team of that name.
    fn insert_team(
        &mut self,
        tenant_id: i64,
        name: &Name,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl UserStore {
        async fn visible_users(
            &mut self,
            visible: Visible,
        ) -> Result<Vec<UserSummary>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(SELECT_USER);
            visible.push(&mut query, "u", "id");
            query.push(" ORDER BY u.name, u.id");
            query
                .build_query_as::<UserSummary>()
                .fetch_all(&mut *self)
                .await
        }

        async fn user(
            &mut self,
            tenant_id: i64,
            id: i64,
        ) -> Result<Option<UserSummary>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT_USER}u.id = $1 AND u.tenant_id = $2"))
                .bind(id)
                .bind(tenant_id)
                .fetch_optional(&mut *self)
                .await
        }

        async fn insert_user(
            &mut self,
            tenant_id: i64,
            record: &NewUserRecord,
            password_hash: &str,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            let i = &record.input;
            sqlx::query_scalar(
                "INSERT INTO users
                   (tenant_id, team_id, name, email, password_hash, role, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(tenant_id)
            .bind(record.team_id)
            .bind(i.name.as_str())
            .bind(i.email.as_str())
            .bind(password_hash)
            .bind(i.role.as_str())
            .bind(now)
            .fetch_one(&mut *self)
            .await
        }

        async fn set_role_and_team(
            &mut self,
            tenant_id: i64,
            id: i64,
            change: &UserChange,
        ) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE users SET role = $1, team_id = $2 WHERE id = $3 AND tenant_id = $4")
                .bind(change.role.as_str())
                .bind(change.team_id)
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn set_active(
            &mut self,
            tenant_id: i64,
            id: i64,
            active: bool,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE users SET is_active = $1, failed_login_attempts = 0, locked_until = NULL
                 WHERE id = $2 AND tenant_id = $3",
            )
            .bind(active)
            .bind(id)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn other_active_admins(
            &mut self,
            tenant_id: i64,
            except: i64,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM users
                 WHERE tenant_id = $1 AND role = 'tenant_admin' AND is_active = TRUE AND id <> $2",
            )
            .bind(tenant_id)
            .bind(except)
            .fetch_one(&mut *self)
            .await
        }

        async fn password_hash(&mut self, tenant_id: i64, id: i64) -> Result<String, sqlx::Error> {
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant_id)
                .fetch_one(&mut *self)
                .await
        }

        async fn preferences(&mut self, tenant_id: i64, id: i64) -> Result<Preferences, sqlx::Error> {
            // An empty timezone (written by hand) counts as unset, as the task list reads it.
            sqlx::query_as(
                "SELECT NULLIF(timezone, '') AS timezone, locale FROM users WHERE id = $1 AND tenant_id = $2",
            )
            .bind(id)
            .bind(tenant_id)
            .fetch_one(&mut *self)
            .await
        }

        async fn set_preferences(
            &mut self,
            tenant_id: i64,
            id: i64,
            preferences: &PreferencesInput,
        ) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE users SET timezone = $1, locale = $2 WHERE id = $3 AND tenant_id = $4")
                .bind(preferences.timezone.map(|tz| tz.name()))
                .bind(preferences.locale)
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn set_password_hash(
            &mut self,
            tenant_id: i64,
            id: i64,
            password_hash: &str,
        ) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND tenant_id = $3")
                .bind(password_hash)
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn teams(&mut self, tenant_id: i64) -> Result<Vec<TeamSummary>, sqlx::Error> {
            sqlx::query_as("SELECT id, name FROM teams WHERE tenant_id = $1 ORDER BY name")
                .bind(tenant_id)
                .fetch_all(&mut *self)
                .await
        }

        async fn team_exists(&mut self, tenant_id: i64, id: i64) -> Result<bool, sqlx::Error> {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM teams WHERE id = $1 AND tenant_id = $2")
                    .bind(id)
                    .bind(tenant_id)
                    .fetch_optional(&mut *self)
                    .await?;
            Ok(found.is_some())
        }

        async fn insert_team(
            &mut self,
            tenant_id: i64,
            name: &Name,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO teams (tenant_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(tenant_id)
            .bind(name.as_str())
            .bind(now)
            .fetch_one(&mut *self)
            .await
        }
    }
}
