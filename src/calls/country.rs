//! The tenant's default country: numbers typed without `+country code` are read as dialled
//! there. Any user of the tenant reads it; changing it needs `settings.manage`.

use crate::auth::roles::Permission;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::actor::Actor,
    db::{BeginWrite, Db},
    error::AppError,
    on_db,
    tenancy::store::TenantStore,
};

pub async fn default_country(db: &Db, actor: &Actor) -> Result<String, AppError> {
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .tenant_country(actor.tenant_id)
            .await?
    }))
}

/// `code`: an ISO 3166 alpha-2 code such as `DE`, in any case.
pub async fn set_default_country(
    db: &Db,
    actor: &Actor,
    code: &str,
    client: &ClientInfo,
) -> Result<String, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let code = code.trim().to_ascii_uppercase();
    if code.len() != 2 || code.parse::<phonenumber::country::Id>().is_err() {
        return Err(AppError::invalid(
            "country",
            "must be a two-letter country code such as US, DE or GB",
        ));
    }
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        // Read inside the transaction, so the audit's old value is the one this write replaced.
        let old = tx.tenant_country(actor.tenant_id).await?;
        tx.set_tenant_country(actor.tenant_id, &code).await?;
        let entry = AuditEntry::by(actor, "tenant.default_country_changed", "tenant", client)
            .entity(actor.tenant_id)
            .change("default_country", old, code.as_str());
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
    });
    Ok(code)
}
