//! The SQL of "Recently deleted" and of the delete confirmation's counts.

use super::{DeleteImpact, Deleted, RecordKind};
use crate::{auth::scope::Visible, impl_for_backends};
use std::future::Future;

fn table(kind: RecordKind) -> (&'static str, &'static str) {
    match kind {
        RecordKind::Contact => ("contacts", "name"),
        RecordKind::Company => ("companies", "name"),
        RecordKind::Deal => ("deals", "title"),
    }
}

/// The column that links other rows to a record of `kind`.
fn link_column(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Contact => "contact_id",
        RecordKind::Company => "company_id",
        RecordKind::Deal => "deal_id",
    }
}

pub trait TrashStore {
    /// The most recently deleted records of `kind` that `visible` covers.
    fn deleted_records(
        &mut self,
        kind: RecordKind,
        visible: Visible,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Deleted>, sqlx::Error>> + Send;

    /// What is linked to the record: live contacts and deals, pending tasks, activities.
    fn linked_counts(
        &mut self,
        kind: RecordKind,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<DeleteImpact, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl TrashStore {
        async fn deleted_records(
            &mut self,
            kind: RecordKind,
            visible: Visible,
            limit: i64,
        ) -> Result<Vec<Deleted>, sqlx::Error> {
            let (table, label) = table(kind);
            let mut query = sqlx::QueryBuilder::new(format!(
                "SELECT r.id, r.{label} AS label, r.deleted_at FROM {table} r
                 WHERE r.deleted_at IS NOT NULL AND "
            ));
            visible.push(&mut query, "r", "owner_id");
            query.push(" ORDER BY r.deleted_at DESC, r.id DESC LIMIT ").push_bind(limit);
            query.build_query_as().fetch_all(&mut *self).await
        }

        async fn linked_counts(
            &mut self,
            kind: RecordKind,
            tenant_id: i64,
            id: i64,
        ) -> Result<DeleteImpact, sqlx::Error> {
            let column = link_column(kind);
            let count = |table: &str, extra: &str| {
                format!(
                    "(SELECT COUNT(*) FROM {table} WHERE tenant_id = $1 AND {column} = $2{extra})"
                )
            };
            let none = "CAST(0 AS BIGINT)".to_string();
            let contacts = match kind {
                RecordKind::Company => count("contacts", " AND deleted_at IS NULL"),
                _ => none.clone(),
            };
            let deals = match kind {
                RecordKind::Deal => none.clone(),
                _ => count("deals", " AND deleted_at IS NULL"),
            };
            // Tasks link a contact or a deal, not a company.
            let open_tasks = match kind {
                RecordKind::Company => none,
                _ => count("tasks", " AND status = 'pending'"),
            };
            let activities = count("activities", "");
            let sql = format!(
                "SELECT {contacts} AS contacts, {deals} AS deals, {open_tasks} AS open_tasks,
                        {activities} AS activities"
            );
            sqlx::query_as(&sql)
                .bind(tenant_id)
                .bind(id)
                .fetch_one(&mut *self)
                .await
        }
    }
}
