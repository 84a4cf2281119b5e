//! All of the PBX's SQL, as one trait for both backends: its tokens, and the call records it
//! posts (attached to a call, or kept as unmatched).

use super::{Cdr, PbxToken};
use crate::impl_for_backends;
use chrono::{DateTime, Utc};
use std::future::Future;

pub trait PbxStore {
    /// The tenant's tokens that still work at `now`, newest first.
    fn tokens_in_use(
        &mut self,
        tenant_id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<PbxToken>, sqlx::Error>> + Send;

    /// Makes every token of the tenant still working at `at` end then; how many there were.
    fn end_tokens(
        &mut self,
        tenant_id: i64,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    fn insert_token(
        &mut self,
        tenant_id: i64,
        created_by: i64,
        prefix: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    /// The working token with this hash, of an active tenant: its id, tenant and prefix.
    fn token_by_hash(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<(i64, i64, String)>, sqlx::Error>> + Send;

    /// Notes the token's use, at most once a minute.
    fn note_token_use(
        &mut self,
        token_id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The tenant's call that carries `pbx_call_id` or, failing that, the call `call_id` names
    /// if no record is attached to it yet.
    fn call_for_cdr(
        &mut self,
        tenant_id: i64,
        pbx_call_id: &str,
        call_id: Option<i64>,
    ) -> impl Future<Output = Result<Option<i64>, sqlx::Error>> + Send;

    fn attach_cdr(
        &mut self,
        tenant_id: i64,
        call_id: i64,
        pbx_call_id: &str,
        cdr: &Cdr,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Keeps a record no call matched (the latest copy, if the PBX sends it again).
    fn keep_unmatched_cdr(
        &mut self,
        tenant_id: i64,
        pbx_call_id: &str,
        cdr: &Cdr,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl PbxStore {
        async fn tokens_in_use(&mut self, tenant_id: i64, now: DateTime<Utc>) -> Result<Vec<PbxToken>, sqlx::Error> {
            sqlx::query_as(
                "SELECT prefix, created_at, expires_at, last_used_at FROM pbx_tokens
                 WHERE tenant_id = $1 AND (expires_at IS NULL OR expires_at > $2)
                 ORDER BY created_at DESC, id DESC",
            )
            .bind(tenant_id)
            .bind(now)
            .fetch_all(&mut *self)
            .await
        }

        async fn end_tokens(&mut self, tenant_id: i64, at: DateTime<Utc>) -> Result<u64, sqlx::Error> {
            sqlx::query(
                "UPDATE pbx_tokens SET expires_at = $1
                 WHERE tenant_id = $2 AND (expires_at IS NULL OR expires_at > $1)",
            )
            .bind(at)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|done| done.rows_affected())
        }

        async fn insert_token(
            &mut self,
            tenant_id: i64,
            created_by: i64,
            prefix: &str,
            token_hash: &str,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO pbx_tokens (tenant_id, created_by, prefix, token_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(tenant_id)
            .bind(created_by)
            .bind(prefix)
            .bind(token_hash)
            .bind(now)
            .fetch_one(&mut *self)
            .await
        }

        async fn token_by_hash(
            &mut self,
            token_hash: &str,
            now: DateTime<Utc>,
        ) -> Result<Option<(i64, i64, String)>, sqlx::Error> {
            sqlx::query_as(
                "SELECT p.id, p.tenant_id, p.prefix FROM pbx_tokens p
                 JOIN tenants t ON t.id = p.tenant_id
                 WHERE p.token_hash = $1 AND (p.expires_at IS NULL OR p.expires_at > $2)
                   AND t.status = 'active'",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *self)
            .await
        }

        async fn note_token_use(&mut self, token_id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE pbx_tokens SET last_used_at = $1
                 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now)
            .bind(token_id)
            .bind(now - chrono::Duration::minutes(1))
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn call_for_cdr(
            &mut self,
            tenant_id: i64,
            pbx_call_id: &str,
            call_id: Option<i64>,
        ) -> Result<Option<i64>, sqlx::Error> {
            let call: Option<i64> =
                sqlx::query_scalar("SELECT id FROM calls WHERE tenant_id = $1 AND pbx_call_id = $2")
                    .bind(tenant_id)
                    .bind(pbx_call_id)
                    .fetch_optional(&mut *self)
                    .await?;
            match (call, call_id) {
                (None, Some(id)) => {
                    sqlx::query_scalar(
                        "SELECT id FROM calls WHERE tenant_id = $1 AND id = $2 AND pbx_call_id IS NULL",
                    )
                    .bind(tenant_id)
                    .bind(id)
                    .fetch_optional(&mut *self)
                    .await
                }
                (call, _) => Ok(call),
            }
        }

        async fn attach_cdr(
            &mut self,
            tenant_id: i64,
            call_id: i64,
            pbx_call_id: &str,
            cdr: &Cdr,
            now: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE calls SET pbx_call_id = $1,
                    duration_seconds = COALESCE($2, duration_seconds),
                    recording_url = COALESCE($3, recording_url), updated_at = $4
                 WHERE tenant_id = $5 AND id = $6",
            )
            .bind(pbx_call_id)
            .bind(cdr.duration_seconds)
            .bind(&cdr.recording_url)
            .bind(now)
            .bind(tenant_id)
            .bind(call_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn keep_unmatched_cdr(
            &mut self,
            tenant_id: i64,
            pbx_call_id: &str,
            cdr: &Cdr,
            now: DateTime<Utc>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO pbx_unmatched_cdrs (tenant_id, pbx_call_id, payload, received_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (tenant_id, pbx_call_id)
                 DO UPDATE SET payload = excluded.payload, received_at = excluded.received_at",
            )
            .bind(tenant_id)
            .bind(pbx_call_id)
            .bind(sqlx::types::Json(cdr))
            .bind(now)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }
    }
}
