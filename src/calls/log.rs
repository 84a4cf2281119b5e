//! The calls log: everyone's calls as far as the actor's scope reaches (agents their own,
//! supervisors their team's, admins the tenant's), newest first, with filters. Recording links
//! only reach users with `calls.recordings.view`.

use super::{
    store::{CallStore, LogQuery},
    Call, CallFilter, CallsPage,
};
use crate::auth::roles::Permission;
use crate::reports::periods::local_midnight;
use crate::{
    auth::{actor::Actor, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
    tenancy::store::TenantStore,
    validation::{optional, FieldErrors},
};
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

const PAGE: i64 = 50;

/// Hides the recording link from users without the right to hear recordings.
pub fn with_recording_rights(mut call: Call, actor: &Actor) -> Call {
    if !actor.has(Permission::CallsRecordingsView) {
        call.recording_url = None;
    }
    call
}

fn parse_date(value: &str) -> Result<Option<NaiveDate>, String> {
    optional(value)
        .map(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .transpose()
        .map_err(|_| "must be a date such as 2026-11-23".to_string())
}

fn parse_id(value: &str) -> Result<Option<i64>, String> {
    optional(value)
        .map(str::parse::<i64>)
        .transpose()
        .map_err(|_| "is not an id".to_string())
}

pub async fn list_calls(
    db: &Db,
    actor: &Actor,
    filter: &CallFilter,
) -> Result<CallsPage, AppError> {
    actor.require(Permission::CallsView)?;
    let mut errors = FieldErrors::default();
    let user_id = errors.check("user_id", parse_id(&filter.user_id)).flatten();
    let disposition_id = errors
        .check("disposition_id", parse_id(&filter.disposition_id))
        .flatten();
    let before_id = errors
        .check("before_id", parse_id(&filter.before_id))
        .flatten();
    let direction = match filter.direction.trim() {
        "" => None,
        d @ ("inbound" | "outbound") => Some(d.to_string()),
        _ => {
            errors.check::<()>("direction", Err("must be inbound or outbound".into()));
            None
        }
    };
    let from = errors.check("from", parse_date(&filter.from)).flatten();
    let to = errors.check("to", parse_date(&filter.to)).flatten();
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errors.check::<()>("to", Err("must not be before from".into()));
        }
    }
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let visible = Visible::to(actor);
    let mut calls = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let tz: Tz = conn
            .tenant_timezone(actor.tenant_id)
            .await?
            .parse()
            .unwrap_or(Tz::UTC);
        let query = LogQuery {
            user_id,
            direction,
            disposition_id,
            from: from.map(|d| local_midnight(tz, d)),
            to: to.map(|d| local_midnight(tz, d + Duration::days(1))),
            before_id,
        };
        conn.call_log(visible, &query, PAGE + 1).await?
    });
    let more = calls.len() as i64 > PAGE;
    calls.truncate(PAGE as usize);
    let next_before_id = more.then(|| calls.last().map(|c| c.id)).flatten();
    Ok(CallsPage {
        calls: calls
            .into_iter()
            .map(|c| with_recording_rights(c, actor))
            .collect(),
        next_before_id,
    })
}
