//! SQL for the dashboard. Needs `deals.view`; every count goes through `Visible::to(actor)`, so
//! an agent's dashboard counts their own deals, activities and tasks, a supervisor's their team's.

use super::{
    periods::{month_of, week_of},
    CurrencyAmount, Dashboard, OverdueTask, OverdueTasks, PipelineChoice, RepActivities,
    StageValue, WonLost, REP_ACTIVITY_KINDS,
};
use crate::auth::roles::Permission;
use crate::{
    auth::{actor::Actor, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
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
    let (timezone, pipelines): (String, Vec<(i64, String, bool)>) = on_db!(db, |pool| {
        let timezone = sqlx::query_scalar("SELECT timezone FROM tenants WHERE id = $1")
            .bind(actor.tenant_id)
            .fetch_one(pool)
            .await?;
        let pipelines = sqlx::query_as(
            "SELECT id, name, is_default FROM pipelines WHERE tenant_id = $1 ORDER BY sort_order, id",
        )
        .bind(actor.tenant_id)
        .fetch_all(pool)
        .await?;
        (timezone, pipelines)
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
    let stages = match pipeline_id {
        Some(id) => stage_values(db, actor, id).await?,
        None => Vec::new(),
    };
    Ok(Dashboard {
        pipeline_id,
        pipelines: pipelines
            .into_iter()
            .map(|(id, name, _)| PipelineChoice { id, name })
            .collect(),
        stages,
        won_lost: won_lost(db, actor, month.start, month.end).await?,
        activities_by_rep: activities_by_rep(db, actor, week.start, week.end).await?,
        overdue_tasks: overdue_tasks(db, actor, now).await?,
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
/// stages come back with a count of 0 so the chart keeps the board's order.
async fn stage_values(
    db: &Db,
    actor: &Actor,
    pipeline_id: i64,
) -> Result<Vec<StageValue>, AppError> {
    type Row = (i64, String, String, Option<String>, i64, i64);
    let visible = Visible::to(actor);
    let rows: Vec<Row> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT s.id, s.name, s.color, d.currency, COUNT(d.id),
                CAST(COALESCE(SUM(d.amount_minor), 0) AS BIGINT)
             FROM pipeline_stages s
             LEFT JOIN deals d ON d.stage_id = s.id AND d.deleted_at IS NULL AND ",
        );
        visible.push(&mut query, "d", "owner_id");
        query
            .push(" WHERE s.tenant_id = ")
            .push_bind(actor.tenant_id)
            .push(" AND s.pipeline_id = ")
            .push_bind(pipeline_id)
            .push(
                " AND s.is_won = FALSE AND s.is_lost = FALSE
                 GROUP BY s.id, s.name, s.color, s.sort_order, d.currency
                 ORDER BY s.sort_order, s.id, d.currency",
            );
        query.build_query_as::<Row>().fetch_all(pool).await?
    });
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
    Ok(stages)
}

/// Deals in a won or lost stage closed within `[from, to)`, in every pipeline.
async fn won_lost(
    db: &Db,
    actor: &Actor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<WonLost, AppError> {
    let visible = Visible::to(actor);
    let rows: Vec<(bool, String, i64, i64)> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT s.is_won, d.currency, COUNT(d.id), CAST(SUM(d.amount_minor) AS BIGINT)
             FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id
             WHERE ",
        );
        visible.push(&mut query, "d", "owner_id");
        query
            .push(" AND d.deleted_at IS NULL AND (s.is_won = TRUE OR s.is_lost = TRUE) AND d.closed_at >= ")
            .push_bind(from)
            .push(" AND d.closed_at < ")
            .push_bind(to)
            .push(" GROUP BY s.is_won, d.currency ORDER BY d.currency");
        query
            .build_query_as::<(bool, String, i64, i64)>()
            .fetch_all(pool)
            .await?
    });
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
    Ok(result)
}

/// Calls, emails, meetings and notes per rep that happened within `[from, to)`.
async fn activities_by_rep(
    db: &Db,
    actor: &Actor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<RepActivities>, AppError> {
    let visible = Visible::to(actor);
    let rows: Vec<(i64, String, String, i64)> = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT a.user_id, u.name, a.kind, COUNT(a.id)
             FROM activities a JOIN users u ON u.id = a.user_id
             WHERE ",
        );
        visible.push(&mut query, "a", "user_id");
        query.push(" AND a.kind IN (");
        let mut kinds = query.separated(", ");
        for kind in REP_ACTIVITY_KINDS {
            kinds.push_bind(kind);
        }
        query
            .push(") AND a.happened_at >= ")
            .push_bind(from)
            .push(" AND a.happened_at < ")
            .push_bind(to)
            .push(" GROUP BY a.user_id, u.name, a.kind ORDER BY u.name, a.user_id");
        query
            .build_query_as::<(i64, String, String, i64)>()
            .fetch_all(pool)
            .await?
    });
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
    Ok(reps)
}

/// Pending tasks due before `now`, by assignee visibility: how many, and the oldest few.
async fn overdue_tasks(
    db: &Db,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<OverdueTasks, AppError> {
    let visible = Visible::to(actor);
    let (count, top): (i64, Vec<OverdueTask>) = on_db!(db, |pool| {
        let mut query = sqlx::QueryBuilder::new("SELECT COUNT(t.id) FROM tasks t WHERE ");
        visible.push(&mut query, "t", "assignee_id");
        query
            .push(" AND t.status = 'pending' AND t.due_at < ")
            .push_bind(now);
        let count = query.build_query_scalar::<i64>().fetch_one(pool).await?;
        let mut query = sqlx::QueryBuilder::new(
            "SELECT t.id, t.title, t.due_at, u.name AS assignee_name, t.contact_id,
                c.name AS contact_name, t.deal_id, d.title AS deal_title
             FROM tasks t
             LEFT JOIN users u ON u.id = t.assignee_id
             LEFT JOIN contacts c ON c.id = t.contact_id
             LEFT JOIN deals d ON d.id = t.deal_id
             WHERE ",
        );
        visible.push(&mut query, "t", "assignee_id");
        query
            .push(" AND t.status = 'pending' AND t.due_at < ")
            .push_bind(now)
            .push(" ORDER BY t.due_at, t.id LIMIT ")
            .push_bind(OVERDUE_SHOWN);
        let top = query
            .build_query_as::<OverdueTask>()
            .fetch_all(pool)
            .await?;
        (count, top)
    });
    Ok(OverdueTasks { count, top })
}
