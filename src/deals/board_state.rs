//! What the board shows, as plain functions the page and its tests share: columns in stage
//! order, the optimistic move (the same position rule the server applies, so the card lands
//! where the server will put it), keyboard neighbours, and money totals per currency.

use super::{Deal, Stage};
use crate::validation::money::format_money;
use std::collections::BTreeMap;

/// Where a card goes: a stage, and the position of the card it lands above (`None`: the bottom).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub stage_id: i64,
    pub position: Option<i32>,
}

/// The deals of one stage in board order.
pub fn column(deals: &[Deal], stage_id: i64) -> Vec<Deal> {
    let mut column: Vec<Deal> = deals
        .iter()
        .filter(|d| d.stage_id == stage_id)
        .cloned()
        .collect();
    column.sort_by_key(|d| (d.position, d.id));
    column
}

/// The board after moving `deal_id` to `target`: the card takes the position asked for and the
/// cards from there down move one place, as `move_deal` does on the server.
pub fn moved(deals: &[Deal], deal_id: i64, target: Target, stage_name: &str) -> Vec<Deal> {
    let mut deals = deals.to_vec();
    let bottom = deals
        .iter()
        .filter(|d| d.stage_id == target.stage_id && d.id != deal_id)
        .map(|d| d.position + 1)
        .max()
        .unwrap_or(0);
    let position = target.position.map_or(bottom, |p| p.max(0));
    for deal in deals.iter_mut() {
        if deal.id == deal_id {
            deal.stage_id = target.stage_id;
            deal.stage_name = stage_name.to_string();
            deal.position = position;
        } else if target.position.is_some()
            && deal.stage_id == target.stage_id
            && deal.position >= position
        {
            deal.position += 1;
        }
    }
    deals
}

/// The moves a focused card can make from the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    PreviousStage,
    NextStage,
    Up,
    Down,
}

/// Where `step` takes the card, or `None` at the board's edge.
pub fn step_target(stages: &[Stage], deals: &[Deal], deal: &Deal, step: Step) -> Option<Target> {
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
            let column = column(deals, deal.stage_id);
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
pub fn totals(deals: &[Deal]) -> String {
    let mut sums: BTreeMap<&str, i64> = BTreeMap::new();
    for deal in deals {
        *sums.entry(deal.currency.as_str()).or_default() += deal.amount_minor;
    }
    if sums.is_empty() {
        return "–".into();
    }
    sums.into_iter()
        .map(|(currency, sum)| format_money(sum, currency))
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
    use chrono::Utc;

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

    fn ids(deals: &[Deal], stage_id: i64) -> Vec<i64> {
        column(deals, stage_id).iter().map(|d| d.id).collect()
    }

    #[test]
    fn a_move_lands_where_the_server_puts_it() {
        let board = vec![
            deal(1, 10, 0),
            deal(2, 10, 1),
            deal(3, 20, 0),
            deal(4, 20, 1),
        ];
        let above_4 = moved(
            &board,
            1,
            Target {
                stage_id: 20,
                position: Some(1),
            },
            "S20",
        );
        assert_eq!(ids(&above_4, 20), [3, 1, 4]);
        assert_eq!(ids(&above_4, 10), [2]);
        let bottom = moved(
            &board,
            1,
            Target {
                stage_id: 20,
                position: None,
            },
            "S20",
        );
        assert_eq!(ids(&bottom, 20), [3, 4, 1]);
        let top = moved(
            &board,
            2,
            Target {
                stage_id: 10,
                position: Some(0),
            },
            "S10",
        );
        assert_eq!(ids(&top, 10), [2, 1]);
    }

    #[test]
    fn keyboard_steps_stop_at_the_edges() {
        let stages = [stage(10), stage(20)];
        let board = vec![deal(1, 10, 0), deal(2, 10, 1), deal(3, 10, 2)];
        let step = |id: i64, s: Step| step_target(&stages, &board, &board[(id - 1) as usize], s);
        assert_eq!(step(1, Step::PreviousStage), None);
        assert_eq!(
            step(1, Step::NextStage),
            Some(Target {
                stage_id: 20,
                position: None
            })
        );
        assert_eq!(step(1, Step::Up), None);
        assert_eq!(
            step(2, Step::Up),
            Some(Target {
                stage_id: 10,
                position: Some(0)
            })
        );
        assert_eq!(
            step(1, Step::Down),
            Some(Target {
                stage_id: 10,
                position: Some(2)
            })
        );
        assert_eq!(
            step(2, Step::Down),
            Some(Target {
                stage_id: 10,
                position: None
            })
        );
        assert_eq!(step(3, Step::Down), None);
        let down = moved(&board, 1, step(1, Step::Down).expect("down"), "S10");
        assert_eq!(ids(&down, 10), [2, 1, 3]);
    }

    #[test]
    fn totals_are_per_currency() {
        let mixed = [
            deal(1, 1, 0),
            Deal {
                currency: "USD".into(),
                ..deal(2, 1, 1)
            },
        ];
        assert_eq!(totals(&mixed), "1.00 EUR · 1.00 USD");
        assert_eq!(initials("sofia  berg lund"), "SB");
    }
}
