//! Which cards the board asks the server for: a text search (folded like every search), whose
//! deals (me / my team / everyone, as far as the role lets the user see), an amount range in
//! major units, and how far back the won and lost columns reach.

use crate::text_enum::Word;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Whose deals the board shows, within what the role may see.
    pub enum BoardOwner("owner filter") {
        Everyone = "everyone",
        /// The user's team (the user alone without one).
        Team = "team",
        Me = "me",
    }
}

crate::text_enum! {
    /// How far back the won and lost columns reach, by when a deal was closed.
    pub enum ClosedWindow("closed window") {
        Month = "30",
        Quarter = "90",
        Year = "365",
        AllTime = "all",
    }
}

impl ClosedWindow {
    /// Days back from now; `None` for all time.
    pub fn days(self) -> Option<i64> {
        match self {
            ClosedWindow::Month => Some(30),
            ClosedWindow::Quarter => Some(90),
            ClosedWindow::Year => Some(365),
            ClosedWindow::AllTime => None,
        }
    }

    /// The words of the window control.
    pub fn label(self) -> &'static str {
        match self {
            ClosedWindow::Month => "last 30 days",
            ClosedWindow::Quarter => "last 90 days",
            ClosedWindow::Year => "last 12 months",
            ClosedWindow::AllTime => "all time",
        }
    }
}

/// The board's filter; every field may be left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardFilter {
    /// Words of the title, the contact's or the company's name, without regard to case or
    /// accents.
    #[serde(default)]
    pub q: String,
    /// `everyone` when absent.
    #[serde(default)]
    pub owner: Option<Word<BoardOwner>>,
    /// Amounts in major units (1500.5 is 1,500.50 EUR or 1,500 JPY and 50 sen).
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// Won and lost deals closed within this window; the last 30 days when absent.
    #[serde(default)]
    pub closed: Option<Word<ClosedWindow>>,
}

impl BoardFilter {
    pub fn window(&self) -> Option<ClosedWindow> {
        match &self.closed {
            None => Some(ClosedWindow::Month),
            Some(word) => word.parse(),
        }
    }

    pub fn owner(&self) -> Option<BoardOwner> {
        match &self.owner {
            None => Some(BoardOwner::Everyone),
            Some(word) => word.parse(),
        }
    }
}

/// What the user typed in an amount box: empty is no bound; `12,500.50` is 12500.5.
pub fn parse_amount_bound(text: &str) -> Result<Option<f64>, &'static str> {
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

    #[test]
    fn amounts_parse_with_separators_and_refuse_garbage() {
        assert_eq!(parse_amount_bound(""), Ok(None));
        assert_eq!(parse_amount_bound("12,500.50"), Ok(Some(12_500.5)));
        assert!(parse_amount_bound("ten").is_err());
        assert!(parse_amount_bound("-5").is_err());
    }

    #[test]
    fn an_absent_window_is_the_last_30_days_and_a_wrong_word_is_none() {
        let mut filter = BoardFilter::default();
        assert_eq!(filter.window(), Some(ClosedWindow::Month));
        filter.closed = Some(ClosedWindow::AllTime.into());
        assert_eq!(filter.window().and_then(ClosedWindow::days), None);
        filter.closed = serde_json::from_str("\"7\"").ok();
        assert_eq!(filter.window(), None);
    }
}
