//! Bulk reassignment from the lists: every chosen record gets the new owner in one transaction,
//! with an audit row each, or none of them does.

use super::{owner::owner_changed, store::RecordStore, SoftDeletable};
use crate::db::BeginWrite;
use crate::{
    activities::store::ActivityStore,
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, scope::may_assign_to, scope::Visible},
    db::Db,
    error::AppError,
    events::service::{deal_changed, deal_left},
    notifications::service::deal_assigned,
    on_db,
    users::store::UserStore,
};
use chrono::Utc;
use std::collections::BTreeSet;

/// The most records one bulk action may touch; a page of any list fits well within it.
pub const MAX_BULK: usize = 500;

/// Gives the records `ids` to `owner_id`. An id the actor cannot see (another tenant's, out of
/// scope, deleted or made up) fails the whole request with 404, exactly like a single lookup,
/// and changes nothing. Returns how many records now belong to the new owner.
pub async fn assign_owner(
    db: &Db,
    actor: &Actor,
    kind: SoftDeletable,
    ids: &[i64],
    owner_id: i64,
    client: &ClientInfo,
) -> Result<usize, AppError> {
    actor.require_write(kind.manage_permission())?;
    let ids: BTreeSet<i64> = ids.iter().copied().collect();
    if ids.is_empty() {
        return Err(AppError::invalid("ids", "choose at least one record"));
    }
    if ids.len() > MAX_BULK {
        return Err(AppError::invalid(
            "ids",
            format!("choose at most {MAX_BULK} records at a time"),
        ));
    }
    if !may_assign_to(db, actor, owner_id).await? {
        return Err(AppError::invalid(
            "owner_id",
            "cannot be given to that user",
        ));
    }

    let visible = Visible::to(actor);
    let ids: Vec<i64> = ids.into_iter().collect();
    let now = Utc::now();
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let found = tx.visible_owners(kind, visible, &ids).await?;
        if found.len() != ids.len() {
            return Err(AppError::NotFound);
        }
        let new_owner = tx.user(actor.tenant_id, owner_id).await?.map(|u| u.name);
        for record in found.into_iter().filter(|r| r.owner_id != owner_id) {
            let (id, old_owner) = (record.id, record.owner_id);
            tx.set_owner(kind, actor.tenant_id, id, owner_id, now)
                .await?;
            if kind == SoftDeletable::Deal {
                deal_changed(&mut *tx, actor.tenant_id, id, now).await?;
                deal_left(&mut *tx, actor.tenant_id, id, Some(old_owner), now).await?;
                deal_assigned(&mut *tx, actor, (id, &record.label), Some(owner_id), now).await?;
            }
            let from = (Some(old_owner), record.owner_name.as_deref());
            let to = (Some(owner_id), new_owner.as_deref());
            if let Some(entry) = owner_changed(actor, (kind, id), from, to, now) {
                tx.insert_activity(&entry).await?;
            }
            let entry = AuditEntry::by(actor, kind.updated_action(), kind.entity(), client)
                .entity(id)
                .change("owner_id", old_owner, owner_id)
                .detail("bulk", true);
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
    });
    Ok(ids.len())
}
