//! Logging a call, email, meeting or note by hand, and reading a card's timeline. Logging needs
//! `contacts.manage` and links only to records the actor may see; it writes the activity, its
//! audit entry and the contact's `last_contacted_at`, and reads the activity back, in one
//! transaction. A timeline is readable when its card is.

use super::{
    input::{ActivityDraft, ActivityLinks},
    store::{ActivityStore, NewActivity, TimelineCursor},
    Activity, TimelineOf, TimelinePage,
};
use crate::db::BeginWrite;
use crate::events::{service::timeline_added, LiveEntity};
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, roles::Permission},
    db::Db,
    error::AppError,
    on_db,
    records::Keyset,
    validation::FieldErrors,
};
use serde_json::Value;

/// The links an activity gets: the ones given, completed from the deal (its contact and company)
/// and the contact (its company), so each card's timeline is one indexed query. A record the
/// actor cannot see is a field error.
async fn resolve_links(
    db: &Db,
    actor: &Actor,
    given: ActivityLinks,
    errors: &mut FieldErrors,
) -> Result<ActivityLinks, AppError> {
    let mut links = ActivityLinks::default();
    if let Some(deal) = given.deal_id {
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
    if let Some(contact) = given.contact_id {
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
    if let Some(company) = given.company_id {
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
    draft: ActivityDraft,
    client: &ClientInfo,
) -> Result<Activity, AppError> {
    actor.require_write(Permission::ContactsManage)?;
    let mut errors = FieldErrors::default();
    let links = resolve_links(db, actor, draft.links, &mut errors).await?;
    // Asked for only when nothing else is wrong: a bad or unseen link says more.
    if links == ActivityLinks::default() && draft.values.is_ok() && errors.is_empty() {
        errors.check::<()>(
            "contact_id",
            Err("link the activity to a contact, company or deal".into()),
        );
    }
    let (input, _) = draft.accept(errors)?;
    let payload = input.payload();
    let activity = NewActivity {
        tenant_id: actor.tenant_id,
        kind: input.kind.as_str(),
        body: input.body,
        payload,
        user_id: Some(actor.user_id),
        contact_id: links.contact_id,
        company_id: links.company_id,
        deal_id: links.deal_id,
        happened_at: input.happened_at,
    };
    let found = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id = tx.insert_activity(&activity).await?;
        let entry = AuditEntry::by(actor, "activity.logged", "activity", client)
            .entity(id)
            .change("kind", Value::Null, activity.kind)
            .change("contact_id", Value::Null, links.contact_id)
            .change("company_id", Value::Null, links.company_id)
            .change("deal_id", Value::Null, links.deal_id);
        tx.insert_audit(&entry).await?;
        if let (true, Some(contact)) = (input.kind.marks_contacted(), links.contact_id) {
            tx.mark_contacted(actor.tenant_id, contact, input.happened_at)
                .await?;
        }
        let records = [
            (LiveEntity::Contact, links.contact_id),
            (LiveEntity::Company, links.company_id),
            (LiveEntity::Deal, links.deal_id),
        ];
        timeline_added(&mut *tx, actor.tenant_id, records, chrono::Utc::now()).await?;
        let found = tx.activity_by_id(actor.tenant_id, id).await?;
        tx.commit().await?;
        found
    });
    found.ok_or(AppError::Internal)
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
    match of {
        TimelineOf::Contact => {
            crate::contacts::service::get_contact(db, actor, id).await?;
        }
        TimelineOf::Company => {
            crate::companies::service::get_company(db, actor, id).await?;
        }
        TimelineOf::Deal => {
            crate::deals::service::get_deal(db, actor, id).await?;
        }
    }
    let keyset =
        Keyset::<TimelineCursor>::parse(cursor, limit).map_err(|e| match e.field("cursor") {
            Some(_) => AppError::invalid("cursor", "is not a cursor from this timeline"),
            None => e,
        })?;
    let rows = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .timeline_page(
                actor.tenant_id,
                of,
                id,
                keyset.after.as_ref(),
                keyset.fetch(),
            )
            .await?
    });
    let (items, next_cursor) = keyset.finish(rows, TimelineCursor::after);
    Ok(TimelinePage { items, next_cursor })
}
