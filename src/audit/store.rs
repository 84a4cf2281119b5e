//! The audit log's SQL, as one trait for both backends: rows are inserted inside the
//! transaction of the change they describe, and read newest first, filtered, in pages.

use super::{AuditEntry, AuditFilter, AuditRecord};
use crate::impl_for_backends;
use std::future::Future;

pub trait AuditLog {
    fn insert_audit(
        &mut self,
        entry: &AuditEntry,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// One page of the tenant's rows, newest first, with the actor's name.
    fn audit_page(
        &mut self,
        tenant_id: i64,
        filter: &AuditFilter,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<AuditRecord>, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl AuditLog {
        async fn insert_audit(&mut self, entry: &AuditEntry) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO audit_log
                   (tenant_id, actor_id, action, entity_type, entity_id, changes, ip, user_agent, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(entry.tenant_id)
            .bind(entry.actor_id)
            .bind(entry.action)
            .bind(entry.entity_type)
            .bind(entry.entity_id)
            .bind(sqlx::types::Json(&entry.changes))
            .bind(entry.client.ip.as_deref())
            .bind(entry.client.user_agent.as_deref())
            .bind(entry.at)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn audit_page(
            &mut self,
            tenant_id: i64,
            filter: &AuditFilter,
            limit: i64,
        ) -> Result<Vec<AuditRecord>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT l.id, l.actor_id, u.name AS actor_name, l.action, l.entity_type, l.entity_id, l.changes,
                        l.ip, l.user_agent, l.at
                 FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id WHERE l.tenant_id = ",
            );
            query.push_bind(tenant_id);
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
            query.build_query_as::<AuditRecord>().fetch_all(&mut *self).await
        }
    }
}
