//! Platform-level tenant lifecycle: suspend, reactivate, close. Suspended and closed tenants keep
//! their data; nobody of theirs can sign in, and live sessions stop on their next request.

use super::{store::TenantStore, TenantStatus};
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    db::Db,
    on_db,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Suspend,
    Reactivate,
    Close,
}

impl Transition {
    fn target(self) -> TenantStatus {
        match self {
            Transition::Suspend => TenantStatus::Suspended,
            Transition::Reactivate => TenantStatus::Active,
            Transition::Close => TenantStatus::Closed,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Transition::Suspend => "tenant.suspended",
            Transition::Reactivate => "tenant.reactivated",
            Transition::Close => "tenant.closed",
        }
    }

    /// Which states this transition may start from. Closing is final.
    fn allowed_from(self, status: TenantStatus) -> bool {
        match self {
            Transition::Suspend => status == TenantStatus::Active,
            Transition::Reactivate => status == TenantStatus::Suspended,
            Transition::Close => status != TenantStatus::Closed,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LifecycleError {
    #[error("no tenant has the slug '{0}'")]
    UnknownTenant(String),
    #[error("tenant '{slug}' is {status}; cannot {verb} it")]
    NotAllowed {
        slug: String,
        status: String,
        verb: &'static str,
    },
    #[error("database error: {0}")]
    Database(String),
}

impl From<sqlx::Error> for LifecycleError {
    fn from(e: sqlx::Error) -> Self {
        LifecycleError::Database(e.to_string())
    }
}

/// Moves the tenant to its new status and audits it, in one transaction. Returns (old, new).
pub async fn change_tenant_status(
    db: &Db,
    slug: &str,
    transition: Transition,
) -> Result<(String, &'static str), LifecycleError> {
    let client = ClientInfo {
        ip: None,
        user_agent: Some("crm tenant command".into()),
    };
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let Some((tenant_id, status)) = tx.tenant_status_by_slug(slug).await? else {
            return Err(LifecycleError::UnknownTenant(slug.to_string()));
        };
        if !transition.allowed_from(status) {
            let verb = match transition {
                Transition::Suspend => "suspend",
                Transition::Reactivate => "reactivate",
                Transition::Close => "close",
            };
            return Err(LifecycleError::NotAllowed {
                slug: slug.to_string(),
                status: status.to_string(),
                verb,
            });
        }
        tx.set_tenant_status(tenant_id, transition.target()).await?;
        let entry = AuditEntry::new(transition.action(), "tenant", &client)
            .tenant(tenant_id)
            .entity(tenant_id)
            .change("status", status.as_str(), transition.target().as_str());
        tx.insert_audit(&entry).await?;
        tx.commit().await?;
        Ok((status.to_string(), transition.target().as_str()))
    })
}
