//! The board's reads: every column's first page with its exact count and totals, and a column's
//! next page. Filtered on the server (the same folding as every search), so a pipeline of
//! 100k deals sends the browser what it draws and nothing more.

use super::{
    board_filter::{BoardFilter, BoardOwner},
    board_store::{AmountBound, BoardStore, BoardWhere, ColumnKey, OwnerIs},
    BoardColumn, ColumnPage, CurrencyTotal, Deal, Stage,
};
use crate::{
    auth::{actor::Actor, roles::Permission, scope::Visible},
    db::Db,
    error::AppError,
    on_db,
    pipelines::store::PipelineStore,
    search::contains_pattern,
    validation::money::codes_by_decimals,
};
use chrono::{DateTime, Duration, Utc};

/// Cards per column page.
pub const COLUMN_PAGE: usize = 50;

/// Every stage of the pipeline in board order, each with its first page of cards.
pub async fn list_board(
    db: &Db,
    actor: &Actor,
    pipeline_id: i64,
    filter: &BoardFilter,
) -> Result<Vec<BoardColumn>, AppError> {
    actor.require(Permission::DealsView)?;
    let filter = board_where(actor, filter, Utc::now())?;
    let visible = Visible::to(actor);
    let fetch = COLUMN_PAGE as i64 + 1;
    Ok(on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let pipeline = conn
            .pipelines(actor.tenant_id)
            .await?
            .into_iter()
            .find(|p| p.id == pipeline_id)
            .ok_or(AppError::NotFound)?;
        let mut columns = Vec::with_capacity(pipeline.stages.len());
        for stage in &pipeline.stages {
            let totals = conn
                .column_totals(visible, stage.id, closed(stage), &filter)
                .await?;
            let deals = conn
                .column_page(visible, stage.id, closed(stage), &filter, None, fetch)
                .await?;
            columns.push(column(stage, totals, deals));
        }
        columns
    }))
}

/// The cards of one column after `cursor` (a column's `next_cursor`).
pub async fn list_board_column(
    db: &Db,
    actor: &Actor,
    stage_id: i64,
    filter: &BoardFilter,
    cursor: &str,
) -> Result<ColumnPage, AppError> {
    actor.require(Permission::DealsView)?;
    let filter = board_where(actor, filter, Utc::now())?;
    let visible = Visible::to(actor);
    let after = parse_cursor(cursor)?;
    let fetch = COLUMN_PAGE as i64 + 1;
    let (stage, deals) = on_db!(db, |pool| {
        let mut conn = pool.acquire().await?;
        let stage = conn
            .stage(actor.tenant_id, stage_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let deals = conn
            .column_page(
                visible,
                stage_id,
                closed(&stage),
                &filter,
                Some(after),
                fetch,
            )
            .await?;
        (stage, deals)
    });
    let (deals, next_cursor) = page(&stage, deals);
    Ok(ColumnPage { deals, next_cursor })
}

fn closed(stage: &Stage) -> bool {
    stage.is_won || stage.is_lost
}

fn column(stage: &Stage, totals: Vec<(String, i64, i64)>, deals: Vec<Deal>) -> BoardColumn {
    let (deals, next_cursor) = page(stage, deals);
    BoardColumn {
        stage_id: stage.id,
        count: totals.iter().map(|(_, count, _)| count).sum(),
        totals: totals
            .into_iter()
            .map(|(currency, count, amount_minor)| CurrencyTotal {
                currency,
                count,
                amount_minor,
            })
            .collect(),
        deals,
        next_cursor,
    }
}

/// The page without the one extra card fetched to learn whether more follow, and the cursor
/// after its last card when they do.
fn page(stage: &Stage, mut deals: Vec<Deal>) -> (Vec<Deal>, Option<String>) {
    if deals.len() <= COLUMN_PAGE {
        return (deals, None);
    }
    deals.truncate(COLUMN_PAGE);
    let cursor = deals
        .last()
        .map(|last| match (closed(stage), last.closed_at) {
            (true, Some(at)) => format!("c{}.{}", at.timestamp_micros(), last.id),
            _ => format!("p{}.{}", last.position, last.id),
        });
    (deals, cursor)
}

fn parse_cursor(cursor: &str) -> Result<ColumnKey, AppError> {
    let bad = || AppError::invalid("cursor", "is not a cursor from this board");
    let (kind, rest) = cursor.split_at_checked(1).ok_or_else(bad)?;
    let (key, id) = rest.split_once('.').ok_or_else(bad)?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    match kind {
        "p" => Ok(ColumnKey::Position(key.parse().map_err(|_| bad())?, id)),
        "c" => {
            let micros: i64 = key.parse().map_err(|_| bad())?;
            let at = DateTime::from_timestamp_micros(micros).ok_or_else(bad)?;
            Ok(ColumnKey::Closed(at, id))
        }
        _ => Err(bad()),
    }
}

/// The filter as conditions: the owner words resolved against the actor (never widening what
/// the role sees, which `Visible` decides), amounts in each currency's minor units.
fn board_where(
    actor: &Actor,
    filter: &BoardFilter,
    now: DateTime<Utc>,
) -> Result<BoardWhere, AppError> {
    let owner = match filter.owner() {
        None => return Err(AppError::invalid("owner", "must be everyone, team or me")),
        Some(BoardOwner::Everyone) => None,
        Some(BoardOwner::Me) => Some(OwnerIs::User(actor.user_id)),
        Some(BoardOwner::Team) => Some(match actor.team_id {
            Some(team_id) => OwnerIs::Team {
                tenant_id: actor.tenant_id,
                team_id,
            },
            None => OwnerIs::User(actor.user_id),
        }),
    };
    let window = filter
        .window()
        .ok_or_else(|| AppError::invalid("closed", "must be 30, 90, 365 (days) or all"))?;
    for (field, value) in [("min", filter.min), ("max", filter.max)] {
        if value.is_some_and(|v| !v.is_finite() || !(0.0..=1e15).contains(&v)) {
            return Err(AppError::invalid(
                field,
                "must be an amount of 0 or more, like 1500.50",
            ));
        }
    }
    if let (Some(min), Some(max)) = (filter.min, filter.max) {
        if min > max {
            return Err(AppError::invalid("max", "must not be below the minimum"));
        }
    }
    let q = filter.q.trim();
    Ok(BoardWhere {
        owner,
        pattern: (!q.is_empty()).then(|| contains_pattern(q)),
        min: filter.min.map(|v| bound(v, Side::Lower)),
        max: filter.max.map(|v| bound(v, Side::Upper)),
        closed_since: window.days().map(|days| now - Duration::days(days)),
    })
}

#[derive(Clone, Copy)]
enum Side {
    Lower,
    Upper,
}

/// `major` in whole minor units for every number of decimals: rounded up for a lower bound and
/// down for an upper one, after a tolerance for float noise (0.1 × 100 is 10.000000000000002).
fn bound(major: f64, side: Side) -> AmountBound {
    let minor = |decimals: u16| {
        let exact = major * 10_f64.powi(i32::from(decimals));
        match side {
            Side::Lower => (exact - 1e-6).ceil() as i64,
            Side::Upper => (exact + 1e-6).floor() as i64,
        }
    };
    AmountBound {
        by_decimals: codes_by_decimals()
            .iter()
            .map(|(decimals, codes)| (codes.as_slice(), minor(*decimals)))
            .collect(),
        otherwise: minor(2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        assert_eq!(
            parse_cursor("p12.40").ok(),
            Some(ColumnKey::Position(12, 40))
        );
        let at = DateTime::from_timestamp_micros(1_765_000_000_123_456).expect("time");
        assert_eq!(
            parse_cursor(&format!("c{}.9", at.timestamp_micros())).ok(),
            Some(ColumnKey::Closed(at, 9))
        );
        for bad in ["", "p", "p1", "x1.2", "p1.x", "c.4", "pé.1"] {
            assert!(parse_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amount_bounds_are_whole_minor_units_per_currency() {
        let low = bound(0.1, Side::Lower);
        assert_eq!(low.otherwise, 10, "0.1 EUR is 10 cents, not 11");
        let high = bound(1000.5, Side::Upper);
        assert_eq!(high.otherwise, 100_050);
        let yen = high
            .by_decimals
            .iter()
            .find(|(codes, _)| codes.contains(&"JPY"))
            .map(|(_, minor)| *minor);
        assert_eq!(yen, Some(1000), "1,000.5 JPY allows up to 1,000 yen");
    }
}
