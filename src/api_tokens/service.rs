//! What may be done with API tokens: a user with `api_tokens.manage` makes, lists and revokes
//! their own; anyone else's answers `NotFound`. Each write and its audit entry share one
//! transaction. Also resolves a bearer secret to the user it acts for.

use super::{
    input::ApiTokenInput,
    store::{ApiTokenStore, NewTokenRow, TokenOwner},
    ApiToken, NewApiToken,
};
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{
        actor::Actor,
        bearer_secret::{hash, new_secret, shown_prefix},
        roles::Permission,
        session::SessionAuth,
    },
    db::Db,
    error::AppError,
    on_db,
    validation::FieldErrors,
};
use chrono::{Duration, Utc};
use serde_json::json;

const SECRET_PREFIX: &str = "crm_";
/// Tokens a user may hold at once; more is a sign of tokens being made and forgotten.
const MAX_PER_USER: usize = 25;

/// The actor's own tokens that still work, newest first.
pub async fn list_tokens(db: &Db, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
    actor.require(Permission::ApiTokensManage)?;
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .live_tokens(actor.tenant_id, actor.user_id, Utc::now())
            .await?
    }))
}

/// Makes a token for the actor; its secret is in the answer and nowhere else.
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    input: Result<ApiTokenInput, FieldErrors>,
    client: &ClientInfo,
) -> Result<NewApiToken, AppError> {
    actor.require(Permission::ApiTokensManage)?;
    let input = input.map_err(|errors| {
        AppError::from_field_errors(errors.into_inner()).unwrap_or(AppError::Internal)
    })?;
    let secret = new_secret(SECRET_PREFIX);
    let prefix = shown_prefix(&secret, SECRET_PREFIX);
    let token_hash = hash(&secret);
    let now = Utc::now();
    let expires_at = input
        .expires_in_days
        .map(|d| now + Duration::days(i64::from(d)));
    let row = NewTokenRow {
        tenant_id: actor.tenant_id,
        user_id: actor.user_id,
        name: &input.name,
        prefix: &prefix,
        token_hash: &token_hash,
        created_at: now,
        expires_at,
    };
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let held = tx.live_tokens(actor.tenant_id, actor.user_id, now).await?;
        if held.len() >= MAX_PER_USER {
            return Err(AppError::invalid(
                "name",
                format!("you already have {MAX_PER_USER} tokens; revoke one you no longer use"),
            ));
        }
        let id = tx.insert_token(&row).await?;
        let entry = AuditEntry::by(actor, "api_token.created", "api_token", client)
            .entity(id)
            .created(vec![
                ("name", json!(input.name)),
                ("expires_at", json!(expires_at.map(|at| at.to_rfc3339()))),
            ]);
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        id
    });
    let token = ApiToken {
        id,
        name: input.name,
        prefix,
        created_at: now,
        expires_at,
        last_used_at: None,
    };
    Ok(NewApiToken { token, secret })
}

/// Revokes one of the actor's own tokens; anyone else's answers 404.
pub async fn revoke_token(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require(Permission::ApiTokensManage)?;
    let revoked = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let revoked = tx
            .revoke_token(actor.tenant_id, actor.user_id, id, Utc::now())
            .await?;
        if revoked {
            let entry = AuditEntry::by(actor, "api_token.revoked", "api_token", client).entity(id);
            tx.insert_audit(&entry).await?;
            tx.commit().await?;
        }
        revoked
    });
    if revoked {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The user a bearer secret acts for, with the token's id (rate limits count per token):
/// `None` for an unknown, revoked or expired secret. Notes when the token was last used, at most
/// once a minute so busy integrations do not write on every request.
pub async fn authenticate(db: &Db, secret: &str) -> Result<Option<(i64, SessionAuth)>, AppError> {
    if !secret.starts_with(SECRET_PREFIX) {
        return Ok(None);
    }
    let now = Utc::now();
    let digest = hash(secret);
    let found: Option<TokenOwner> = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let found = conn.token_with_hash(&digest, now).await?;
        if let Some(token) = found {
            conn.note_token_used(token.id, now, now - Duration::minutes(1))
                .await?;
        }
        found
    });
    Ok(found.map(|token| {
        (
            token.id,
            SessionAuth {
                user_id: token.user_id,
                tenant_id: token.tenant_id,
                signed_in_at: now.timestamp(),
            },
        )
    }))
}
