//! Deals moving through the stages of a pipeline. Moves follow the target stage's rules (a note
//! or a follow-up date when required), set or clear `closed_at` on won/lost, write a
//! `stage_change` activity and an audit row in the same transaction, and use the deal's
//! `version` so a stale move or edit answers 409 with the current deal instead of losing work.

pub mod board;
mod board_column;
pub mod board_filter;
mod board_live;
#[cfg(feature = "ssr")]
pub mod board_service;
pub mod board_state;
#[cfg(feature = "ssr")]
pub mod board_store;
mod board_toolbar;
pub mod card;
pub mod input;
mod move_dialog;
#[cfg(feature = "ssr")]
mod moving;
pub mod new_form;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod stage_rules;
#[cfg(feature = "ssr")]
mod store;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stage {
    pub id: i64,
    pub pipeline_id: i64,
    pub name: String,
    pub color: String,
    pub sort_order: i32,
    pub probability: i32,
    pub is_default: bool,
    pub is_won: bool,
    pub is_lost: bool,
    pub requires_note: bool,
    pub requires_followup_date: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Pipeline {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub stages: Vec<Stage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Deal {
    pub id: i64,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub stage_name: String,
    pub title: String,
    pub amount_minor: i64,
    pub currency: String,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    /// The contact's phone, for click-to-call from the card and the board.
    #[serde(default)]
    pub contact_phone: Option<String>,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub expected_close_on: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
    pub position: i32,
    pub version: i64,
    pub stage_entered_at: DateTime<Utc>,
    /// When the deal's earliest pending task is due.
    pub next_task_due_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a deal form sends; blank optional fields are empty strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealForm {
    pub title: String,
    /// Decimal major units as typed, e.g. `1250.50`.
    #[serde(default)]
    pub amount: String,
    /// The amount in minor units (cents); when given it takes the place of `amount`.
    #[serde(default)]
    pub amount_minor: Option<i64>,
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub stage_id: String,
    #[serde(default)]
    pub contact_id: String,
    #[serde(default)]
    pub company_id: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub expected_close_on: String,
    /// Creating: required when the stage `requires_note` (e.g. why it was lost).
    #[serde(default)]
    pub note: String,
    /// Creating: `YYYY-MM-DD`; required when the stage `requires_followup_date`.
    #[serde(default)]
    pub followup_on: String,
}

/// A move to `stage_id` at `position`, made from `version`. `position` is the column position
/// to take: the `position` of the card it is dropped above (0 = the top); the cards from there
/// down shift by one. Without it the deal goes to the bottom of the column.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealMove {
    pub stage_id: i64,
    #[serde(default)]
    pub position: Option<i32>,
    pub version: i64,
    /// Required when the target stage `requires_note`.
    #[serde(default)]
    pub note: String,
    /// `YYYY-MM-DD`; required when the target stage `requires_followup_date`.
    #[serde(default)]
    pub followup_on: String,
}

/// List filters, all optional. Deals come oldest first (by id), so paging with `cursor` (the
/// `next_cursor` of the page before) neither skips nor repeats deals while new ones are added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct DealFilter {
    /// Words of the title, without regard to case or accents.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub pipeline_id: Option<i64>,
    #[serde(default)]
    pub stage_id: Option<i64>,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub company_id: Option<i64>,
    /// The `next_cursor` of the page before: the id of its last deal.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", param(pattern = r"^[0-9]{1,18}$"))]
    pub cursor: Option<String>,
    /// 1 to 200; 50 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealPage {
    pub items: Vec<Deal>,
    pub next_cursor: Option<String>,
}

/// One column of the board: its first page of cards (or the next), and the count and money of
/// every card in it under the filter, not only those loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage_id: i64,
    pub count: i64,
    /// Sums per currency, by currency code.
    pub totals: Vec<CurrencyTotal>,
    pub deals: Vec<Deal>,
    /// Asks `deals/board_column` for the cards after these; `None` when all are loaded.
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyTotal {
    pub currency: String,
    pub count: i64,
    pub amount_minor: i64,
}

/// The next cards of one column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnPage {
    pub deals: Vec<Deal>,
    pub next_cursor: Option<String>,
}

/// A move's result: the deal as it is now and the stage-change activity it wrote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MovedDeal {
    pub deal: Deal,
    pub activity: Option<crate::activities::Activity>,
}
