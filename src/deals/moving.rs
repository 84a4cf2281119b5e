//! Moving a deal between stages and within a column.

use super::{
    input::StageEntry,
    service::{find, stale},
    stage_rules,
    store::{DealStore, Placement},
    DealMove, MovedDeal,
};
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::events::service::deal_changed;
use crate::{
    activities::store::{ActivityStore, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
    pipelines::service::stage_of_tenant,
    tasks::service::create_task_in,
    validation::FieldErrors,
};
use chrono::Utc;
use serde_json::json;

/// Moves the deal to `request.stage_id` at `request.position` (the end when absent), enforcing
/// the target stage's rules, all in one transaction guarded by the deal's version.
pub async fn move_deal(
    db: &Db,
    actor: &Actor,
    id: i64,
    request: &DealMove,
    client: &ClientInfo,
) -> Result<MovedDeal, AppError> {
    actor.require_write(Permission::DealsManage)?;
    let before = find(db, actor, id).await?;
    if before.version != request.version {
        return Err(stale(&before));
    }
    let target = stage_of_tenant(db, actor, request.stage_id)
        .await?
        .ok_or_else(|| AppError::invalid("stage_id", "is not one of your stages"))?;
    let mut errors = FieldErrors::default();
    let changes_stage = target.id != before.stage_id;
    let entry = StageEntry::parse(&request.note, &request.followup_on, &mut errors);
    stage_rules::check(&target, changes_stage, &entry, &mut errors);
    let StageEntry { note, followup_on } = entry;
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    let followup = match followup_on.filter(|_| changes_stage) {
        Some(on) => {
            let tz = stage_rules::tenant_timezone(db, actor.tenant_id).await?;
            Some(stage_rules::followup_task(
                (&before).into(),
                on,
                tz,
                actor.user_id,
                actor.tenant_id,
            ))
        }
        None => None,
    };

    let now = Utc::now();
    let closes = target.is_won || target.is_lost;
    let closed_at = match (closes, changes_stage) {
        (true, true) => Some(now),
        (true, false) => before.closed_at.or(Some(now)),
        (false, _) => None,
    };
    let stage_entered_at = if changes_stage {
        now
    } else {
        before.stage_entered_at
    };
    let activity = changes_stage.then(|| NewActivity {
        tenant_id: actor.tenant_id,
        kind: "stage_change",
        body: note.clone(),
        payload: json!({
            "from": {"id": before.stage_id, "name": before.stage_name},
            "to": {"id": target.id, "name": target.name},
            "followup_on": followup_on,
        }),
        user_id: Some(actor.user_id),
        contact_id: before.contact_id,
        company_id: before.company_id,
        deal_id: Some(id),
        happened_at: now,
    });
    let audit = AuditEntry::by(actor, "deal.moved", "deal", client)
        .entity(id)
        .change("stage_id", before.stage_id, target.id)
        .change(
            "position",
            before.position,
            request.position.unwrap_or(i32::MAX),
        );

    let placement = Placement {
        stage: target,
        closed_at,
        stage_entered_at,
    };
    let tenant_id = actor.tenant_id;
    let visible = Visible::to(actor);
    let (moved, deal, activity) = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let moved = tx
            .enter_stage(tenant_id, id, request.version, &placement, now)
            .await?;
        let mut activity_id = None;
        if moved {
            // Take the requested place and push the cards from there down by one (two
            // statements, whatever the column's length); without a place, go to the bottom.
            let stage_id = placement.stage.id;
            let position = match request.position {
                Some(p) => {
                    let p = p.max(0);
                    tx.make_room(tenant_id, stage_id, p, id).await?;
                    p
                }
                None => tx.bottom_of(tenant_id, stage_id, id).await?,
            };
            tx.set_position(tenant_id, id, position).await?;
            if let Some(a) = &activity {
                activity_id = Some(tx.insert_activity(a).await?);
            }
            if let Some(task) = &followup {
                create_task_in(&mut *tx, &actor.name, task, client).await?;
            }
            tx.insert_audit(&audit).await?;
            deal_changed(&mut *tx, tenant_id, id, now).await?;
        }
        let deal = tx.deal(visible, id, false).await?;
        let activity = match activity_id {
            Some(activity_id) => tx.activity_by_id(tenant_id, activity_id).await?,
            None => None,
        };
        tx.commit().await?;
        (moved, deal, activity)
    });
    let deal = deal.ok_or(AppError::NotFound)?;
    if !moved {
        return Err(stale(&deal));
    }
    Ok(MovedDeal { deal, activity })
}
