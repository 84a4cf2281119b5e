//! A call from dial to wrap-up. The agent starts it (click-to-call or by hand), the phone's
//! events move it through the state machine, and the wrap-up closes it with a disposition and
//! lands it on the client's timeline. An agent has at most one unfinished call: the next one
//! cannot start before the last is wrapped up.

use super::{
    phone::to_e164,
    related::{contact_with_number, related},
    state::{CallEvent, CallState},
    Call, ConsoleState, StartCallForm, WrapUpForm,
};
use crate::auth::roles::Permission;
use crate::{
    activities::store::{ActivityStore, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::actor::Actor,
    db::{BeginWrite, Db},
    error::AppError,
    on_db,
    validation::{optional, FieldErrors},
};
use chrono::{DateTime, Utc};
use serde_json::json;

pub(super) const SELECT: &str = "SELECT c.id, c.user_id, u.name AS user_name, c.direction,
        c.from_number, c.to_number, c.contact_id, ct.name AS contact_name, c.company_id,
        c.deal_id, d.title AS deal_title, c.state, c.started_at, c.answered_at, c.ended_at,
        c.duration_seconds, c.disposition_id, cd.name AS disposition_name, c.wrapup_notes,
        c.recording_url
    FROM calls c
    JOIN users u ON u.id = c.user_id
    LEFT JOIN contacts ct ON ct.id = c.contact_id
    LEFT JOIN deals d ON d.id = c.deal_id
    LEFT JOIN call_dispositions cd ON cd.id = c.disposition_id";

/// States of a call that is not finished: live, or over and waiting for its wrap-up.
const UNFINISHED: &str = "('dialing', 'ringing', 'answered', 'ended', 'failed', 'interrupted')";

/// Starts a call for the actor. A repeated `request_id` answers the call it already started.
pub async fn start_call(
    db: &Db,
    actor: &Actor,
    form: &StartCallForm,
    client: &ClientInfo,
) -> Result<Call, AppError> {
    actor.require_write(Permission::CallsPlace)?;
    let mut errors = FieldErrors::default();
    let direction = match form.direction.trim() {
        "" | "outbound" => "outbound",
        "inbound" => "inbound",
        _ => {
            errors.check::<()>("direction", Err("must be outbound or inbound".into()));
            "outbound"
        }
    };
    let country = super::country::default_country(db, actor).await?;
    let number = errors.check("number", to_e164(&form.number, &country));
    let request_id = optional(&form.request_id).map(str::to_string);
    if request_id.as_ref().is_some_and(|r| r.len() > 100) {
        errors.check::<()>("request_id", Err("must be at most 100 characters".into()));
    }
    let mut related = related(db, actor, form, &mut errors).await?;
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let number = number.ok_or(AppError::Internal)?;
    if direction == "inbound" && form.related_type.trim().is_empty() {
        if let Some(found) = contact_with_number(db, actor, &number, &country).await? {
            related = found;
        }
    }
    let (from, to) = match direction {
        "inbound" => (number.as_str(), ""),
        _ => ("", number.as_str()),
    };
    let now = Utc::now();
    let id: i64 = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        if let Some(request) = &request_id {
            let repeated: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM calls WHERE tenant_id = $1 AND user_id = $2 AND request_id = $3",
            )
            .bind(actor.tenant_id)
            .bind(actor.user_id)
            .bind(request)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = repeated {
                return get_call(db, actor, id).await;
            }
        }
        let unfinished: Option<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, state FROM calls WHERE tenant_id = $1 AND user_id = $2 AND state IN {UNFINISHED}
             ORDER BY id LIMIT 1"))
            .bind(actor.tenant_id).bind(actor.user_id)
            .fetch_optional(&mut *tx).await?;
        if let Some((id, state)) = unfinished {
            let what = if CallState::try_from(state).is_ok_and(CallState::is_live) {
                "is still going: end it"
            } else {
                "needs its wrap-up"
            };
            return Err(AppError::Conflict(format!(
                "Call #{id} {what} before starting another one"
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calls (tenant_id, user_id, direction, from_number, to_number, contact_id,
                company_id, deal_id, state, request_id, started_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'dialing', $9, $10, $10, $10) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(actor.user_id)
        .bind(direction)
        .bind(from)
        .bind(to)
        .bind(related.contact_id)
        .bind(related.company_id)
        .bind(related.deal_id)
        .bind(&request_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(started_meanwhile)?;
        let mut entry = AuditEntry::by(actor, "call.started", "call", client).entity(id);
        entry.changes.insert("number".into(), json!(number));
        entry.changes.insert("direction".into(), json!(direction));
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        id
    });
    get_call(db, actor, id).await
}

/// Two starts at the same moment (two consoles, a double click): the database keeps one
/// unfinished call per agent and one call per request; the other start is a conflict.
fn started_meanwhile(error: sqlx::Error) -> AppError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            AppError::Conflict("Another call was started at the same moment".into())
        }
        _ => error.into(),
    }
}

/// One of the actor's own calls. Other people's calls are not found: only the agent on the
/// call moves it along.
pub async fn get_call(db: &Db, actor: &Actor, id: i64) -> Result<Call, AppError> {
    let call: Option<Call> = on_db!(db, |pool| sqlx::query_as(&format!(
        "{SELECT} WHERE c.tenant_id = $1 AND c.user_id = $2 AND c.id = $3"
    ))
    .bind(actor.tenant_id)
    .bind(actor.user_id)
    .bind(id)
    .fetch_optional(pool)
    .await?);
    call.map(|c| super::log::with_recording_rights(c, actor))
        .ok_or(AppError::NotFound)
}

/// Applies a phone event (ring, answer, hang up, fail, interrupt) to one of the actor's calls.
/// Events the state machine does not allow now are a 409 and change nothing.
pub async fn advance(db: &Db, actor: &Actor, id: i64, event: CallEvent) -> Result<Call, AppError> {
    actor.require_write(Permission::CallsPlace)?;
    if event == CallEvent::WrapUp {
        return Err(AppError::invalid("event", "a wrap-up needs a disposition"));
    }
    let call = get_call(db, actor, id).await?;
    let next = call.state.next(event).ok_or_else(|| {
        AppError::Conflict(format!(
            "A call that is {} cannot take '{}'",
            call.state.as_str().replace('_', " "),
            event.as_str()
        ))
    })?;
    let now = Utc::now();
    let answered_at = match next {
        CallState::Answered => Some(now),
        _ => call.answered_at,
    };
    let ended = !next.is_live();
    let ended_at = ended.then_some(now);
    // Talk time: from answer to end; a call never answered lasted 0 s.
    let duration = ended.then(|| talk_seconds(answered_at, now));
    on_db!(db, |pool| {
        let changed = sqlx::query(
            "UPDATE calls SET state = $1, answered_at = $2, ended_at = COALESCE($3, ended_at),
                duration_seconds = COALESCE($4, duration_seconds), updated_at = $5
             WHERE tenant_id = $6 AND user_id = $7 AND id = $8 AND state = $9",
        )
        .bind(next.as_str())
        .bind(answered_at)
        .bind(ended_at)
        .bind(duration)
        .bind(now)
        .bind(actor.tenant_id)
        .bind(actor.user_id)
        .bind(id)
        .bind(call.state.as_str())
        .execute(pool)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::Conflict(
                "The call changed meanwhile; reload it".into(),
            ));
        }
    });
    get_call(db, actor, id).await
}

fn talk_seconds(answered_at: Option<DateTime<Utc>>, ended_at: DateTime<Utc>) -> i64 {
    answered_at
        .map(|a| (ended_at - a).num_seconds().max(0))
        .unwrap_or(0)
}

/// Closes an ended, failed or interrupted call with a disposition (and a note when the
/// disposition asks for one), writes the `call` activity on its contact's, company's and deal's
/// timelines and marks the contact as contacted, all in one transaction.
pub async fn wrap_up(
    db: &Db,
    actor: &Actor,
    id: i64,
    form: &WrapUpForm,
    client: &ClientInfo,
) -> Result<Call, AppError> {
    actor.require_write(Permission::CallsPlace)?;
    let call = get_call(db, actor, id).await?;
    if !call.state.needs_wrap_up() {
        let why = if call.state.is_live() {
            "is still going: end it first"
        } else {
            "is already wrapped up"
        };
        return Err(AppError::Conflict(format!("Call #{id} {why}")));
    }
    let mut errors = FieldErrors::default();
    let notes = form.notes.trim().to_string();
    if notes.chars().count() > 10_000 {
        errors.check::<()>("notes", Err("must be at most 10,000 characters".into()));
    }
    let disposition = match optional(&form.disposition_id).map(str::parse::<i64>) {
        None => {
            errors.check::<()>(
                "disposition_id",
                Err("is required: pick how the call ended".into()),
            );
            None
        }
        Some(Err(_)) => {
            errors.check::<()>("disposition_id", Err("is not an id".into()));
            None
        }
        Some(Ok(d)) => {
            let found = super::dispositions::list(db, actor)
                .await?
                .into_iter()
                .find(|x| x.id == d);
            if found.is_none() {
                errors.check::<()>(
                    "disposition_id",
                    Err("is not one of your dispositions".into()),
                );
            }
            found
        }
    };
    if let Some(d) = &disposition {
        if d.requires_note && notes.is_empty() {
            errors.check::<()>("notes", Err(format!("is required for '{}'", d.name)));
        }
    }
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let disposition = disposition.ok_or(AppError::Internal)?;
    let now = Utc::now();
    let activity = NewActivity {
        tenant_id: actor.tenant_id,
        kind: "call",
        body: notes.clone(),
        payload: json!({
            "call_id": call.id,
            "direction": call.direction,
            "number": call.their_number(),
            "duration_seconds": call.duration_seconds.unwrap_or(0),
            "disposition": disposition.name,
            "outcome": call.state.as_str(),
        }),
        user_id: Some(actor.user_id),
        contact_id: call.contact_id,
        company_id: call.company_id,
        deal_id: call.deal_id,
        happened_at: call.started_at,
    };
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let activity_id = tx.insert_activity(&activity).await?;
        let changed = sqlx::query(
            "UPDATE calls SET state = 'wrapped_up', disposition_id = $1, wrapup_notes = $2,
                wrapped_up_at = $3, activity_id = $4, updated_at = $3
             WHERE tenant_id = $5 AND user_id = $6 AND id = $7 AND state = $8",
        )
        .bind(disposition.id)
        .bind(&notes)
        .bind(now)
        .bind(activity_id)
        .bind(actor.tenant_id)
        .bind(actor.user_id)
        .bind(id)
        .bind(call.state.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::Conflict(
                "The call changed meanwhile; reload it".into(),
            ));
        }
        if let Some(contact) = call.contact_id {
            sqlx::query(
                "UPDATE contacts SET last_contacted_at = $1
                 WHERE id = $2 AND tenant_id = $3 AND (last_contacted_at IS NULL OR last_contacted_at < $1)")
                .bind(call.started_at).bind(contact).bind(actor.tenant_id)
                .execute(&mut *tx).await?;
        }
        let mut entry = AuditEntry::by(actor, "call.wrapped_up", "call", client).entity(id);
        entry
            .changes
            .insert("disposition".into(), json!(disposition.name));
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    get_call(db, actor, id).await
}

/// The console's opening state: the agent's unfinished call (live, or waiting for wrap-up),
/// the latest calls and the dispositions.
pub async fn console_state(db: &Db, actor: &Actor) -> Result<ConsoleState, AppError> {
    actor.require(Permission::CallsPlace)?;
    let current: Option<Call> = on_db!(db, |pool| sqlx::query_as(&format!(
        "{SELECT} WHERE c.tenant_id = $1 AND c.user_id = $2 AND c.state IN {UNFINISHED}
         ORDER BY c.id LIMIT 1"
    ))
    .bind(actor.tenant_id)
    .bind(actor.user_id)
    .fetch_optional(pool)
    .await?);
    let recent: Vec<Call> = on_db!(db, |pool| sqlx::query_as(&format!(
        "{SELECT} WHERE c.tenant_id = $1 AND c.user_id = $2 ORDER BY c.id DESC LIMIT 10"
    ))
    .bind(actor.tenant_id)
    .bind(actor.user_id)
    .fetch_all(pool)
    .await?);
    let rights = |c: Call| super::log::with_recording_rights(c, actor);
    Ok(ConsoleState {
        current: current.map(rights),
        recent: recent.into_iter().map(rights).collect(),
        dispositions: super::dispositions::list(db, actor).await?,
    })
}
