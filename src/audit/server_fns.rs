//! Reading the audit log (`audit.view`), newest first, filtered, in pages.

use super::{AuditFilter, AuditRecord};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit/list")]
pub async fn list_audit(
    #[server(default)] filter: AuditFilter,
) -> Result<Vec<AuditRecord>, AppError> {
    crate::auth::request::acting(|a| async move {
        a.actor.require(crate::auth::roles::Permission::AuditView)?;
        let limit = i64::from(filter.limit.unwrap_or(100).clamp(1, 500));
        let rows = crate::on_db!(&a.state.db, |pool| {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT l.id, l.actor_id, u.name AS actor_name, l.action, l.entity_type, l.entity_id, l.changes,
                        l.ip, l.user_agent, l.at
                 FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id WHERE l.tenant_id = ",
            );
            query.push_bind(a.actor.tenant_id);
            if let Some(action) = filter.action.as_deref().filter(|s| !s.is_empty()) {
                if let Some(prefix) = action.strip_suffix('.') {
                    let pattern = format!("{}.%", prefix.replace(['%', '_'], ""));
                    query.push(" AND l.action LIKE ").push_bind(pattern);
                } else {
                    query.push(" AND l.action = ").push_bind(action.to_string());
                }
            }
            if let Some(actor) = filter.actor_id {
                query.push(" AND l.actor_id = ").push_bind(actor);
            }
            if let Some(entity) = filter.entity_type.as_deref().filter(|s| !s.is_empty()) {
                query.push(" AND l.entity_type = ").push_bind(entity.to_string());
            }
            if let Some(entity_id) = filter.entity_id {
                query.push(" AND l.entity_id = ").push_bind(entity_id);
            }
            if let Some(before) = filter.before_id {
                query.push(" AND l.id < ").push_bind(before);
            }
            query.push(" ORDER BY l.id DESC LIMIT ").push_bind(limit);
            query.build_query_as::<AuditRecord>().fetch_all(pool).await?
        });
        Ok(rows)
    })
    .await
}
