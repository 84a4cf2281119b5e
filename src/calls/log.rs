//! The calls log: everyone's calls as far as the actor's scope reaches (agents their own,
//! supervisors their team's, admins the tenant's), newest first, with filters. Recording links
//! only reach users with `calls.recordings.view`.

use super::{lifecycle::SELECT, Call, CallFilter, CallsPage};
use crate::auth::roles::Permission;
use crate::reports::periods::local_midnight;
use crate::{
    auth::{actor::Actor, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
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
    let tz_name: String = on_db!(db, |pool| sqlx::query_scalar(
        "SELECT timezone FROM tenants WHERE id = $1"
    )
    .bind(actor.tenant_id)
    .fetch_one(pool)
    .await?);
    let tz: Tz = tz_name.parse().unwrap_or(Tz::UTC);
    let from = from.map(|d| local_midnight(tz, d));
    let to = to.map(|d| local_midnight(tz, d + Duration::days(1)));

    let mut calls: Vec<Call> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(format!("{SELECT} WHERE "));
        Visible::to(actor).push(&mut query, "c", "user_id");
        if let Some(user) = user_id {
            query.push(" AND c.user_id = ").push_bind(user);
        }
        if let Some(d) = &direction {
            query.push(" AND c.direction = ").push_bind(d.clone());
        }
        if let Some(d) = disposition_id {
            query.push(" AND c.disposition_id = ").push_bind(d);
        }
        if let Some(at) = from {
            query.push(" AND c.started_at >= ").push_bind(at);
        }
        if let Some(at) = to {
            query.push(" AND c.started_at < ").push_bind(at);
        }
        if let Some(id) = before_id {
            query.push(" AND c.id < ").push_bind(id);
        }
        query.push(" ORDER BY c.id DESC LIMIT ").push_bind(PAGE + 1);
        query.build_query_as::<Call>().fetch_all(pool).await?
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
