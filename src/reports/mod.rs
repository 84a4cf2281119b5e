//! Reports: the start page's dashboard. Every number is counted in SQL, within what the viewer
//! may see (own, team or whole tenant), over periods taken in the tenant's timezone.

pub mod charts;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod periods;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The activity kinds a rep logs by hand, in the order the chart stacks them.
pub const REP_ACTIVITY_KINDS: [&str; 4] = ["call", "email", "meeting", "note"];

/// The sum of `count` deals' amounts in one currency, in its minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyAmount {
    pub currency: String,
    pub amount_minor: i64,
    pub count: i64,
}

/// The open deals of one stage: how many, and their value per currency (amounts in different
/// currencies are never added together).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageValue {
    pub stage_id: i64,
    pub name: String,
    pub color: String,
    pub count: i64,
    pub amounts: Vec<CurrencyAmount>,
}

/// Deals closed won and lost within the month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WonLost {
    pub won_count: i64,
    pub won_amounts: Vec<CurrencyAmount>,
    pub lost_count: i64,
    pub lost_amounts: Vec<CurrencyAmount>,
}

/// One rep's logged activities in the week; `counts` follows [`REP_ACTIVITY_KINDS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepActivities {
    pub user_id: i64,
    pub name: String,
    pub counts: [i64; 4],
}

impl RepActivities {
    pub fn total(&self) -> i64 {
        self.counts.iter().sum()
    }
}

/// A pending task past its due time, with what it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OverdueTask {
    pub id: i64,
    pub title: String,
    pub due_at: DateTime<Utc>,
    pub assignee_name: Option<String>,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub deal_id: Option<i64>,
    pub deal_title: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueTasks {
    pub count: i64,
    /// The longest overdue first, a few only.
    pub top: Vec<OverdueTask>,
}

/// A pipeline the switcher offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineChoice {
    pub id: i64,
    pub name: String,
}

/// Everything the dashboard draws, for one pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// `None` when the tenant has no pipeline yet.
    pub pipeline_id: Option<i64>,
    pub pipelines: Vec<PipelineChoice>,
    /// The pipeline's open stages in board order, empty ones included.
    pub stages: Vec<StageValue>,
    pub won_lost: WonLost,
    pub activities_by_rep: Vec<RepActivities>,
    pub overdue_tasks: OverdueTasks,
    /// The tenant's timezone, in which the month and the week below begin at midnight.
    pub timezone: String,
    pub month_start: DateTime<Utc>,
    pub month_end: DateTime<Utc>,
    /// Monday to Monday.
    pub week_start: DateTime<Utc>,
    pub week_end: DateTime<Utc>,
    /// "November 2026", "Week of 23 Nov 2026": the periods as the tenant reads them.
    pub month_label: String,
    pub week_label: String,
}

impl Dashboard {
    pub fn pipeline_name(&self) -> Option<&str> {
        let id = self.pipeline_id?;
        self.pipelines
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str())
    }
}
