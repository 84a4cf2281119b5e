//! What every new tenant starts with: the default role permissions, a sales pipeline with six
//! stages and six call dispositions. Runs inside the transaction that creates the tenant.

use crate::{
    auth::roles::{default_permissions, Role},
    impl_for_backends,
};
use chrono::{DateTime, Utc};
use std::future::Future;

pub struct DefaultStage {
    pub name: &'static str,
    pub color: &'static str,
    pub probability: i32,
    pub is_default: bool,
    pub is_won: bool,
    pub is_lost: bool,
    pub requires_note: bool,
}

const fn stage(name: &'static str, color: &'static str, probability: i32) -> DefaultStage {
    DefaultStage {
        name,
        color,
        probability,
        is_default: false,
        is_won: false,
        is_lost: false,
        requires_note: false,
    }
}

pub const DEFAULT_PIPELINE: &str = "Sales pipeline";

pub const DEFAULT_STAGES: [DefaultStage; 6] = [
    DefaultStage {
        is_default: true,
        ..stage("New", "#64748b", 10)
    },
    stage("Qualified", "#0ea5e9", 25),
    stage("Proposal", "#6366f1", 50),
    stage("Negotiation", "#f59e0b", 75),
    DefaultStage {
        is_won: true,
        ..stage("Won", "#16a34a", 100)
    },
    // Losing a deal asks why, so the team can learn from it.
    DefaultStage {
        is_lost: true,
        requires_note: true,
        ..stage("Lost", "#dc2626", 0)
    },
];

/// (name, is_default, requires_note)
pub const DEFAULT_DISPOSITIONS: [(&str, bool, bool); 6] = [
    ("Connected", true, false),
    ("No answer", false, false),
    ("Busy", false, false),
    ("Voicemail", false, false),
    ("Wrong number", false, false),
    ("Callback requested", false, true),
];

pub trait ProvisionTenant {
    fn provision_tenant_defaults(
        &mut self,
        tenant_id: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl_for_backends! {
    impl ProvisionTenant {
        async fn provision_tenant_defaults(&mut self, tenant_id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
            for role in Role::ALL {
                for permission in default_permissions(role) {
                    sqlx::query("INSERT INTO role_permissions (tenant_id, role, permission) VALUES ($1, $2, $3)")
                        .bind(tenant_id)
                        .bind(role.as_str())
                        .bind(permission.as_str())
                        .execute(&mut *self)
                        .await?;
                }
            }
            let pipeline_id: i64 = sqlx::query_scalar(
                "INSERT INTO pipelines (tenant_id, name, is_default, sort_order, created_at)
                 VALUES ($1, $2, TRUE, 0, $3) RETURNING id",
            )
            .bind(tenant_id)
            .bind(DEFAULT_PIPELINE)
            .bind(now)
            .fetch_one(&mut *self)
            .await?;
            for (order, s) in (0_i32..).zip(DEFAULT_STAGES.iter()) {
                sqlx::query(
                    "INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, color, sort_order, probability,
                        is_default, is_won, is_lost, requires_note, requires_followup_date)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, FALSE)",
                )
                .bind(tenant_id)
                .bind(pipeline_id)
                .bind(s.name)
                .bind(s.color)
                .bind(order)
                .bind(s.probability)
                .bind(s.is_default)
                .bind(s.is_won)
                .bind(s.is_lost)
                .bind(s.requires_note)
                .execute(&mut *self)
                .await?;
            }
            for (order, (name, is_default, requires_note)) in (0_i32..).zip(DEFAULT_DISPOSITIONS) {
                sqlx::query(
                    "INSERT INTO call_dispositions (tenant_id, name, sort_order, is_default, requires_note)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(tenant_id)
                .bind(name)
                .bind(order)
                .bind(is_default)
                .bind(requires_note)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }
    }
}
