//! All of the API tokens' SQL, as one trait for both backends: each method runs on a pooled
//! connection or inside the service's transaction. Only a secret's SHA-256 is ever stored.

use super::ApiToken;
use crate::impl_for_backends;
use chrono::{DateTime, Utc};
use std::future::Future;

/// A token to store: whose it is, its name and lifetime, and its secret's digest.
pub struct NewTokenRow<'a> {
    pub tenant_id: i64,
    pub user_id: i64,
    pub name: &'a str,
    /// The secret's first characters, shown to tell tokens apart.
    pub prefix: &'a str,
    pub token_hash: &'a str,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Who a live token acts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenOwner {
    pub id: i64,
    pub tenant_id: i64,
    pub user_id: i64,
}

pub trait ApiTokenStore {
    /// The user's tokens that still work at `now`: neither revoked nor expired. Newest first.
    fn live_tokens(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<ApiToken>, sqlx::Error>> + Send;

    fn insert_token(
        &mut self,
        token: &NewTokenRow<'_>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// Revokes one of the user's live tokens; whether there was one.
    fn revoke_token(
        &mut self,
        tenant_id: i64,
        user_id: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// The live token whose secret has this digest.
    fn token_with_hash(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<TokenOwner>, sqlx::Error>> + Send;

    /// Notes the token used at `now`, unless a use at or after `noted_after` is noted already.
    fn note_token_used(
        &mut self,
        id: i64,
        now: DateTime<Utc>,
        noted_after: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl ApiTokenStore {
        async fn live_tokens(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            now: DateTime<Utc>,
        ) -> Result<Vec<ApiToken>, sqlx::Error> {
            sqlx::query_as(
                "SELECT id, name, prefix, created_at, expires_at, last_used_at FROM api_tokens
                 WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL
                   AND (expires_at IS NULL OR expires_at > $3)
                 ORDER BY created_at DESC, id DESC",
            )
            .bind(tenant_id)
            .bind(user_id)
            .bind(now)
            .fetch_all(&mut *self)
            .await
        }

        async fn insert_token(&mut self, token: &NewTokenRow<'_>) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO api_tokens
                   (tenant_id, user_id, name, prefix, token_hash, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(token.tenant_id)
            .bind(token.user_id)
            .bind(token.name)
            .bind(token.prefix)
            .bind(token.token_hash)
            .bind(token.created_at)
            .bind(token.expires_at)
            .fetch_one(&mut *self)
            .await
        }

        async fn revoke_token(
            &mut self,
            tenant_id: i64,
            user_id: i64,
            id: i64,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            let revoked = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1
                 WHERE id = $2 AND tenant_id = $3 AND user_id = $4 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .bind(tenant_id)
            .bind(user_id)
            .execute(&mut *self)
            .await?
            .rows_affected();
            Ok(revoked == 1)
        }

        async fn token_with_hash(
            &mut self,
            token_hash: &str,
            now: DateTime<Utc>,
        ) -> Result<Option<TokenOwner>, sqlx::Error> {
            sqlx::query_as(
                "SELECT id, tenant_id, user_id FROM api_tokens
                 WHERE token_hash = $1 AND revoked_at IS NULL
                   AND (expires_at IS NULL OR expires_at > $2)",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *self)
            .await
        }

        async fn note_token_used(
            &mut self,
            id: i64,
            now: DateTime<Utc>,
            noted_after: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE api_tokens SET last_used_at = $1
                 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now)
            .bind(id)
            .bind(noted_after)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }
    }
}
