//! The board's SQL, as one trait for both backends: a column's count and money per currency,
//! and a page of its cards in column order, both under the board's filter.

use super::{store::SELECT, Deal};
use crate::{auth::scope::Visible, impl_for_backends};
use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};
use std::future::Future;

/// The board's filter as the service resolved it: whose deals, the folded search pattern, amount
/// bounds in minor units per number of decimals, and the start of the won/lost window.
#[derive(Clone, Debug, Default)]
pub struct BoardWhere {
    pub owner: Option<OwnerIs>,
    /// A `contains_pattern` of the folded query.
    pub pattern: Option<String>,
    pub min: Option<AmountBound>,
    pub max: Option<AmountBound>,
    pub closed_since: Option<DateTime<Utc>>,
}

#[derive(Clone, Copy, Debug)]
pub enum OwnerIs {
    User(i64),
    Team { tenant_id: i64, team_id: i64 },
}

/// One amount in major units, as minor units for each group of currencies with the same
/// number of decimals (`(currency codes, minor units)`), and for every other currency.
#[derive(Clone, Debug)]
pub struct AmountBound {
    pub by_decimals: Vec<(&'static [&'static str], i64)>,
    pub otherwise: i64,
}

/// Where the next page of a column starts: after this card, in column order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKey {
    /// Open stages run by position.
    Position(i32, i64),
    /// Won and lost stages run newest closed first.
    Closed(DateTime<Utc>, i64),
}

/// Appends ` AND …` for every part of the filter. `c` and `co` are the deal's contact and company.
/// The won/lost window applies to closed columns only, as a plain range on `closed_at` (every
/// deal in a won or lost stage has one, `PipelineStore` keeps that true), so the column's index
/// serves it in order: an `OR closed_at IS NULL` here made both backends sort whole columns.
fn push_board_where<'a, DB: Database>(
    query: &mut QueryBuilder<'a, DB>,
    filter: &BoardWhere,
    closed: bool,
) where
    i64: 'a + Encode<'a, DB> + Type<DB>,
    String: 'a + Encode<'a, DB> + Type<DB>,
    DateTime<Utc>: 'a + Encode<'a, DB> + Type<DB>,
{
    match filter.owner {
        None => {}
        Some(OwnerIs::User(user_id)) => {
            query.push(" AND d.owner_id = ").push_bind(user_id);
        }
        Some(OwnerIs::Team { tenant_id, team_id }) => {
            query
                .push(" AND d.owner_id IN (SELECT id FROM users WHERE tenant_id = ")
                .push_bind(tenant_id)
                .push(" AND team_id = ")
                .push_bind(team_id)
                .push(")");
        }
    }
    if let Some(pattern) = &filter.pattern {
        query.push(" AND (");
        for (i, column) in ["d.search_text", "c.sort_name", "co.sort_name"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                query.push(" OR ");
            }
            query
                .push(format!("{column} LIKE "))
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        query.push(")");
    }
    for (bound, op) in [(&filter.min, ">="), (&filter.max, "<=")] {
        let Some(bound) = bound else { continue };
        query.push(format!(" AND d.amount_minor {op} CASE"));
        for (codes, minor) in &bound.by_decimals {
            // ISO codes from iso_currency: three capital letters each, safe to inline.
            let list = codes
                .iter()
                .map(|code| format!("'{code}'"))
                .collect::<Vec<_>>()
                .join(", ");
            query
                .push(format!(" WHEN d.currency IN ({list}) THEN "))
                .push_bind(*minor);
        }
        query.push(" ELSE ").push_bind(bound.otherwise).push(" END");
    }
    if let Some(since) = filter.closed_since.filter(|_| closed) {
        query.push(" AND d.closed_at >= ").push_bind(since);
    }
}

const TOTALS: &str =
    "SELECT d.currency, COUNT(*) AS count, CAST(SUM(d.amount_minor) AS BIGINT) AS amount_minor
    FROM deals d ";
/// The joins the filter's name search needs; without a search the totals read one index.
const SEARCH_JOINS: &str = "LEFT JOIN contacts c ON c.id = d.contact_id
    LEFT JOIN companies co ON co.id = d.company_id ";

pub trait BoardStore {
    /// The count and sum per currency of the stage's live deals matching `filter`:
    /// (currency, count, sum in minor units).
    fn column_totals(
        &mut self,
        visible: Visible,
        stage_id: i64,
        closed: bool,
        filter: &BoardWhere,
    ) -> impl Future<Output = Result<Vec<(String, i64, i64)>, sqlx::Error>> + Send;

    /// Up to `fetch` of the stage's live deals matching `filter`, in column order (by
    /// position; won and lost stages newest closed first), after `after`.
    fn column_page(
        &mut self,
        visible: Visible,
        stage_id: i64,
        closed: bool,
        filter: &BoardWhere,
        after: Option<ColumnKey>,
        fetch: i64,
    ) -> impl Future<Output = Result<Vec<Deal>, sqlx::Error>> + Send;
}

impl_for_backends! {
    impl BoardStore {
        async fn column_totals(
            &mut self,
            visible: Visible,
            stage_id: i64,
            closed: bool,
            filter: &BoardWhere,
        ) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(TOTALS);
            if filter.pattern.is_some() {
                query.push(SEARCH_JOINS);
            }
            query.push("WHERE ");
            visible.push(&mut query, "d", "owner_id");
            query
                .push(" AND d.stage_id = ")
                .push_bind(stage_id)
                .push(" AND d.deleted_at IS NULL");
            // True of every open deal; it lets the planner count from deals_column_totals_idx,
            // in currency order, without reading a row.
            if !closed {
                query.push(" AND d.closed_at IS NULL");
            }
            push_board_where(&mut query, filter, closed);
            query.push(" GROUP BY d.currency ORDER BY d.currency");
            query
                .build_query_as::<(String, i64, i64)>()
                .fetch_all(&mut *self)
                .await
        }

        async fn column_page(
            &mut self,
            visible: Visible,
            stage_id: i64,
            closed: bool,
            filter: &BoardWhere,
            after: Option<ColumnKey>,
            fetch: i64,
        ) -> Result<Vec<Deal>, sqlx::Error> {
            let mut query = sqlx::QueryBuilder::new(SELECT);
            visible.push(&mut query, "d", "owner_id");
            query
                .push(" AND d.stage_id = ")
                .push_bind(stage_id)
                .push(" AND d.deleted_at IS NULL");
            push_board_where(&mut query, filter, closed);
            match after {
                Some(ColumnKey::Position(position, id)) => {
                    query
                        .push(" AND (d.position, d.id) > (")
                        .push_bind(position)
                        .push(", ")
                        .push_bind(id)
                        .push(")");
                }
                Some(ColumnKey::Closed(closed_at, id)) => {
                    query
                        .push(" AND (d.closed_at, d.id) < (")
                        .push_bind(closed_at)
                        .push(", ")
                        .push_bind(id)
                        .push(")");
                }
                None => {}
            }
            query.push(if closed {
                " ORDER BY d.closed_at DESC, d.id DESC LIMIT "
            } else {
                " ORDER BY d.position, d.id LIMIT "
            });
            query.push_bind(fetch);
            query.build_query_as::<Deal>().fetch_all(&mut *self).await
        }
    }
}
