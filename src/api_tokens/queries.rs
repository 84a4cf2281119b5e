//! SQL for API tokens: make, list and revoke your own, and resolve a bearer secret to the user it
//! acts for.

use super::{ApiToken, NewApiToken};
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

const SECRET_PREFIX: &str = "crm_";
/// Tokens a user may hold at once; more is a sign of tokens being made and forgotten.
const MAX_PER_USER: i64 = 25;

const SELECT: &str =
    "SELECT id, name, prefix, created_at, expires_at, last_used_at FROM api_tokens WHERE ";

/// The actor's own tokens that still work, newest first.
pub async fn list_tokens(db: &Db, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
    actor.require(Permission::ApiTokensManage)?;
    let now = Utc::now();
    Ok(on_db!(db, |pool| {
        sqlx::query_as(&format!(
            "{SELECT} tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL
               AND (expires_at IS NULL OR expires_at > $3) ORDER BY created_at DESC, id DESC"
        ))
        .bind(actor.tenant_id)
        .bind(actor.user_id)
        .bind(now)
        .fetch_all(pool)
        .await?
    }))
}

/// Makes a token for the actor. `expires_in_days` is blank (never) or 1 to 3650.
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    name: &str,
    expires_in_days: &str,
    client: &ClientInfo,
) -> Result<NewApiToken, AppError> {
    actor.require(Permission::ApiTokensManage)?;
    let mut errors = FieldErrors::default();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.check::<()>("name", Err("is required, at most 100 characters".into()));
    }
    let days = match expires_in_days.trim() {
        "" => None,
        days => errors.check(
            "expires_in_days",
            days.parse::<u32>()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| "must be a number of days from 1 to 3650, or blank".to_string()),
        ),
    };
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let held = list_tokens(db, actor).await?.len() as i64;
    if held >= MAX_PER_USER {
        return Err(AppError::invalid(
            "name",
            format!("you already have {MAX_PER_USER} tokens; revoke one you no longer use"),
        ));
    }
    let secret = new_secret(SECRET_PREFIX);
    let prefix = shown_prefix(&secret, SECRET_PREFIX);
    let now = Utc::now();
    let expires_at = days.map(|d| now + Duration::days(i64::from(d)));
    let id: i64 = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (tenant_id, user_id, name, prefix, token_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(actor.user_id)
        .bind(name)
        .bind(&prefix)
        .bind(hash(&secret))
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let entry = AuditEntry::by(actor, "api_token.created", "api_token", client)
            .entity(id)
            .change("name", serde_json::Value::Null, name)
            .change(
                "expires_at",
                serde_json::Value::Null,
                expires_at.map(|at| at.to_rfc3339()),
            );
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        id
    });
    let token = ApiToken {
        id,
        name: name.to_string(),
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
        let rows = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1
             WHERE id = $2 AND tenant_id = $3 AND user_id = $4 AND revoked_at IS NULL",
        )
        .bind(Utc::now())
        .bind(id)
        .bind(actor.tenant_id)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if rows == 1 {
            let entry = AuditEntry::by(actor, "api_token.revoked", "api_token", client).entity(id);
            tx.insert_audit(&entry).await?;
            tx.commit().await?;
        }
        rows == 1
    });
    if revoked {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The user a bearer secret acts for: `None` for an unknown, revoked or expired secret. Notes
/// when the token was last used, at most once a minute so busy integrations do not write on
/// every request.
/// The token's id comes along: rate limits count per token.
pub async fn authenticate(db: &Db, secret: &str) -> Result<Option<(i64, SessionAuth)>, AppError> {
    if !secret.starts_with(SECRET_PREFIX) {
        return Ok(None);
    }
    let now = Utc::now();
    let digest = hash(secret);
    let found: Option<(i64, i64, i64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, tenant_id, user_id FROM api_tokens
             WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(&digest)
        .bind(now)
        .fetch_optional(pool)
        .await?
    });
    let Some((id, tenant_id, user_id)) = found else {
        return Ok(None);
    };
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(now)
        .bind(id)
        .bind(now - Duration::minutes(1))
        .execute(pool)
        .await?;
    });
    Ok(Some((
        id,
        SessionAuth {
            user_id,
            tenant_id,
            signed_in_at: now.timestamp(),
        },
    )))
}
