//! What the board shows, as plain functions the page and its tests share: the loaded cards of
//! each column in column order (open stages by position, won and lost newest closed first), the
//! optimistic move (the same position rule the server applies, so the card lands where the
//! server will put it, with the columns' counts and totals moved along), keyboard neighbours,
//! and money totals per currency.

use super::{BoardColumn, ColumnPage, Deal, Stage};
use crate::validation::money::format_money;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Where a card goes: a stage, and the position of the card it lands above (`None`: the bottom).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub stage_id: i64,
    pub position: Option<i32>,
}

/// What the server said of a column as a whole: every card under the filter, loaded or not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMeta {
    pub count: i64,
    /// (deals, minor units) by currency code.
    pub totals: BTreeMap<String, (i64, i64)>,
    pub next_cursor: Option<String>,
}

/// The cards loaded so far and each column's count, totals and where its next page starts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardState {
    pub deals: Vec<Deal>,
    pub columns: BTreeMap<i64, ColumnMeta>,
}

pub fn is_closed(stage: &Stage) -> bool {
    stage.is_won || stage.is_lost
}

impl BoardState {
    pub fn from_columns(columns: Vec<BoardColumn>) -> Self {
        let mut state = BoardState::default();
        for column in columns {
            let meta = ColumnMeta {
                count: column.count,
                totals: column
                    .totals
                    .into_iter()
                    .map(|t| (t.currency, (t.count, t.amount_minor)))
                    .collect(),
                next_cursor: column.next_cursor,
            };
            state.columns.insert(column.stage_id, meta);
            state.deals.extend(column.deals);
        }
        state
    }

    /// The loaded deals of a stage in column order.
    pub fn column(&self, stage: &Stage) -> Vec<Deal> {
        let mut column: Vec<Deal> = self
            .deals
            .iter()
            .filter(|d| d.stage_id == stage.id)
            .cloned()
            .collect();
        if is_closed(stage) {
            column.sort_by_key(|d| std::cmp::Reverse((d.closed_at, d.id)));
        } else {
            column.sort_by_key(|d| (d.position, d.id));
        }
        column
    }

    pub fn meta(&self, stage_id: i64) -> ColumnMeta {
        self.columns.get(&stage_id).cloned().unwrap_or_default()
    }

    pub fn find(&self, id: i64) -> Option<&Deal> {
        self.deals.iter().find(|d| d.id == id)
    }

    /// The board after moving `deal_id` to `target`: the card takes the position asked for and
    /// the cards from there down move one place, as `move_deal` does on the server; into a won
    /// or lost stage it closes now (the top of that column).
    pub fn moved(&self, deal_id: i64, target: Target, stage: &Stage, now: DateTime<Utc>) -> Self {
        let mut state = self.clone();
        let Some(before) = self.find(deal_id).cloned() else {
            return state;
        };
        let bottom = state
            .deals
            .iter()
            .filter(|d| d.stage_id == target.stage_id && d.id != deal_id)
            .map(|d| d.position + 1)
            .max()
            .unwrap_or(0);
        let position = target.position.map_or(bottom, |p| p.max(0));
        let changes_stage = before.stage_id != target.stage_id;
        for deal in state.deals.iter_mut() {
            if deal.id == deal_id {
                deal.stage_id = target.stage_id;
                deal.stage_name = stage.name.clone();
                deal.position = position;
                deal.closed_at = match (is_closed(stage), changes_stage) {
                    (true, true) => Some(now),
                    (true, false) => deal.closed_at.or(Some(now)),
                    (false, _) => None,
                };
            } else if target.position.is_some()
                && deal.stage_id == target.stage_id
                && deal.position >= position
            {
                deal.position += 1;
            }
        }
        if changes_stage {
            state.count_out(&before);
            state.count_in(&before, target.stage_id);
        }
        state
    }

    /// The board with a deal made here (quick add) in its column.
    pub fn added(&self, deal: Deal) -> Self {
        let mut state = self.clone();
        state.count_in(&deal, deal.stage_id);
        state.deals.push(deal);
        state
    }

    /// The board without the deal (gone from this user's view: deleted, given away).
    pub fn removed(&self, deal_id: i64) -> Self {
        let mut state = self.clone();
        if let Some(gone) = self.find(deal_id).cloned() {
            state.count_out(&gone);
            state.deals.retain(|d| d.id != deal_id);
        }
        state
    }

    /// The board with a loaded deal as the server now has it (another user moved or edited
    /// it): out of its old place, into its new one, the cards from there down one place lower,
    /// as the server's move made room.
    pub fn replaced(&self, deal: Deal) -> Self {
        let mut state = self.removed(deal.id);
        for other in state.deals.iter_mut() {
            if other.stage_id == deal.stage_id && other.position >= deal.position {
                other.position += 1;
            }
        }
        state.added(deal)
    }

    /// The board with a column's next page loaded. A card already here (moved in meanwhile)
    /// keeps the state shown.
    pub fn with_page(&self, stage_id: i64, page: ColumnPage) -> Self {
        let mut state = self.clone();
        for deal in page.deals {
            if state.find(deal.id).is_none() {
                state.deals.push(deal);
            }
        }
        state.columns.entry(stage_id).or_default().next_cursor = page.next_cursor;
        state
    }

    fn count_out(&mut self, deal: &Deal) {
        let meta = self.columns.entry(deal.stage_id).or_default();
        meta.count -= 1;
        if let Some((count, sum)) = meta.totals.get_mut(&deal.currency) {
            *count -= 1;
            *sum -= deal.amount_minor;
        }
        // A currency's line stays while a deal in the column carries it.
        meta.totals.retain(|_, (count, _)| *count > 0);
    }

    fn count_in(&mut self, deal: &Deal, stage_id: i64) {
        let meta = self.columns.entry(stage_id).or_default();
        meta.count += 1;
        let (count, sum) = meta.totals.entry(deal.currency.clone()).or_default();
        *count += 1;
        *sum += deal.amount_minor;
    }
}

/// The moves a focused card can make from the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    PreviousStage,
    NextStage,
    Up,
    Down,
}

/// Where `step` takes the card, or `None` at the board's edge. Won and lost columns run by
/// closing date, so a card has no place to go up or down in them.
pub fn step_target(
    stages: &[Stage],
    board: &BoardState,
    deal: &Deal,
    step: Step,
) -> Option<Target> {
    let index = stages.iter().position(|s| s.id == deal.stage_id)?;
    match step {
        Step::PreviousStage | Step::NextStage => {
            let next = if step == Step::NextStage {
                index.checked_add(1)?
            } else {
                index.checked_sub(1)?
            };
            stages.get(next).map(|s| Target {
                stage_id: s.id,
                position: None,
            })
        }
        Step::Up | Step::Down => {
            let stage = &stages[index];
            if is_closed(stage) {
                return None;
            }
            let column = board.column(stage);
            let at = column.iter().position(|d| d.id == deal.id)?;
            let position = if step == Step::Up {
                Some(column.get(at.checked_sub(1)?)?.position)
            } else {
                // Below the next card: above the one after it, or the bottom.
                column.get(at + 1)?;
                column.get(at + 2).map(|d| d.position)
            };
            Some(Target {
                stage_id: deal.stage_id,
                position,
            })
        }
    }
}

/// A column's total per currency, e.g. `12,000.00 EUR · 500.00 USD`.
pub fn totals(sums: &BTreeMap<String, (i64, i64)>) -> String {
    if sums.is_empty() {
        return "–".into();
    }
    sums.iter()
        .map(|(currency, (_, sum))| format_money(*sum, currency))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `Sofia Berg` → `SB`.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn deal(id: i64, stage_id: i64, position: i32) -> Deal {
        Deal {
            id,
            pipeline_id: 1,
            stage_id,
            stage_name: String::new(),
            title: format!("D{id}"),
            amount_minor: 100,
            currency: "EUR".into(),
            contact_id: None,
            contact_name: None,
            contact_phone: None,
            company_id: None,
            company_name: None,
            owner_id: None,
            owner_name: None,
            expected_close_on: None,
            closed_at: None,
            position,
            version: 1,
            stage_entered_at: Utc::now(),
            next_task_due_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn stage(id: i64) -> Stage {
        Stage {
            id,
            pipeline_id: 1,
            name: format!("S{id}"),
            color: "#000".into(),
            sort_order: id as i32,
            probability: 0,
            is_default: false,
            is_won: false,
            is_lost: false,
            requires_note: false,
            requires_followup_date: false,
        }
    }

    fn won(id: i64) -> Stage {
        Stage {
            is_won: true,
            ..stage(id)
        }
    }

    /// A board of these deals whose columns hold exactly what is loaded.
    fn board(deals: Vec<Deal>) -> BoardState {
        let mut state = BoardState::default();
        for deal in deals {
            state = state.added(deal);
        }
        state
    }

    fn ids(board: &BoardState, stage: &Stage) -> Vec<i64> {
        board.column(stage).iter().map(|d| d.id).collect()
    }

    fn to(stage_id: i64, position: Option<i32>) -> Target {
        Target { stage_id, position }
    }

    #[test]
    fn a_move_lands_where_the_server_puts_it() {
        let b = board(vec![
            deal(1, 10, 0),
            deal(2, 10, 1),
            deal(3, 20, 0),
            deal(4, 20, 1),
        ]);
        let (s10, s20) = (stage(10), stage(20));
        let above_4 = b.moved(1, to(20, Some(1)), &s20, Utc::now());
        assert_eq!(ids(&above_4, &s20), [3, 1, 4]);
        assert_eq!(ids(&above_4, &s10), [2]);
        let bottom = b.moved(1, to(20, None), &s20, Utc::now());
        assert_eq!(ids(&bottom, &s20), [3, 4, 1]);
        let top = b.moved(2, to(10, Some(0)), &s10, Utc::now());
        assert_eq!(ids(&top, &s10), [2, 1]);
    }

    #[test]
    fn a_move_carries_its_count_and_money_to_the_other_column() {
        let mut usd = deal(2, 10, 1);
        usd.currency = "USD".into();
        usd.amount_minor = 500;
        let b = board(vec![deal(1, 10, 0), usd]);
        assert_eq!(totals(&b.meta(10).totals), "1.00 EUR · 5.00 USD");
        let after = b.moved(2, to(20, None), &stage(20), Utc::now());
        assert_eq!(after.meta(10).count, 1);
        assert_eq!(totals(&after.meta(10).totals), "1.00 EUR");
        assert_eq!(after.meta(20).count, 1);
        assert_eq!(totals(&after.meta(20).totals), "5.00 USD");
        let within = b.moved(1, to(10, Some(2)), &stage(10), Utc::now());
        assert_eq!(
            within.meta(10),
            b.meta(10),
            "a reorder counts nothing twice"
        );
    }

    #[test]
    fn won_columns_run_newest_closed_first_and_a_won_card_lands_on_top() {
        let day = chrono::Duration::days(1);
        let now = Utc::now();
        let mut old = deal(1, 30, 5);
        old.closed_at = Some(now - day * 3);
        let mut newer = deal(2, 30, 0);
        newer.closed_at = Some(now - day);
        let b = board(vec![old, newer, deal(3, 10, 0)]);
        let w = won(30);
        assert_eq!(ids(&b, &w), [2, 1]);
        let after = b.moved(3, to(30, None), &w, now);
        assert_eq!(ids(&after, &w), [3, 2, 1]);
        let reopened = after.moved(3, to(10, None), &stage(10), now);
        assert_eq!(reopened.find(3).and_then(|d| d.closed_at), None);
        let stages = [stage(10), w];
        let card = after.find(2).cloned().expect("card");
        assert_eq!(step_target(&stages, &after, &card, Step::Up), None);
    }

    #[test]
    fn a_deal_changed_elsewhere_moves_with_its_count_and_a_gone_one_leaves() {
        let (lead, won) = (stage(1), won(2));
        let mut moved = deal(7, 1, 0);
        let state = board(vec![moved.clone(), deal(8, 1, 1), deal(9, 2, 0)]);
        moved.stage_id = 2;
        moved.position = 0;
        moved.closed_at = Some(Utc::now());
        let after = state.replaced(moved);
        assert_eq!(ids(&after, &lead), [8]);
        assert_eq!(ids(&after, &won).len(), 2);
        assert_eq!((after.meta(1).count, after.meta(2).count), (1, 2));
        let gone = after.removed(8);
        assert!(ids(&gone, &lead).is_empty());
        assert_eq!(gone.meta(1).count, 0);
        assert_eq!(gone.removed(999), gone, "an unknown deal changes nothing");
    }

    #[test]
    fn a_page_adds_cards_once_and_moves_the_cursor() {
        let b = board(vec![deal(1, 10, 0)]);
        let moved_here = b.moved(1, to(10, Some(0)), &stage(10), Utc::now());
        let page = ColumnPage {
            deals: vec![deal(1, 10, 0), deal(2, 10, 1)],
            next_cursor: Some("p1.2".into()),
        };
        let after = moved_here.with_page(10, page);
        assert_eq!(after.deals.len(), 2);
        assert_eq!(after.meta(10).next_cursor.as_deref(), Some("p1.2"));
    }

    #[test]
    fn keyboard_steps_stop_at_the_edges() {
        let stages = [stage(10), stage(20)];
        let b = board(vec![deal(1, 10, 0), deal(2, 10, 1), deal(3, 10, 2)]);
        let step = |id: i64, s: Step| step_target(&stages, &b, b.find(id).expect("deal"), s);
        assert_eq!(step(1, Step::PreviousStage), None);
        assert_eq!(step(1, Step::NextStage), Some(to(20, None)));
        assert_eq!(step(1, Step::Up), None);
        assert_eq!(step(2, Step::Up), Some(to(10, Some(0))));
        assert_eq!(step(1, Step::Down), Some(to(10, Some(2))));
        assert_eq!(step(2, Step::Down), Some(to(10, None)));
        assert_eq!(step(3, Step::Down), None);
        let down = b.moved(
            1,
            step(1, Step::Down).expect("down"),
            &stages[0],
            Utc::now(),
        );
        assert_eq!(ids(&down, &stages[0]), [2, 1, 3]);
        assert_eq!(initials("sofia  berg lund"), "SB");
    }
}
