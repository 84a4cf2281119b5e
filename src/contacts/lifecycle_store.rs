//! The SQL of the nightly contact status job: the tenant's thresholds, and a batch of contacts
//! with what their status is computed from.

use super::lifecycle::{ContactSignals, LifecycleRules};
use crate::impl_for_backends;
use chrono::{DateTime, Utc};
use std::future::Future;

pub trait LifecycleStore {
    /// The tenant's thresholds and timezone; `None` when the tenant is not active.
    fn lifecycle_rules(
        &mut self,
        tenant_id: i64,
    ) -> impl Future<Output = Result<Option<(LifecycleRules, String)>, sqlx::Error>> + Send;

    /// Up to `limit` live contacts after `after_id`, by id, with their signals at `now`.
    fn contact_signals(
        &mut self,
        tenant_id: i64,
        rules: &LifecycleRules,
        after_id: i64,
        limit: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<ContactSignals>, sqlx::Error>> + Send;

    /// Sets the status only if it is still `from` (a rep may have changed it meanwhile).
    fn set_contact_status(
        &mut self,
        tenant_id: i64,
        id: i64,
        from: &str,
        to: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    fn set_lifecycle_rules(
        &mut self,
        tenant_id: i64,
        rules: &LifecycleRules,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The ids of the active tenants and their timezones.
    fn active_tenant_timezones(
        &mut self,
    ) -> impl Future<Output = Result<Vec<(i64, String)>, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl LifecycleStore {
        async fn lifecycle_rules(
            &mut self,
            tenant_id: i64,
        ) -> Result<Option<(LifecycleRules, String)>, sqlx::Error> {
            let row: Option<(i32, i32, i32, i32, i32, String)> = sqlx::query_as(
                "SELECT hot_min_communications, hot_window_days, hot_min_probability,
                        inactive_after_days, cold_after_days, timezone
                 FROM tenants WHERE id = $1 AND status = 'active'",
            )
            .bind(tenant_id)
            .fetch_optional(&mut *self)
            .await?;
            Ok(row.map(|(min, window, probability, inactive, cold, tz)| {
                (
                    LifecycleRules {
                        hot_min_communications: min.into(),
                        hot_window_days: window.into(),
                        hot_min_probability: probability.into(),
                        inactive_after_days: inactive.into(),
                        cold_after_days: cold.into(),
                    },
                    tz,
                )
            }))
        }

        async fn set_lifecycle_rules(
            &mut self,
            tenant_id: i64,
            rules: &LifecycleRules,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "UPDATE tenants SET hot_min_communications = $1, hot_window_days = $2,
                     hot_min_probability = $3, inactive_after_days = $4, cold_after_days = $5
                 WHERE id = $6",
            )
            .bind(rules.hot_min_communications as i32)
            .bind(rules.hot_window_days as i32)
            .bind(rules.hot_min_probability as i32)
            .bind(rules.inactive_after_days as i32)
            .bind(rules.cold_after_days as i32)
            .bind(tenant_id)
            .execute(&mut *self)
            .await
            .map(|_| ())
        }

        async fn contact_signals(
            &mut self,
            tenant_id: i64,
            rules: &LifecycleRules,
            after_id: i64,
            limit: i64,
            now: DateTime<Utc>,
        ) -> Result<Vec<ContactSignals>, sqlx::Error> {
            let since = now - chrono::Duration::days(rules.hot_window_days);
            sqlx::query_as(
                "SELECT c.id, c.status, c.last_contacted_at,
                    (SELECT COUNT(*) FROM activities a
                      WHERE a.tenant_id = c.tenant_id AND a.contact_id = c.id
                        AND a.kind IN ('call', 'email', 'meeting') AND a.happened_at >= $3
                        AND a.happened_at <= $4) AS recent_communications,
                    EXISTS (SELECT 1 FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id
                      WHERE d.tenant_id = c.tenant_id AND d.contact_id = c.id
                        AND d.deleted_at IS NULL AND NOT s.is_won AND NOT s.is_lost
                        AND s.probability >= $5) AS hot_deal
                 FROM contacts c
                 WHERE c.tenant_id = $1 AND c.deleted_at IS NULL AND c.id > $2
                 ORDER BY c.id LIMIT $6",
            )
            .bind(tenant_id)
            .bind(after_id)
            .bind(since)
            .bind(now)
            .bind(i32::try_from(rules.hot_min_probability).unwrap_or(100))
            .bind(limit)
            .fetch_all(&mut *self)
            .await
        }

        async fn set_contact_status(
            &mut self,
            tenant_id: i64,
            id: i64,
            from: &str,
            to: &str,
            now: DateTime<Utc>,
        ) -> Result<bool, sqlx::Error> {
            Ok(sqlx::query(
                "UPDATE contacts SET status = $4, updated_at = $5
                 WHERE tenant_id = $1 AND id = $2 AND status = $3 AND deleted_at IS NULL",
            )
            .bind(tenant_id)
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(now)
            .execute(&mut *self)
            .await?
            .rows_affected()
                == 1)
        }

        async fn active_tenant_timezones(&mut self) -> Result<Vec<(i64, String)>, sqlx::Error> {
            sqlx::query_as("SELECT id, timezone FROM tenants WHERE status = 'active' ORDER BY id")
                .fetch_all(&mut *self)
                .await
        }
    }
}
