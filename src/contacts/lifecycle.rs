//! The nightly contact status: every contact's New / Active / Hot / Inactive / Cold worked out
//! from its communications and open deals, by a job at 01:00 in each tenant's timezone. Each
//! change writes a `system` timeline entry and an audit row; contacts go in batches, one short
//! transaction each, so a million contacts never hold the write lock for long.

pub use super::LifecycleRules;
use super::{lifecycle_store::LifecycleStore, ContactStatus};
use crate::{
    activities::store::{ActivityStore, NewActivity},
    audit::{AuditEntry, AuditLog, ClientInfo},
    db::{BeginWrite, Db},
    jobs::{
        registry::JobContext,
        schedule::{ensure_schedule, ScheduleSpec, TickError},
    },
    on_db,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

/// The job that recomputes one tenant's contacts (`tenant_id` on the job).
pub const RECOMPUTE_STATUS: &str = "contacts.recompute_status";
/// The job that gives every active tenant its nightly schedule, in its current timezone.
pub const SCHEDULE_TENANTS: &str = "contacts.schedule_status";
const BATCH: i64 = 500;

/// What a contact's status is computed from.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ContactSignals {
    pub id: i64,
    pub status: String,
    pub last_contacted_at: Option<DateTime<Utc>>,
    /// Calls, emails and meetings within the rules' window.
    pub recent_communications: i64,
    /// An open deal in a stage of at least the rules' probability.
    pub hot_deal: bool,
}

/// Hot first (busy, or a likely deal); New until the first communication; then Cold, Inactive
/// or Active by the time since the last one.
pub fn status_for(rules: &LifecycleRules, s: &ContactSignals, now: DateTime<Utc>) -> ContactStatus {
    if s.recent_communications >= rules.hot_min_communications || s.hot_deal {
        return ContactStatus::Hot;
    }
    let Some(last) = s.last_contacted_at else {
        return ContactStatus::New;
    };
    let quiet = now - last;
    if quiet >= Duration::days(rules.cold_after_days) {
        ContactStatus::Cold
    } else if quiet >= Duration::days(rules.inactive_after_days) {
        ContactStatus::Inactive
    } else {
        ContactStatus::Active
    }
}

/// How many contacts were looked at and how many changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Recomputed {
    pub seen: u64,
    pub changed: u64,
}

/// Recomputes every live contact of the tenant as of `now`. Idempotent: a second run changes
/// nothing, and a contact whose status a rep changed meanwhile is left to the next night.
pub async fn recompute_statuses(
    db: &Db,
    tenant_id: i64,
    now: DateTime<Utc>,
) -> Result<Recomputed, sqlx::Error> {
    let rules = on_db!(db, |pool| pool
        .acquire()
        .await?
        .lifecycle_rules(tenant_id)
        .await?);
    let Some((rules, _)) = rules else {
        return Ok(Recomputed::default());
    };
    let mut done = Recomputed::default();
    let mut after = 0;
    loop {
        let batch = on_db!(db, |pool| pool
            .acquire()
            .await?
            .contact_signals(tenant_id, &rules, after, BATCH, now)
            .await?);
        let Some(last) = batch.last() else { break };
        after = last.id;
        done.seen += batch.len() as u64;
        let changes: Vec<(i64, String, ContactStatus)> = batch
            .iter()
            .map(|s| (s.id, s.status.clone(), status_for(&rules, s, now)))
            .filter(|(_, from, to)| from != to.as_str())
            .collect();
        if changes.is_empty() {
            continue;
        }
        done.changed += on_db!(db, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut changed = 0;
            for (id, from, to) in &changes {
                if !tx
                    .set_contact_status(tenant_id, *id, from, to.as_str(), now)
                    .await?
                {
                    continue;
                }
                changed += 1;
                tx.insert_activity(&status_changed(tenant_id, *id, from, *to, now))
                    .await?;
                let audit = AuditEntry::new(
                    "contact.status_recomputed",
                    "contact",
                    &ClientInfo::default(),
                )
                .tenant(tenant_id)
                .entity(*id)
                .change("status", from.as_str(), to.as_str());
                tx.insert_audit(&AuditEntry { at: now, ..audit }).await?;
            }
            tx.commit().await?;
            changed
        });
    }
    Ok(done)
}

fn status_changed(
    tenant_id: i64,
    contact_id: i64,
    from: &str,
    to: ContactStatus,
    at: DateTime<Utc>,
) -> NewActivity {
    NewActivity {
        tenant_id,
        kind: "system",
        body: String::new(),
        payload: json!({ "event": "status_changed", "from": from, "to": to.as_str() }),
        user_id: None,
        contact_id: Some(contact_id),
        company_id: None,
        deal_id: None,
        happened_at: at,
    }
}

/// The job that keeps the tenants' schedules current.
pub async fn schedule_tenants_job(ctx: JobContext) -> anyhow::Result<()> {
    Ok(schedule_tenants(&ctx.db, ctx.now).await?)
}

/// The job handler: the tenant is the job's.
pub async fn recompute_job(ctx: JobContext) -> anyhow::Result<()> {
    let tenant_id = ctx
        .job
        .tenant_id
        .ok_or_else(|| anyhow::anyhow!("{RECOMPUTE_STATUS} needs a tenant"))?;
    let done = recompute_statuses(&ctx.db, tenant_id, ctx.now).await?;
    tracing::info!(
        tenant_id,
        seen = done.seen,
        changed = done.changed,
        "contact statuses recomputed"
    );
    Ok(())
}

/// Gives every active tenant its 01:00 schedule in its timezone (a changed timezone moves it).
pub async fn schedule_tenants(db: &Db, now: DateTime<Utc>) -> Result<(), TickError> {
    let tenants = on_db!(db, |pool| pool
        .acquire()
        .await?
        .active_tenant_timezones()
        .await?);
    for (tenant_id, timezone) in tenants {
        let spec = ScheduleSpec {
            name: format!("{RECOMPUTE_STATUS}:{tenant_id}"),
            tenant_id: Some(tenant_id),
            kind: RECOMPUTE_STATUS.into(),
            payload: json!({}),
            cron: "0 1 * * *".into(),
            timezone,
        };
        if let Err(e) = ensure_schedule(db, &spec, now).await {
            // One tenant's bad timezone must not keep the others unscheduled.
            tracing::warn!(tenant_id, error = %e, "contact status schedule not set");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn signals(
        last_days_ago: Option<i64>,
        recent: i64,
        hot_deal: bool,
    ) -> (ContactSignals, DateTime<Utc>) {
        let now = Utc
            .with_ymd_and_hms(2026, 12, 7, 1, 0, 0)
            .single()
            .expect("time");
        let s = ContactSignals {
            id: 1,
            status: "New".into(),
            last_contacted_at: last_days_ago.map(|d| now - Duration::days(d)),
            recent_communications: recent,
            hot_deal,
        };
        (s, now)
    }

    #[test]
    fn each_threshold_decides_at_its_boundary() {
        let rules = LifecycleRules::default();
        let at = |last, recent, deal| {
            let (s, now) = signals(last, recent, deal);
            status_for(&rules, &s, now)
        };
        assert_eq!(at(None, 0, false), ContactStatus::New);
        assert_eq!(
            at(None, 0, true),
            ContactStatus::Hot,
            "a likely deal beats New"
        );
        assert_eq!(at(Some(1), 2, false), ContactStatus::Active);
        assert_eq!(at(Some(1), 3, false), ContactStatus::Hot);
        assert_eq!(at(Some(29), 0, false), ContactStatus::Active);
        assert_eq!(at(Some(30), 0, false), ContactStatus::Inactive);
        assert_eq!(at(Some(89), 0, false), ContactStatus::Inactive);
        assert_eq!(at(Some(90), 0, false), ContactStatus::Cold);
        assert_eq!(at(Some(200), 0, true), ContactStatus::Hot);
    }

    #[test]
    fn a_tenants_own_thresholds_apply() {
        let rules = LifecycleRules {
            hot_min_communications: 1,
            inactive_after_days: 10,
            cold_after_days: 20,
            ..LifecycleRules::default()
        };
        let (s, now) = signals(Some(15), 0, false);
        assert_eq!(status_for(&rules, &s, now), ContactStatus::Inactive);
        let (s, now) = signals(Some(20), 1, false);
        assert_eq!(status_for(&rules, &s, now), ContactStatus::Hot);
    }
}
