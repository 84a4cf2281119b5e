//! Call detail records from the PBX: talk time and the recording link, attached to the call
//! they describe. Idempotent on `pbx_call_id`: the PBX may send a record twice. A record that
//! matches no call is kept as unmatched, never dropped.

use super::pbx_token::PbxCaller;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    db::{BeginWrite, Db},
    error::AppError,
    on_db,
    validation::FieldErrors,
};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What the PBX sends.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cdr {
    /// The PBX's own id of the call (e.g. FreeSWITCH's uuid); at most 200 characters once
    /// trimmed.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    pub pbx_call_id: String,
    /// The CRM call it belongs to, when the PBX knows it (the console passes it on at dial).
    #[serde(default)]
    pub call_id: Option<i64>,
    /// Billable talk time, up to a week.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 604800)]
    pub duration_seconds: Option<i64>,
    /// An http(s) link without white space.
    #[serde(default)]
    #[schema(max_length = 2000, pattern = r"^https?://\S*$")]
    pub recording_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CdrOutcome {
    /// Attached to this call (again, for a repeated record).
    Attached { call_id: i64 },
    /// No call matched; kept for later.
    Unmatched { pbx_call_id: String },
}

fn validate(cdr: &Cdr) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let id = cdr.pbx_call_id.trim();
    if id.is_empty() || id.chars().count() > 200 {
        errors.check::<()>(
            "pbx_call_id",
            Err("is required, at most 200 characters".into()),
        );
    }
    if cdr
        .duration_seconds
        .is_some_and(|d| !(0..=7 * 86_400).contains(&d))
    {
        errors.check::<()>(
            "duration_seconds",
            Err("must be between 0 and 604800".into()),
        );
    }
    if let Some(url) = &cdr.recording_url {
        let web = url.starts_with("https://") || url.starts_with("http://");
        if !web || url.chars().count() > 2000 || url.chars().any(char::is_whitespace) {
            errors.check::<()>(
                "recording_url",
                Err("must be an http(s) link of at most 2000 characters".into()),
            );
        }
    }
    match AppError::from_field_errors(errors.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
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
    validate(cdr)?;
    let pbx_call_id = cdr.pbx_call_id.trim().to_string();
    let tenant = pbx.tenant_id;
    let now = Utc::now();
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let mut call: Option<i64> =
            sqlx::query_scalar("SELECT id FROM calls WHERE tenant_id = $1 AND pbx_call_id = $2")
                .bind(tenant)
                .bind(&pbx_call_id)
                .fetch_optional(&mut *tx)
                .await?;
        if let (None, Some(id)) = (call, cdr.call_id) {
            call = sqlx::query_scalar(
                "SELECT id FROM calls WHERE tenant_id = $1 AND id = $2 AND pbx_call_id IS NULL",
            )
            .bind(tenant)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        }
        let outcome =
            match call {
                Some(id) => {
                    sqlx::query(
                        "UPDATE calls SET pbx_call_id = $1,
                        duration_seconds = COALESCE($2, duration_seconds),
                        recording_url = COALESCE($3, recording_url), updated_at = $4
                     WHERE tenant_id = $5 AND id = $6",
                    )
                    .bind(&pbx_call_id)
                    .bind(cdr.duration_seconds)
                    .bind(&cdr.recording_url)
                    .bind(now)
                    .bind(tenant)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    CdrOutcome::Attached { call_id: id }
                }
                None => {
                    sqlx::query(
                    "INSERT INTO pbx_unmatched_cdrs (tenant_id, pbx_call_id, payload, received_at)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (tenant_id, pbx_call_id)
                     DO UPDATE SET payload = excluded.payload, received_at = excluded.received_at")
                    .bind(tenant).bind(&pbx_call_id).bind(sqlx::types::Json(cdr)).bind(now)
                    .execute(&mut *tx).await?;
                    CdrOutcome::Unmatched {
                        pbx_call_id: pbx_call_id.clone(),
                    }
                }
            };
        // No person posted it: the audit row names the PBX token instead of an actor.
        let entry = AuditEntry::new("call.cdr_received", "call", client)
            .tenant(tenant)
            .change("pbx_token", serde_json::Value::Null, pbx.prefix.as_str());
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
