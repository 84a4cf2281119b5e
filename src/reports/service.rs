//! The dashboard: needs `deals.view`, counts within `Visible::to(actor)` (an agent's own deals,
//! activities and tasks, a supervisor's team's), over the month and week in the tenant's
//! timezone. The store's flat rows are gathered here into what the cards draw.

use super::{
    periods::{month_of, week_of},
    store::{ClosedRow, RepActivityRow, ReportStore, StageValueRow},
    CurrencyAmount, Dashboard, OverdueTasks, PipelineChoice, RepActivities, StageValue, WonLost,
    REP_ACTIVITY_KINDS,
};
use crate::{
    auth::{actor::Actor, roles::Permission, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
    tenancy::store::TenantStore,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// How many overdue tasks the card lists.
const OVERDUE_SHOWN: i64 = 5;

/// The dashboard for `pipeline_id` (the tenant's default pipeline when `None`), as of `now`.
/// A pipeline of another tenant, or none at all, answers `NotFound`.
pub async fn dashboard(
    db: &Db,
    actor: &Actor,
    pipeline_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    actor.require(Permission::DealsView)?;
    let (timezone, pipelines) = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let timezone = conn.tenant_timezone(actor.tenant_id).await?;
        (timezone, conn.pipeline_rows(actor.tenant_id).await?)
    });
    let pipeline_id = match pipeline_id {
        Some(id) if pipelines.iter().any(|p| p.0 == id) => Some(id),
        Some(_) => return Err(AppError::NotFound),
        None => pipelines
            .iter()
            .find(|p| p.2)
            .or(pipelines.first())
            .map(|p| p.0),
    };
    let tz: Tz = timezone.parse().unwrap_or(Tz::UTC);
    let month = month_of(tz, now);
    let week = week_of(tz, now);
    let visible = Visible::to(actor);
    let (stage_rows, closed_rows, activity_rows, overdue_tasks) = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let stages = match pipeline_id {
            Some(id) => conn.stage_value_rows(visible, actor.tenant_id, id).await?,
            None => Vec::new(),
        };
        let closed = conn.closed_rows(visible, month.start, month.end).await?;
        let activities = conn
            .rep_activity_rows(visible, week.start, week.end)
            .await?;
        let overdue = OverdueTasks {
            count: conn.overdue_task_count(visible, now).await?,
            top: conn
                .oldest_overdue_tasks(visible, now, OVERDUE_SHOWN)
                .await?,
        };
        (stages, closed, activities, overdue)
    });
    Ok(Dashboard {
        pipeline_id,
        pipelines: pipelines
            .into_iter()
            .map(|(id, name, _)| PipelineChoice { id, name })
            .collect(),
        stages: stage_values(stage_rows),
        won_lost: won_lost(closed_rows),
        activities_by_rep: activities_by_rep(activity_rows),
        overdue_tasks,
        timezone: tz.name().to_string(),
        month_start: month.start,
        month_end: month.end,
        week_start: week.start,
        week_end: week.end,
        month_label: month.first_day.format("%B %Y").to_string(),
        week_label: week.first_day.format("Week of %-d %b %Y").to_string(),
    })
}

/// Open deals per stage and currency. Won and lost stages are not "pipeline value"; empty
/// stages keep a count of 0 so the chart keeps the board's order.
fn stage_values(rows: Vec<StageValueRow>) -> Vec<StageValue> {
    let mut stages: Vec<StageValue> = Vec::new();
    for (stage_id, name, color, currency, count, amount_minor) in rows {
        if stages.last().map(|s| s.stage_id) != Some(stage_id) {
            stages.push(StageValue {
                stage_id,
                name,
                color,
                count: 0,
                amounts: Vec::new(),
            });
        }
        if let (Some(stage), Some(currency)) = (stages.last_mut(), currency) {
            stage.count += count;
            stage.amounts.push(CurrencyAmount {
                currency,
                amount_minor,
                count,
            });
        }
    }
    stages
}

/// Deals closed won and lost, each with its amounts per currency.
fn won_lost(rows: Vec<ClosedRow>) -> WonLost {
    let mut result = WonLost::default();
    for (won, currency, count, amount_minor) in rows {
        let amount = CurrencyAmount {
            currency,
            amount_minor,
            count,
        };
        if won {
            result.won_count += count;
            result.won_amounts.push(amount);
        } else {
            result.lost_count += count;
            result.lost_amounts.push(amount);
        }
    }
    result
}

/// Calls, emails, meetings and notes per rep, in [`REP_ACTIVITY_KINDS`] order.
fn activities_by_rep(rows: Vec<RepActivityRow>) -> Vec<RepActivities> {
    let mut reps: Vec<RepActivities> = Vec::new();
    for (user_id, name, kind, count) in rows {
        if reps.last().map(|r| r.user_id) != Some(user_id) {
            reps.push(RepActivities {
                user_id,
                name,
                counts: [0; 4],
            });
        }
        let slot = REP_ACTIVITY_KINDS.iter().position(|k| *k == kind);
        if let (Some(rep), Some(slot)) = (reps.last_mut(), slot) {
            rep.counts[slot] += count;
        }
    }
    reps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_stage_keeps_its_place_with_nothing_counted() {
        let rows = vec![
            (1, "Lead".into(), "#111111".into(), None, 0, 0),
            (
                2,
                "Offer".into(),
                "#222222".into(),
                Some("EUR".into()),
                2,
                500,
            ),
            (
                2,
                "Offer".into(),
                "#222222".into(),
                Some("USD".into()),
                1,
                100,
            ),
        ];
        let stages = stage_values(rows);
        assert_eq!(stages.len(), 2);
        assert_eq!((stages[0].count, stages[0].amounts.len()), (0, 0));
        assert_eq!((stages[1].count, stages[1].amounts.len()), (3, 2));
    }

    #[test]
    fn activities_fill_the_kinds_slots_of_each_rep() {
        let rows = vec![
            (7, "Ada".into(), "note".into(), 2),
            (7, "Ada".into(), "call".into(), 3),
            (8, "Bo".into(), "meeting".into(), 1),
        ];
        let reps = activities_by_rep(rows);
        assert_eq!(reps[0].counts, [3, 0, 0, 2]);
        assert_eq!(reps[1].counts, [0, 0, 1, 0]);
        assert_eq!(reps[1].total(), 1);
    }
}
