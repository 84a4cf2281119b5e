//! Who may see what was deleted, and what a delete would leave behind. Restoring needs
//! `records.restore` and the kind's view permission; the counts need the kind's manage
//! permission and a record the actor sees (others answer `NotFound`).

use super::{store::TrashStore, DeleteImpact, Deleted, RecordKind};
use crate::{
    auth::{actor::Actor, roles::Permission, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
};

/// How many of a kind "Recently deleted" lists.
pub const RECENTLY_DELETED: i64 = 100;

fn view_permission(kind: RecordKind) -> Permission {
    match kind {
        RecordKind::Contact | RecordKind::Company => Permission::ContactsView,
        RecordKind::Deal => Permission::DealsView,
    }
}

/// The records of `kind` deleted most recently that the actor sees and may restore.
pub async fn recently_deleted(
    db: &Db,
    actor: &Actor,
    kind: RecordKind,
) -> Result<Vec<Deleted>, AppError> {
    actor.require(view_permission(kind))?;
    actor.require(Permission::RecordsRestore)?;
    let visible = Visible::to(actor);
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .deleted_records(kind, visible, RECENTLY_DELETED)
            .await?
    }))
}

/// What is linked to the record the actor is about to delete.
pub async fn delete_impact(
    db: &Db,
    actor: &Actor,
    kind: RecordKind,
    id: i64,
) -> Result<DeleteImpact, AppError> {
    // Finding it checks the view permission and the scope.
    match kind {
        RecordKind::Contact => {
            actor.require_write(Permission::ContactsManage)?;
            crate::contacts::service::get_contact(db, actor, id).await?;
        }
        RecordKind::Company => {
            actor.require_write(Permission::ContactsManage)?;
            crate::companies::service::get_company(db, actor, id).await?;
        }
        RecordKind::Deal => {
            actor.require_write(Permission::DealsManage)?;
            crate::deals::service::get_deal(db, actor, id).await?;
        }
    }
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .linked_counts(kind, actor.tenant_id, id)
            .await?
    }))
}
