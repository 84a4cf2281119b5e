//! What may be done with the PBX's credential and records. Tokens are made, rotated and
//! revoked in Settings → Calling by someone with `settings.manage`; the secret is shown once and
//! only its SHA-256 is kept. Rotating gives the token before a day's grace, so the PBX can be
//! switched over without losing records; revoking ends every PBX token of the tenant at once.
//! Records are idempotent on `pbx_call_id` (the PBX may send one twice), and one that matches
//! no call is kept as unmatched, never dropped.

use super::{store::PbxStore, Cdr, CdrOutcome, NewPbxToken, PbxToken};
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
use serde_json::{json, Value};

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

/// The tenant's PBX tokens that still work, newest first: the current one, and the one before
/// while its grace lasts.
pub async fn list_tokens(db: &Db, actor: &Actor) -> Result<Vec<PbxToken>, AppError> {
    actor.require(Permission::SettingsManage)?;
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .tokens_in_use(actor.tenant_id, Utc::now())
            .await?
    }))
}

/// Makes a new PBX token; the ones before stop working after `ROTATION_GRACE` (sooner if they
/// were already ending).
pub async fn rotate_token(
    db: &Db,
    actor: &Actor,
    client: &ClientInfo,
) -> Result<NewPbxToken, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let secret = new_secret(SECRET_PREFIX);
    let prefix = shown_prefix(&secret, SECRET_PREFIX);
    let now = Utc::now();
    let grace_ends = now + ROTATION_GRACE;
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let ended = tx.end_tokens(actor.tenant_id, grace_ends).await?;
        let id = tx
            .insert_token(actor.tenant_id, actor.user_id, &prefix, &hash(&secret), now)
            .await?;
        let mut entry = AuditEntry::by(actor, "pbx_token.rotated", "pbx_token", client)
            .entity(id)
            .change("prefix", Value::Null, prefix.as_str());
        if ended > 0 {
            entry = entry.change(
                "earlier_tokens_end_at",
                Value::Null,
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
pub async fn revoke_tokens(db: &Db, actor: &Actor, client: &ClientInfo) -> Result<u64, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    Ok(on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let ended = tx.end_tokens(actor.tenant_id, Utc::now()).await?;
        if ended > 0 {
            let entry = AuditEntry::by(actor, "pbx_token.revoked", "pbx_token", client).change(
                "tokens",
                Value::Null,
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
    let found = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let found = conn.token_by_hash(&hash(secret), now).await?;
        if let Some((token_id, _, _)) = &found {
            conn.note_token_use(*token_id, now).await?;
        }
        found
    });
    Ok(found.map(|(token_id, tenant_id, prefix)| PbxCaller {
        tenant_id,
        token_id,
        prefix,
    }))
}

/// Attaches `cdr` to its call: the call that already carries its `pbx_call_id`, else the
/// `call_id` it names; otherwise it is stored as unmatched. Only calls of the PBX token's own
/// tenant are ever looked at.
pub async fn attach(
    db: &Db,
    pbx: &PbxCaller,
    cdr: &Cdr,
    client: &ClientInfo,
) -> Result<CdrOutcome, AppError> {
    cdr.check().map_err(|errors| {
        AppError::from_field_errors(errors.into_inner()).unwrap_or(AppError::Internal)
    })?;
    let pbx_call_id = cdr.pbx_call_id.trim().to_string();
    let tenant = pbx.tenant_id;
    let now = Utc::now();
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let outcome = match tx.call_for_cdr(tenant, &pbx_call_id, cdr.call_id).await? {
            Some(id) => {
                tx.attach_cdr(tenant, id, &pbx_call_id, cdr, now).await?;
                CdrOutcome::Attached { call_id: id }
            }
            None => {
                tx.keep_unmatched_cdr(tenant, &pbx_call_id, cdr, now)
                    .await?;
                CdrOutcome::Unmatched {
                    pbx_call_id: pbx_call_id.clone(),
                }
            }
        };
        // No person posted it: the audit row names the PBX token instead of an actor.
        let entry = AuditEntry::new("call.cdr_received", "call", client)
            .tenant(tenant)
            .change("pbx_token", Value::Null, pbx.prefix.as_str());
        let mut entry = match &outcome {
            CdrOutcome::Attached { call_id } => entry.entity(*call_id),
            CdrOutcome::Unmatched { .. } => entry,
        };
        entry
            .changes
            .insert("pbx_call_id".into(), json!(pbx_call_id));
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        Ok(outcome)
    })
}
