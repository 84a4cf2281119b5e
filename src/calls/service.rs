//! A call from dial to wrap-up. The agent starts it (click-to-call or by hand), the phone's
//! events move it through the state machine, and the wrap-up closes it with a disposition and
//! lands it on the client's timeline. An agent has at most one unfinished call: the next one
//! cannot start before the last is wrapped up.

use super::{
    phone::to_e164,
    related::{contact_with_number, related},
    state::{CallEvent, CallState},
    store::{CallProgress, CallStore, CallWrapUp, NewCall},
    Call, ConsoleState, StartCallForm, WrapUpForm,
};
use crate::auth::roles::Permission;
use crate::events::{service::timeline_added, LiveEntity};
use crate::{
    activities::store::{ActivityStore, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::actor::Actor,
    db::{BeginWrite, Db},
    error::AppError,
    notifications::{
        service::{clipped, notify_in},
        store::NewNotification,
        NotificationAbout, NotificationKind,
    },
    on_db,
    validation::{optional, FieldErrors},
};
use chrono::{DateTime, Utc};
use serde_json::json;

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
        if let Some(found) = contact_with_number(db, actor, &number).await? {
            related = found;
        }
    }
    let (from, to) = match direction {
        "inbound" => (number.as_str(), ""),
        _ => ("", number.as_str()),
    };
    let now = Utc::now();
    let call = NewCall {
        direction,
        from_number: from,
        to_number: to,
        contact_id: related.contact_id,
        company_id: related.company_id,
        deal_id: related.deal_id,
        request_id: request_id.as_deref(),
    };
    let (tenant_id, user_id) = (actor.tenant_id, actor.user_id);
    let started: Option<Call> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        if let Some(request) = &request_id {
            if let Some(id) = tx.call_for_request(tenant_id, user_id, request).await? {
                let repeated = tx.own_call(tenant_id, user_id, id).await?;
                return repeated
                    .map(|c| super::log::with_recording_rights(c, actor))
                    .ok_or(AppError::NotFound);
            }
        }
        if let Some(unfinished) = tx.unfinished_call(tenant_id, user_id).await? {
            let what = if unfinished.state.is_live() {
                "is still going: end it"
            } else {
                "needs its wrap-up"
            };
            return Err(AppError::Conflict(format!(
                "Call #{} {what} before starting another one",
                unfinished.id
            )));
        }
        let id = tx
            .insert_call(tenant_id, user_id, &call, now)
            .await
            .map_err(started_meanwhile)?;
        let mut entry = AuditEntry::by(actor, "call.started", "call", client).entity(id);
        entry.changes.insert("number".into(), json!(number));
        entry.changes.insert("direction".into(), json!(direction));
        tx.insert_audit(&entry).await?;
        let started = tx.own_call(tenant_id, user_id, id).await?;
        tx.commit().await?;
        started
    });
    started
        .map(|c| super::log::with_recording_rights(c, actor))
        .ok_or(AppError::Internal)
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
    let call = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .own_call(actor.tenant_id, actor.user_id, id)
            .await?
    });
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
    let progress = CallProgress {
        next,
        answered_at,
        ended_at,
        duration_seconds: duration,
    };
    let (tenant_id, user_id) = (actor.tenant_id, actor.user_id);
    let moved: Option<Call> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        if !tx
            .progress_call(tenant_id, user_id, id, call.state, &progress, now)
            .await?
        {
            return Err(AppError::Conflict(
                "The call changed meanwhile; reload it".into(),
            ));
        }
        if ended && answered_at.is_none() && call.direction == "inbound" {
            notify_in(&mut *tx, &missed(tenant_id, &call), now).await?;
        }
        let moved = tx.own_call(tenant_id, user_id, id).await?;
        tx.commit().await?;
        moved
    });
    moved
        .map(|c| super::log::with_recording_rights(c, actor))
        .ok_or(AppError::NotFound)
}

/// Tells the user an incoming call rang out for them; the record it names is the call.
fn missed(tenant_id: i64, call: &Call) -> NewNotification {
    let who = call.contact_name.as_deref().unwrap_or(&call.from_number);
    NewNotification {
        tenant_id,
        user_id: call.user_id,
        kind: NotificationKind::CallMissed,
        title: clipped(format!("Missed call from {who}")),
        body: call.from_number.clone(),
        link: Some(match call.contact_id {
            Some(contact) => format!("/contacts/{contact}"),
            None => "/calls".into(),
        }),
        about: Some((NotificationAbout::Call, call.id)),
        dedup_key: Some(format!("call_missed:{}", call.id)),
    }
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
            let found = crate::dispositions::service::list(db, actor)
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
    let (tenant_id, user_id) = (actor.tenant_id, actor.user_id);
    let wrapped: Option<Call> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let activity_id = tx.insert_activity(&activity).await?;
        let wrap_up = CallWrapUp {
            disposition_id: disposition.id,
            notes: &notes,
            activity_id,
        };
        if !tx
            .wrap_up_call(tenant_id, user_id, id, call.state, &wrap_up, now)
            .await?
        {
            return Err(AppError::Conflict(
                "The call changed meanwhile; reload it".into(),
            ));
        }
        if let Some(contact) = call.contact_id {
            tx.mark_contacted(tenant_id, contact, call.started_at)
                .await?;
        }
        let records = [
            (LiveEntity::Contact, call.contact_id),
            (LiveEntity::Company, call.company_id),
            (LiveEntity::Deal, call.deal_id),
        ];
        timeline_added(&mut *tx, tenant_id, records, now).await?;
        let mut entry = AuditEntry::by(actor, "call.wrapped_up", "call", client).entity(id);
        entry
            .changes
            .insert("disposition".into(), json!(disposition.name));
        tx.insert_audit(&entry).await?;
        let wrapped = tx.own_call(tenant_id, user_id, id).await?;
        tx.commit().await?;
        wrapped
    });
    wrapped
        .map(|c| super::log::with_recording_rights(c, actor))
        .ok_or(AppError::NotFound)
}

/// The console's opening state: the agent's unfinished call (live, or waiting for wrap-up),
/// the latest calls and the dispositions.
pub async fn console_state(db: &Db, actor: &Actor) -> Result<ConsoleState, AppError> {
    actor.require(Permission::CallsPlace)?;
    let (current, recent) = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let current = conn.unfinished_call(actor.tenant_id, actor.user_id).await?;
        let recent = conn
            .recent_calls(actor.tenant_id, actor.user_id, 10)
            .await?;
        (current, recent)
    });
    let rights = |c: Call| super::log::with_recording_rights(c, actor);
    Ok(ConsoleState {
        current: current.map(rights),
        recent: recent.into_iter().map(rights).collect(),
        dispositions: crate::dispositions::service::list(db, actor).await?,
    })
}
