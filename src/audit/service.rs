//! Reading the audit log: only with `audit.view`, at most 500 rows a page.

use super::{store::AuditLog, AuditFilter, AuditRecord};
use crate::{
    auth::{actor::Actor, roles::Permission},
    db::Db,
    error::AppError,
    on_db,
};

pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: &AuditFilter,
) -> Result<Vec<AuditRecord>, AppError> {
    actor.require(Permission::AuditView)?;
    let limit = i64::from(filter.limit.unwrap_or(100).clamp(1, 500));
    let rows = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .audit_page(actor.tenant_id, filter, limit)
            .await?
    });
    Ok(rows)
}
