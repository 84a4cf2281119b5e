//! The company's own settings (`settings.manage`): read them, and change them with one audit
//! entry naming each changed field, in one transaction.

use super::{
    input::{audit_fields, TenantSettingsInput},
    store::TenantStore,
    TenantSettings, TenantSettingsForm,
};
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, roles::Permission},
    db::{BeginWrite, Db},
    error::AppError,
    on_db,
};

pub async fn settings(db: &Db, actor: &Actor) -> Result<TenantSettings, AppError> {
    actor.require(Permission::SettingsManage)?;
    Ok(on_db!(db, |pool| {
        pool.acquire()
            .await?
            .tenant_settings(actor.tenant_id)
            .await?
    }))
}

pub async fn update_settings(
    db: &Db,
    actor: &Actor,
    form: &TenantSettingsForm,
    client: &ClientInfo,
) -> Result<TenantSettings, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let input = TenantSettingsInput::try_from(form)?;
    let tenant_id = actor.tenant_id;
    Ok(on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let before = tx.tenant_settings(tenant_id).await?;
        tx.set_tenant_settings(tenant_id, &input).await?;
        let after = tx.tenant_settings(tenant_id).await?;
        let entry = AuditEntry::by(actor, "tenant.settings_changed", "tenant", client)
            .entity(tenant_id)
            .changed(audit_fields(&before), audit_fields(&after));
        if !entry.changes.is_empty() {
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
        after
    }))
}
