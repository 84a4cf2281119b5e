//! The settings page's editor of the nightly status thresholds (`settings.manage`): read them,
//! and change them with one audit row in the same transaction. The next night's run uses them.

use super::{lifecycle_store::LifecycleStore, LifecycleRules, LifecycleRulesForm};
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{actor::Actor, roles::Permission},
    db::{BeginWrite, Db},
    error::AppError,
    on_db,
    validation::FieldErrors,
};
use serde_json::{json, Value};

pub async fn status_rules(db: &Db, actor: &Actor) -> Result<LifecycleRules, AppError> {
    actor.require(Permission::SettingsManage)?;
    let found = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .lifecycle_rules(actor.tenant_id)
            .await?
    });
    found.map(|(rules, _)| rules).ok_or(AppError::NotFound)
}

pub async fn update_status_rules(
    db: &Db,
    actor: &Actor,
    form: &LifecycleRulesForm,
    client: &ClientInfo,
) -> Result<LifecycleRules, AppError> {
    actor.require_write(Permission::SettingsManage)?;
    let rules = checked(form)?;
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let Some((before, _)) = tx.lifecycle_rules(actor.tenant_id).await? else {
            return Err(AppError::NotFound);
        };
        if before != rules {
            tx.set_lifecycle_rules(actor.tenant_id, &rules).await?;
            let entry = AuditEntry::by(actor, "tenant.status_rules_changed", "tenant", client)
                .entity(actor.tenant_id)
                .changed(fields(&before), fields(&rules));
            tx.insert_audit(&entry).await?;
        }
        tx.commit().await?;
    });
    Ok(rules)
}

fn fields(rules: &LifecycleRules) -> Vec<(&'static str, Value)> {
    vec![
        (
            "hot_min_communications",
            json!(rules.hot_min_communications),
        ),
        ("hot_window_days", json!(rules.hot_window_days)),
        ("hot_min_probability", json!(rules.hot_min_probability)),
        ("inactive_after_days", json!(rules.inactive_after_days)),
        ("cold_after_days", json!(rules.cold_after_days)),
    ]
}

/// Every field a whole number in its range, and Cold after Inactive.
fn checked(form: &LifecycleRulesForm) -> Result<LifecycleRules, AppError> {
    let mut errors = FieldErrors::default();
    let mut number =
        |field: &str, value: &str, range: std::ops::RangeInclusive<i64>, unit: &str| {
            let parsed = value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| range.contains(n));
            errors.check(
                field,
                parsed.ok_or_else(|| {
                    format!(
                        "must be a whole number of {unit} from {} to {}",
                        range.start(),
                        range.end()
                    )
                }),
            )
        };
    let hot_min_communications = number(
        "hot_min_communications",
        &form.hot_min_communications,
        1..=1000,
        "calls, emails or meetings",
    );
    let hot_window_days = number("hot_window_days", &form.hot_window_days, 1..=365, "days");
    let hot_min_probability = number(
        "hot_min_probability",
        &form.hot_min_probability,
        0..=100,
        "percent",
    );
    let inactive_after_days = number(
        "inactive_after_days",
        &form.inactive_after_days,
        1..=3650,
        "days",
    );
    let cold_after_days = number("cold_after_days", &form.cold_after_days, 1..=3650, "days");
    if let (Some(inactive), Some(cold)) = (inactive_after_days, cold_after_days) {
        if cold <= inactive {
            errors.check::<()>(
                "cold_after_days",
                Err(format!(
                    "must be more than the {inactive} days after which a contact is Inactive"
                )),
            );
        }
    }
    if let Some(e) = AppError::from_field_errors(errors.into_inner()) {
        return Err(e);
    }
    Ok(LifecycleRules {
        hot_min_communications: hot_min_communications.unwrap_or_default(),
        hot_window_days: hot_window_days.unwrap_or_default(),
        hot_min_probability: hot_min_probability.unwrap_or_default(),
        inactive_after_days: inactive_after_days.unwrap_or_default(),
        cold_after_days: cold_after_days.unwrap_or_default(),
    })
}
