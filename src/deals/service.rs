//! What may be done with pipelines and deals. Reads need `deals.view`, writes `deals.manage`;
//! deals outside the actor's tenant or scope answer `NotFound`. Each write stores the deal, its
//! audit entry and what its stage asks for (a note, a follow-up task), and reads it back, in one
//! transaction.

use super::{
    input::{
        audit_fields_of, parse_amount, parse_currency, Amount, DealDraft, DealRecord, StageEntry,
    },
    stage_rules::{self, followup_task, FollowupOf},
    store::{self, DealStore, Placement},
    Deal, DealFilter, DealPage, Stage,
};
use crate::db::BeginWrite;
use crate::events::service::{deal_changed, deal_left};
use crate::notifications::service::deal_assigned;
use crate::{
    activities::store::{ActivityStore, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, roles::Permission, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
    pipelines::{service::stage_of_tenant, store::PipelineStore},
    records::{
        owner::owner_changed,
        service::{check_link, checked_owner, restore, set_deleted},
        Keyset, SoftDeletable,
    },
    tasks::service::create_task_in,
    tenancy::store::TenantStore,
    validation::FieldErrors,
};
use chrono::Utc;
use serde_json::{json, Value};

pub use super::moving::move_deal;

/// A live deal the actor may see.
pub(super) async fn find(db: &Db, actor: &Actor, id: i64) -> Result<Deal, AppError> {
    let visible = Visible::to(actor);
    let found = on_db!(db, |pool| {
        pool.acquire().await?.deal(visible, id, false).await?
    });
    found.ok_or(AppError::NotFound)
}

/// The answer to a write made from an old version: the deal as it is now, to start again from.
pub(super) fn stale(current: &Deal) -> AppError {
    AppError::Stale {
        message: "This deal was changed by someone else meanwhile. Here it is as it is now.".into(),
        current: serde_json::to_value(current).unwrap_or(Value::Null),
    }
}

/// Soft delete: the deal leaves the board and lists until an admin restores it.
pub async fn delete_deal(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_write(Permission::DealsManage)?;
    find(db, actor, id).await?;
    set_deleted(db, actor, SoftDeletable::Deal, id, true, client).await
}

pub async fn restore_deal(
    db: &Db,
    actor: &Actor,
    id: i64,
    client: &ClientInfo,
) -> Result<Deal, AppError> {
    let select = (store::SELECT, "d");
    restore(db, actor, SoftDeletable::Deal, select, id, client).await
}

pub async fn get_deal(db: &Db, actor: &Actor, id: i64) -> Result<Deal, AppError> {
    actor.require(Permission::DealsView)?;
    find(db, actor, id).await
}

/// Deals the actor may see, filtered, oldest first, in keyset pages.
pub async fn list_deals(db: &Db, actor: &Actor, filter: &DealFilter) -> Result<DealPage, AppError> {
    actor.require(Permission::DealsView)?;
    // The cursor is the id of the last deal of the page before: digits only, so every cursor
    // the document allows is one.
    if let Some(c) = &filter.cursor {
        if c.is_empty() || !c.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::invalid(
                "cursor",
                "is not a cursor from this list",
            ));
        }
    }
    let keyset = Keyset::<i64>::parse(filter.cursor.as_deref(), filter.limit)?;
    let visible = Visible::to(actor);
    let rows = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .deal_page(visible, filter, keyset.after, keyset.fetch())
            .await?
    });
    let (items, next_cursor) = keyset.finish(rows, |last| last.id);
    Ok(DealPage { items, next_cursor })
}

/// The draft's values resolved and its links checked: the stage, contact and company must be
/// the tenant's, the owner one the actor may give records to. Without a currency the deal takes
/// the tenant's, and a typed amount that currency's decimals.
async fn checked(
    db: &Db,
    actor: &Actor,
    draft: DealDraft,
) -> Result<(DealRecord, Option<Stage>, StageEntry), AppError> {
    let mut errors = FieldErrors::default();
    let links = draft.links;
    let stage = match links.stage_id {
        None => None,
        Some(id) => {
            let stage = stage_of_tenant(db, actor, id).await?;
            if stage.is_none() {
                errors.check::<()>("stage_id", Err("is not one of your stages".into()));
            }
            stage
        }
    };
    let contact = ("contact_id", "is not one of your contact");
    check_link(
        db,
        actor,
        SoftDeletable::Contact,
        links.contact_id,
        contact,
        &mut errors,
    )
    .await?;
    let company = ("company_id", "is not one of your company");
    check_link(
        db,
        actor,
        SoftDeletable::Company,
        links.company_id,
        company,
        &mut errors,
    )
    .await?;
    let owner_id = checked_owner(db, actor, links.owner_id, &mut errors).await?;
    let (input, links) = draft.accept(errors)?;
    let (currency, decimals) = match input.currency {
        Some(currency) => currency,
        None => {
            let code = on_db!(db, |pool| {
                pool.acquire()
                    .await?
                    .tenant_currency(actor.tenant_id)
                    .await?
            });
            parse_currency(&code).unwrap_or((code, 2))
        }
    };
    let amount_minor = match input.amount {
        Amount::Minor(minor) => minor,
        Amount::Typed(text) => {
            parse_amount(&text, decimals).map_err(|reason| AppError::invalid("amount", reason))?
        }
    };
    let record = DealRecord {
        title: input.title,
        amount_minor,
        currency,
        contact_id: links.contact_id,
        company_id: links.company_id,
        owner_id,
        expected_close_on: input.expected_close_on,
    };
    Ok((record, stage, input.entry))
}

/// The note a stage asks for, on the deal's timeline, as a move would write it.
fn entered_note(
    actor: &Actor,
    p: &DealRecord,
    stage: &Stage,
    id: i64,
    note: &str,
    followup: Value,
) -> NewActivity {
    NewActivity {
        tenant_id: actor.tenant_id,
        kind: "stage_change",
        body: note.to_string(),
        payload: json!({
            "from": Value::Null,
            "to": {"id": stage.id, "name": stage.name},
            "followup_on": followup,
        }),
        user_id: Some(actor.user_id),
        contact_id: p.contact_id,
        company_id: p.company_id,
        deal_id: Some(id),
        happened_at: Utc::now(),
    }
}

pub async fn create_deal(
    db: &Db,
    actor: &Actor,
    draft: DealDraft,
    client: &ClientInfo,
) -> Result<Deal, AppError> {
    actor.require_write(Permission::DealsManage)?;
    let (p, stage, entering) = checked(db, actor, draft).await?;
    let stage = match stage {
        Some(stage) => stage,
        None => on_db!(db, |pool| {
            pool.acquire().await?.default_stage(actor.tenant_id).await?
        })
        .ok_or_else(|| AppError::invalid("stage_id", "no pipeline exists yet"))?,
    };
    let mut errors = FieldErrors::default();
    stage_rules::check(&stage, true, &entering, &mut errors);
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let timezone = match entering.followup_on {
        Some(_) => Some(stage_rules::tenant_timezone(db, actor.tenant_id).await?),
        None => None,
    };
    let now = Utc::now();
    let placement = Placement {
        closed_at: (stage.is_won || stage.is_lost).then_some(now),
        stage_entered_at: now,
        stage,
    };
    let visible = Visible::to(actor);
    let created: Option<Deal> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let position = tx.bottom_of(actor.tenant_id, placement.stage.id, 0).await?;
        let id = tx
            .insert_deal(actor.tenant_id, &p, &placement, position, now)
            .await?;
        let entry = AuditEntry::by(actor, "deal.created", "deal", client)
            .entity(id)
            .change("title", Value::Null, p.title.as_str())
            .change("amount_minor", Value::Null, p.amount_minor)
            .change("currency", Value::Null, p.currency.as_str())
            .change("stage_id", Value::Null, placement.stage.id)
            .change("owner_id", Value::Null, p.owner_id);
        tx.insert_audit(&entry).await?;
        deal_assigned(&mut *tx, actor, (id, &p.title), Some(p.owner_id), now).await?;
        deal_changed(&mut *tx, actor.tenant_id, id, now).await?;
        // What the stage asked for goes where a move would put it: the note on the timeline...
        if !entering.note.is_empty() || entering.followup_on.is_some() {
            let followup = json!(entering.followup_on);
            let note = entered_note(actor, &p, &placement.stage, id, &entering.note, followup);
            tx.insert_activity(&note).await?;
        }
        // ...and the follow-up date becomes the owner's task.
        if let (Some(on), Some(tz)) = (entering.followup_on, timezone) {
            let of = FollowupOf {
                deal_id: id,
                title: &p.title,
                owner_id: Some(p.owner_id),
                contact_id: p.contact_id,
            };
            let task = followup_task(of, on, tz, actor.user_id, actor.tenant_id);
            create_task_in(&mut *tx, &actor.name, &task, client).await?;
        }
        let deal = tx.deal(visible, id, false).await?;
        tx.commit().await?;
        deal
    });
    created.ok_or(AppError::NotFound)
}

/// Edits title, amount, links, owner and expected close date (moves go through `move_deal`).
pub async fn update_deal(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    draft: DealDraft,
    client: &ClientInfo,
) -> Result<Deal, AppError> {
    actor.require_write(Permission::DealsManage)?;
    let before = find(db, actor, id).await?;
    if before.version != version {
        return Err(stale(&before));
    }
    // An edit never changes the stage behind the stage's rules: that is a move.
    if draft
        .links
        .stage_id
        .is_some_and(|stage| stage != before.stage_id)
    {
        return Err(AppError::invalid(
            "stage_id",
            "changes only by moving the deal, so the stage's rules apply",
        ));
    }
    let (p, _, _) = checked(db, actor, draft).await?;
    let entry = AuditEntry::by(actor, "deal.updated", "deal", client)
        .entity(id)
        .changed(audit_fields_of(&before), p.audit_fields());
    if entry.changes.is_empty() {
        return Ok(before);
    }
    let visible = Visible::to(actor);
    let (updated, now): (bool, Option<Deal>) = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let at = Utc::now();
        let updated = tx.update_deal(actor.tenant_id, id, version, &p, at).await?;
        if updated {
            tx.insert_audit(&entry).await?;
            deal_changed(&mut *tx, actor.tenant_id, id, at).await?;
            if before.owner_id != Some(p.owner_id) {
                deal_left(&mut *tx, actor.tenant_id, id, before.owner_id, at).await?;
            }
        }
        let now = tx.deal(visible, id, false).await?;
        if let Some(after) = now.as_ref().filter(|_| updated) {
            let from = (before.owner_id, before.owner_name.as_deref());
            let to = (after.owner_id, after.owner_name.as_deref());
            let kind = (SoftDeletable::Deal, id);
            if let Some(entry) = owner_changed(actor, kind, from, to, after.updated_at) {
                tx.insert_activity(&entry).await?;
                let deal = (id, after.title.as_str());
                deal_assigned(&mut *tx, actor, deal, after.owner_id, after.updated_at).await?;
            }
        }
        tx.commit().await?;
        (updated, now)
    });
    let now = now.ok_or(AppError::NotFound)?;
    if updated {
        Ok(now)
    } else {
        Err(stale(&now))
    }
}

/// Folds the titles of deals saved before deals were searchable (see the migration
/// `deal_search`); the number written. Run at start-up; idempotent, and safe with several
/// instances starting at once.
pub async fn fold_saved_titles(db: &Db) -> Result<u64, AppError> {
    let mut written = 0;
    let mut after_id = 0;
    loop {
        let rows = on_db!(db, |pool| {
            pool.acquire()
                .await?
                .titles_without_search_text(after_id, 500)
                .await?
        });
        let Some(&(last, _)) = rows.last() else {
            return Ok(written);
        };
        after_id = last;
        on_db!(db, |pool| {
            let mut tx = pool.begin_write().await?;
            for (id, title) in &rows {
                tx.set_search_text(*id, &crate::search::fold(title)).await?;
            }
            tx.commit().await?;
        });
        written += rows.len() as u64;
    }
}
