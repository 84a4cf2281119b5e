//! All of the dispositions' SQL, as one trait for both backends.

use super::{input::DispositionInput, Disposition};
use crate::impl_for_backends;
use std::future::Future;

const SELECT: &str = "SELECT id, name, sort_order, is_default, requires_note
    FROM call_dispositions WHERE tenant_id = $1";

pub trait DispositionStore {
    /// The tenant's dispositions in wrap-up order.
    fn dispositions(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Vec<Disposition>, sqlx::Error>> + Send;

    fn disposition(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Option<Disposition>, sqlx::Error>> + Send;

    /// A new disposition, last in order and not the default.
    fn insert_disposition(
        &mut self,
        tenant_id: i64,
        input: &DispositionInput,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;

    fn update_disposition(
        &mut self,
        tenant_id: i64,
        id: i64,
        input: &DispositionInput,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Makes `id` the default and every other disposition of the tenant not, in one statement.
    fn make_default_disposition(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    fn set_disposition_order(
        &mut self,
        tenant_id: i64,
        order: &[i64],
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Deletes it unless it is the default; whether it was deleted.
    fn delete_disposition(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl DispositionStore {
        async fn dispositions(&mut self, tenant_id: i64) -> Result<Vec<Disposition>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT} ORDER BY sort_order, id"))
                .bind(tenant_id)
                .fetch_all(&mut *self)
                .await
        }

        async fn disposition(&mut self, tenant_id: i64, id: i64) -> Result<Option<Disposition>, sqlx::Error> {
            sqlx::query_as(&format!("{SELECT} AND id = $2"))
                .bind(tenant_id)
                .bind(id)
                .fetch_optional(&mut *self)
                .await
        }

        async fn insert_disposition(&mut self, tenant_id: i64, input: &DispositionInput) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "INSERT INTO call_dispositions (tenant_id, name, sort_order, is_default, requires_note)
                 VALUES ($1, $2,
                    (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM call_dispositions WHERE tenant_id = $1),
                    FALSE, $3)
                 RETURNING id",
            )
            .bind(tenant_id)
            .bind(&input.name)
            .bind(input.requires_note)
            .fetch_one(&mut *self)
            .await
        }

        async fn update_disposition(
            &mut self,
            tenant_id: i64,
            id: i64,
            input: &DispositionInput,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE call_dispositions SET name = $1, requires_note = $2
                 WHERE id = $3 AND tenant_id = $4",
            )
            .bind(&input.name)
            .bind(input.requires_note)
            .bind(id)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn make_default_disposition(&mut self, tenant_id: i64, id: i64) -> Result<(), sqlx::Error> {
            sqlx::query("UPDATE call_dispositions SET is_default = (id = $1) WHERE tenant_id = $2")
                .bind(id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await
                .map(|_| ())
        }

        async fn set_disposition_order(&mut self, tenant_id: i64, order: &[i64]) -> Result<(), sqlx::Error> {
            for (position, id) in (0_i32..).zip(order) {
                sqlx::query(
                    "UPDATE call_dispositions SET sort_order = $1 WHERE id = $2 AND tenant_id = $3",
                )
                .bind(position)
                .bind(*id)
                .bind(tenant_id)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }

        async fn delete_disposition(&mut self, tenant_id: i64, id: i64) -> Result<bool, sqlx::Error> {
            // `is_default = FALSE` re-checks inside the caller's transaction: a concurrent
            // set-default cannot leave the tenant without a default.
            sqlx::query(
                "DELETE FROM call_dispositions WHERE id = $1 AND tenant_id = $2 AND is_default = FALSE",
            )
            .bind(id)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|done| done.rows_affected() > 0)
        }
    }
}
