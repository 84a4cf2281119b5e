//! The PBX's credential: one bearer token per tenant (`pbx_…`) that can only post call records,
//! so the PBX never holds a person's token. Made and rotated in Settings → Calling by someone
//! with `settings.manage`; the secret is shown once and only its SHA-256 is kept. Rotating gives
//! the token before a day's grace, so the PBX can be switched over without losing records;
//! revoking ends every PBX token of the tenant at once.

use super::{NewPbxToken, PbxToken};
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        bearer_secret::{hash, new_secret, shown_prefix},
        roles::Permission,
    },
    db::{BeginWrite, Db},
    error::AppError,
    on_db,
};
use chrono::{Duration, Utc};

pub const SECRET_PREFIX: &str = "pbx_";
/// How long the token before a rotation keeps working.
pub const ROTATION_GRACE: Duration = Duration::hours(24);

/// Who posted a record: the tenant whose PBX token it was, and which token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PbxCaller {
    pub tenant_id: i64,
    pub token_id: i64,
    pub prefix: String,
}

const SELECT: &str = "SELECT prefix, created_at, expires_at, last_used_at FROM pbx_tokens WHERE ";

/// The tenant's PBX tokens that still work, newest first: the current one, and the one before
/// while its grace lasts.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<PbxToken>, AppError> {
    actor.require(Permission::SettingsManage)?;
    Ok(on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "{SELECT} tenant_id = $1 AND (expires_at IS NULL OR expires_at > $2)
             ORDER BY created_at DESC, id DESC"
        ))
        .bind(actor.tenant_id)
        .bind(Utc::now())
        .fetch_all(pool)
        .await?
    }))
}

/// Makes a new PBX token; the ones before stop working after `ROTATION_GRACE` (sooner if they
/// were already ending).
pub async fn rotate(db: &Db, actor: &Actor, client: &ClientInfo) -> Result<NewPbxToken, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let secret = new_secret(SECRET_PREFIX);
    let prefix = shown_prefix(&secret, SECRET_PREFIX);
    let now = Utc::now();
    let grace_ends = now + ROTATION_GRACE;
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let ended = sqlx::query(
            "UPDATE pbx_tokens SET expires_at = $1
             WHERE tenant_id = $2 AND (expires_at IS NULL OR expires_at > $1)",
        )
        .bind(grace_ends)
        .bind(actor.tenant_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pbx_tokens (tenant_id, created_by, prefix, token_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(actor.user_id)
        .bind(&prefix)
        .bind(hash(&secret))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let mut entry = AuditEntry::by(actor, "pbx_token.rotated", "pbx_token", client)
            .entity(id)
            .change("prefix", serde_json::Value::Null, prefix.as_str());
        if ended > 0 {
            entry = entry.change(
                "earlier_tokens_end_at",
                serde_json::Value::Null,
                grace_ends.to_rfc3339(),
            );
        }
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    let token = PbxToken {
        prefix,
        created_at: now,
        expires_at: None,
        last_used_at: None,
    };
    Ok(NewPbxToken { token, secret })
}

/// Ends every PBX token of the tenant now. Returns how many still worked.
pub async fn revoke_all(db: &Db, actor: &Actor, client: &ClientInfo) -> Result<u64, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let now = Utc::now();
    Ok(on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let ended = sqlx::query(
            "UPDATE pbx_tokens SET expires_at = $1
             WHERE tenant_id = $2 AND (expires_at IS NULL OR expires_at > $1)",
        )
        .bind(now)
        .bind(actor.tenant_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if ended > 0 {
            let entry = AuditEntry::by(actor, "pbx_token.revoked", "pbx_token", client).change(
                "tokens",
                serde_json::Value::Null,
                ended,
            );
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
        ended
    }))
}

/// The tenant a PBX secret belongs to: `None` for an unknown or ended token, or a tenant that is
/// suspended or closed. Notes the last use at most once a minute.
pub async fn authenticate(db: &Db, secret: &str) -> Result<Option<PbxCaller>, AppError> {
    if !secret.starts_with(SECRET_PREFIX) {
        return Ok(None);
    }
    let now = Utc::now();
    let found: Option<(i64, i64, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT p.id, p.tenant_id, p.prefix FROM pbx_tokens p
             JOIN tenants t ON t.id = p.tenant_id
             WHERE p.token_hash = $1 AND (p.expires_at IS NULL OR p.expires_at > $2)
               AND t.status = 'active'",
        )
        .bind(hash(secret))
        .bind(now)
        .fetch_optional(pool)
        .await?
    });
    let Some((token_id, tenant_id, prefix)) = found else {
        return Ok(None);
    };
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE pbx_tokens SET last_used_at = $1
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(now)
        .bind(token_id)
        .bind(now - Duration::minutes(1))
        .execute(pool)
        .await?;
    });
    Ok(Some(PbxCaller {
        tenant_id,
        token_id,
        prefix,
    }))
}
