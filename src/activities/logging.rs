//! Logging a call, email, meeting or note by hand, and reading a card's timeline.

use super::{
    queries::{ActivityLog, NewActivity, SELECT},
    Activity, ActivityForm, TimelineOf, TimelinePage,
};
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::actor::Actor,
    db::Db,
    error::AppError,
    on_db,
    validation::{optional, parse_optional_id, FieldErrors},
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

pub const LOGGABLE: [&str; 4] = ["call", "email", "meeting", "note"];

/// The links an activity gets: the ones given, completed from the deal (its contact and company)
/// and the contact (its company), so each card's timeline is one indexed query.
#[derive(Debug, Default, PartialEq, Eq)]
struct Links {
    contact_id: Option<i64>,
    company_id: Option<i64>,
    deal_id: Option<i64>,
}

async fn resolve_links(
    db: &Db,
    actor: &Actor,
    form: &ActivityForm,
    errors: &mut FieldErrors,
) -> Result<Links, AppError> {
    let mut links = Links::default();
    if let Some(deal) = errors
        .check("deal_id", parse_optional_id(&form.deal_id))
        .flatten()
    {
        match crate::deals::service::get_deal(db, actor, deal).await {
            Ok(d) => {
                links.deal_id = Some(d.id);
                links.contact_id = d.contact_id;
                links.company_id = d.company_id;
            }
            Err(AppError::NotFound) => {
                errors.check::<()>("deal_id", Err("is not one of your deals".into()));
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(contact) = errors
        .check("contact_id", parse_optional_id(&form.contact_id))
        .flatten()
    {
        match crate::contacts::service::get_contact(db, actor, contact).await {
            Ok(c) => {
                links.contact_id = Some(c.id);
                links.company_id = links.company_id.or(c.company_id);
            }
            Err(AppError::NotFound) => {
                errors.check::<()>("contact_id", Err("is not one of your contacts".into()));
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(company) = errors
        .check("company_id", parse_optional_id(&form.company_id))
        .flatten()
    {
        match crate::companies::service::get_company(db, actor, company).await {
            Ok(c) => links.company_id = Some(c.id),
            Err(AppError::NotFound) => {
                errors.check::<()>("company_id", Err("is not one of your companies".into()));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(links)
}

/// Writes the activity; a call, email or meeting also marks its contact as contacted.
pub async fn log_activity(
    db: &Db,
    actor: &Actor,
    form: &ActivityForm,
    client: &ClientInfo,
) -> Result<Activity, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let mut errors = FieldErrors::default();
    let kind = LOGGABLE.into_iter().find(|k| *k == form.kind.trim());
    if kind.is_none() {
        errors.check::<()>(
            "kind",
            Err(format!("must be one of {}", LOGGABLE.join(", "))),
        );
    }
    let body = form.body.trim().to_string();
    if body.chars().count() > 10_000 {
        errors.check::<()>("body", Err("must be at most 10,000 characters".into()));
    }
    if kind == Some("note") && body.is_empty() {
        errors.check::<()>("body", Err("is required for a note".into()));
    }
    let mut payload = Map::new();
    if matches!(kind, Some("call" | "email")) {
        match optional(&form.direction) {
            Some(d @ ("inbound" | "outbound")) => {
                payload.insert("direction".into(), json!(d));
            }
            _ => {
                errors.check::<()>("direction", Err("must be inbound or outbound".into()));
            }
        }
    }
    if kind == Some("email") {
        match optional(&form.subject) {
            Some(subject) if subject.chars().count() <= 300 => {
                payload.insert("subject".into(), json!(subject));
            }
            Some(_) => {
                errors.check::<()>("subject", Err("must be at most 300 characters".into()));
            }
            None => {
                errors.check::<()>("subject", Err("is required for an email".into()));
            }
        }
    }
    if kind == Some("call") {
        if let Some(d) = optional(&form.duration_seconds) {
            match d.parse::<u32>() {
                Ok(seconds) => {
                    payload.insert("duration_seconds".into(), json!(seconds));
                }
                Err(_) => {
                    errors.check::<()>(
                        "duration_seconds",
                        Err("must be a whole number of seconds".into()),
                    );
                }
            }
        }
    }
    let now = Utc::now();
    let happened_at = match optional(&form.happened_at) {
        None => now,
        Some(at) => match DateTime::parse_from_rfc3339(at) {
            Ok(at) if at.with_timezone(&Utc) <= now + Duration::days(1) => at.with_timezone(&Utc),
            Ok(_) => {
                errors.check::<()>("happened_at", Err("cannot be in the future".into()));
                now
            }
            Err(_) => {
                errors.check::<()>(
                    "happened_at",
                    Err("must be a date and time such as 2026-11-23T14:30:00Z".into()),
                );
                now
            }
        },
    };
    let links = resolve_links(db, actor, form, &mut errors).await?;
    if links == Links::default() && errors.is_empty() {
        errors.check::<()>(
            "contact_id",
            Err("link the activity to a contact, company or deal".into()),
        );
    }
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let kind = kind.ok_or(AppError::Internal)?;
    let activity = NewActivity {
        tenant_id: actor.tenant_id,
        kind,
        body,
        payload: Value::Object(payload),
        user_id: Some(actor.user_id),
        contact_id: links.contact_id,
        company_id: links.company_id,
        deal_id: links.deal_id,
        happened_at,
    };
    let touches_contact = matches!(kind, "call" | "email" | "meeting");
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx.insert_activity(&activity).await?;
        let entry = AuditEntry::by(actor, "activity.logged", "activity", client)
            .entity(id)
            .change("kind", Value::Null, kind)
            .change("contact_id", Value::Null, links.contact_id)
            .change("company_id", Value::Null, links.company_id)
            .change("deal_id", Value::Null, links.deal_id);
        tx.insert_audit(&entry).await?;
        if let (true, Some(contact)) = (touches_contact, links.contact_id) {
            sqlx::query(
                "UPDATE contacts SET last_contacted_at = $1
                 WHERE id = $2 AND tenant_id = $3 AND (last_contacted_at IS NULL OR last_contacted_at < $1)",
            )
            .bind(happened_at)
            .bind(contact)
            .bind(actor.tenant_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        id
    });
    let found = on_db!(db, |pool| pool
        .acquire()
        .await?
        .activity_by_id(actor.tenant_id, id)
        .await?);
    found.ok_or(AppError::Internal)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Cursor {
    at: DateTime<Utc>,
    id: i64,
}

/// A card's timeline, newest first, in keyset pages. The card must be visible to the actor.
pub async fn timeline(
    db: &Db,
    actor: &Actor,
    of: TimelineOf,
    id: i64,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<TimelinePage, AppError> {
    let column = match of {
        TimelineOf::Contact => {
            crate::contacts::service::get_contact(db, actor, id).await?;
            "contact_id"
        }
        TimelineOf::Company => {
            crate::companies::service::get_company(db, actor, id).await?;
            "company_id"
        }
        TimelineOf::Deal => {
            crate::deals::service::get_deal(db, actor, id).await?;
            "deal_id"
        }
    };
    let limit = crate::records::page_limit(limit)?;
    let cursor: Option<Cursor> = match cursor {
        None => None,
        Some(c) => Some(
            serde_json::from_str(c)
                .map_err(|_| AppError::invalid("cursor", "is not a cursor from this timeline"))?,
        ),
    };
    let mut items: Vec<Activity> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(format!("{SELECT} WHERE a.tenant_id = "));
        query
            .push_bind(actor.tenant_id)
            .push(format!(" AND a.{column} = "))
            .push_bind(id);
        if let Some(c) = &cursor {
            query
                .push(" AND (a.happened_at < ")
                .push_bind(c.at)
                .push(" OR (a.happened_at = ")
                .push_bind(c.at)
                .push(" AND a.id < ")
                .push_bind(c.id)
                .push("))");
        }
        query
            .push(" ORDER BY a.happened_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit) + 1);
        query.build_query_as::<Activity>().fetch_all(pool).await?
    });
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = more.then(|| items.last()).flatten().map(|last| {
        serde_json::to_string(&Cursor {
            at: last.happened_at,
            id: last.id,
        })
        .unwrap_or_default()
    });
    Ok(TimelinePage { items, next_cursor })
}
