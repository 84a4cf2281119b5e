//! Moving a deal between stages and within a column.

use super::{
    queries::{find, stage_of_tenant, stale},
    stage_rules::{self, Entering},
    DealMove, MovedDeal,
};
use crate::auth::roles::Permission;
use crate::db::BeginWrite;
use crate::{
    activities::queries::{ActivityLog, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::actor::Actor,
    db::Db,
    error::AppError,
    on_db,
    tasks::queries::InsertTask,
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
    let Entering { note, followup_on } = stage_rules::check(
        &target,
        changes_stage,
        &request.note,
        &request.followup_on,
        &mut errors,
    );
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

    let moved: Option<Option<i64>> = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let rows = sqlx::query(
            "UPDATE deals SET stage_id = $1, pipeline_id = $2, closed_at = $3, stage_entered_at = $4,
                version = version + 1, updated_at = $5
             WHERE id = $6 AND tenant_id = $7 AND version = $8",
        )
        .bind(target.id)
        .bind(target.pipeline_id)
        .bind(closed_at)
        .bind(stage_entered_at)
        .bind(now)
        .bind(id)
        .bind(actor.tenant_id)
        .bind(request.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if rows == 1 {
            // Take the requested place and push the cards from there down by one (two statements,
            // whatever the column's length); without a place, go to the bottom.
            let position: i32 = match request.position {
                Some(p) => {
                    let p = p.max(0);
                    sqlx::query(
                        "UPDATE deals SET position = position + 1
                         WHERE tenant_id = $1 AND stage_id = $2 AND position >= $3 AND id <> $4 AND deleted_at IS NULL",
                    )
                    .bind(actor.tenant_id)
                    .bind(target.id)
                    .bind(p)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    p
                }
                None => {
                    sqlx::query_scalar(
                        "SELECT COALESCE(MAX(position) + 1, 0) FROM deals
                     WHERE tenant_id = $1 AND stage_id = $2 AND id <> $3 AND deleted_at IS NULL",
                    )
                    .bind(actor.tenant_id)
                    .bind(target.id)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            sqlx::query("UPDATE deals SET position = $1 WHERE id = $2 AND tenant_id = $3")
                .bind(position)
                .bind(id)
                .bind(actor.tenant_id)
                .execute(&mut *tx)
                .await?;
            let activity_id = match &activity {
                Some(a) => Some(tx.insert_activity(a).await?),
                None => None,
            };
            if let Some(task) = &followup {
                tx.insert_task(task, client).await?;
            }
            tx.insert_audit(&audit).await?;
            tx.commit().await?;
            Some(activity_id)
        } else {
            None
        }
    });
    let deal = find(db, actor, id).await?;
    let Some(activity_id) = moved else {
        return Err(stale(&deal));
    };
    let activity = match activity_id {
        Some(activity_id) => on_db!(db, |pool| {
            let mut conn = pool.acquire().await?;
            conn.activity_by_id(actor.tenant_id, activity_id).await?
        }),
        None => None,
    };
    Ok(MovedDeal { deal, activity })
}
