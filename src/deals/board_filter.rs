//! Which cards the board shows: a text search, whose deals (me / my team / everyone, as far as
//! the role lets the user see) and an amount range in major units.

use super::Deal;
use crate::validation::money::in_major_units;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OwnerFilter {
    #[default]
    Everyone,
    Team,
    Me,
}

impl OwnerFilter {
    pub fn parse(value: &str) -> Self {
        match value {
            "me" => OwnerFilter::Me,
            "team" => OwnerFilter::Team,
            _ => OwnerFilter::Everyone,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardFilter {
    pub query: String,
    pub owner: OwnerFilter,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl BoardFilter {
    /// `team` holds the ids of the user's team mates (the user included).
    pub fn matches(&self, deal: &Deal, me: i64, team: &[i64]) -> bool {
        let owner_ok = match self.owner {
            OwnerFilter::Everyone => true,
            OwnerFilter::Me => deal.owner_id == Some(me),
            OwnerFilter::Team => deal.owner_id.is_some_and(|o| o == me || team.contains(&o)),
        };
        let amount = in_major_units(deal.amount_minor, &deal.currency);
        let amount_ok =
            self.min.is_none_or(|min| amount >= min) && self.max.is_none_or(|max| amount <= max);
        owner_ok && amount_ok && self.matches_text(deal)
    }

    fn matches_text(&self, deal: &Deal) -> bool {
        let query = self.query.trim().to_lowercase();
        query.is_empty()
            || [
                Some(&deal.title),
                deal.contact_name.as_ref(),
                deal.company_name.as_ref(),
            ]
            .into_iter()
            .flatten()
            .any(|text| text.to_lowercase().contains(&query))
    }
}

/// What the user typed in an amount box: empty is no bound; `12,500.50` is 12500.5.
pub fn parse_amount(text: &str) -> Result<Option<f64>, &'static str> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        _ => Err("Enter an amount like 1,500 or 1500.50"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deals::board_state::tests::deal;

    fn owned(id: i64, owner: i64, amount_minor: i64, currency: &str) -> Deal {
        Deal {
            owner_id: Some(owner),
            amount_minor,
            currency: currency.into(),
            ..deal(id, 1, 0)
        }
    }

    #[test]
    fn owner_filter_narrows_to_me_or_my_team() {
        let deals = [
            owned(1, 7, 0, "EUR"),
            owned(2, 8, 0, "EUR"),
            owned(3, 9, 0, "EUR"),
        ];
        let shown = |owner| {
            let filter = BoardFilter {
                owner,
                ..Default::default()
            };
            deals
                .iter()
                .filter(|d| filter.matches(d, 7, &[8]))
                .map(|d| d.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(OwnerFilter::Everyone), [1, 2, 3]);
        assert_eq!(shown(OwnerFilter::Team), [1, 2]);
        assert_eq!(shown(OwnerFilter::Me), [1]);
    }

    #[test]
    fn amount_range_uses_each_currency_decimals() {
        // 1,000.00 EUR and 1,000 JPY are both "1000" in major units.
        let deals = [
            owned(1, 7, 100_000, "EUR"),
            owned(2, 7, 1_000, "JPY"),
            owned(3, 7, 50_000, "EUR"),
        ];
        let filter = BoardFilter {
            min: Some(999.0),
            max: Some(1000.0),
            ..Default::default()
        };
        let shown: Vec<_> = deals
            .iter()
            .filter(|d| filter.matches(d, 7, &[]))
            .map(|d| d.id)
            .collect();
        assert_eq!(shown, [1, 2]);
    }

    #[test]
    fn text_search_looks_at_title_contact_and_company() {
        let mut d = owned(1, 7, 0, "EUR");
        d.company_name = Some("Acme GmbH".into());
        let filter = |q: &str| BoardFilter {
            query: q.into(),
            ..Default::default()
        };
        assert!(filter("acme").matches(&d, 7, &[]));
        assert!(!filter("globex").matches(&d, 7, &[]));
    }

    #[test]
    fn amounts_parse_with_separators_and_refuse_garbage() {
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("12,500.50"), Ok(Some(12_500.5)));
        assert!(parse_amount("ten").is_err());
        assert!(parse_amount("-5").is_err());
    }
}
