//! Keyset paging, shared by every list: the cursor is where the previous page ended (its last
//! row's sort value and id), so a page never repeats or skips rows that others insert meanwhile.

use crate::error::AppError;
use serde::{de::DeserializeOwned, Serialize};

/// The most rows a list or timeline page holds, and how many it holds when `limit` is absent.
pub const MAX_PAGE: u32 = 200;
pub const DEFAULT_PAGE: u32 = 50;

/// A page's `limit`: 1 to [`MAX_PAGE`], [`DEFAULT_PAGE`] when absent. Out of range is refused
/// rather than clamped, so an API client learns its page is not the size it asked for.
pub fn page_limit(limit: Option<u32>) -> Result<u32, AppError> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(AppError::invalid(
            "limit",
            format!("must be from 1 to {MAX_PAGE}"),
        )),
    }
}

/// A page request: how many rows, and after which row (`C` is the list's own cursor type).
pub struct Keyset<C> {
    limit: u32,
    pub after: Option<C>,
}

impl<C: Serialize + DeserializeOwned> Keyset<C> {
    /// From a list's `cursor` (the `next_cursor` of the page before) and `limit` parameters.
    pub fn parse(cursor: Option<&str>, limit: Option<u32>) -> Result<Self, AppError> {
        let limit = page_limit(limit)?;
        let after = match cursor {
            None => None,
            Some(c) => Some(
                serde_json::from_str(c)
                    .map_err(|_| AppError::invalid("cursor", "is not a cursor from this list"))?,
            ),
        };
        Ok(Keyset { limit, after })
    }

    /// How many rows to fetch: one more than the page holds, to learn whether another follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit) + 1
    }

    /// The page's rows and, when more follow, the cursor of the next page.
    pub fn finish<T>(
        &self,
        mut rows: Vec<T>,
        cursor_of: impl Fn(&T) -> C,
    ) -> (Vec<T>, Option<String>) {
        let more = rows.len() > self.limit as usize;
        rows.truncate(self.limit as usize);
        let next = more
            .then(|| rows.last())
            .flatten()
            .map(|last| serde_json::to_string(&cursor_of(last)).unwrap_or_default());
        (rows, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_page_points_past_its_last_row() {
        let keyset = Keyset::<i64>::parse(None, Some(2)).expect("valid");
        assert_eq!(keyset.fetch(), 3);
        let (rows, next) = keyset.finish(vec![1, 2, 3], |r| *r);
        assert_eq!(rows, vec![1, 2]);
        assert_eq!(next.as_deref(), Some("2"));
        let (rows, next) = keyset.finish(vec![1, 2], |r| *r);
        assert_eq!(rows, vec![1, 2]);
        assert_eq!(next, None);
    }

    #[test]
    fn a_foreign_cursor_or_limit_is_refused() {
        assert!(Keyset::<i64>::parse(Some("nope"), None).is_err());
        assert!(Keyset::<i64>::parse(None, Some(0)).is_err());
        assert!(Keyset::<i64>::parse(None, Some(MAX_PAGE + 1)).is_err());
    }
}
