//! The reporting periods ("this month", "this week" from Monday) as UTC instants, taken from
//! midnight in the tenant's timezone so a Berlin team's November starts at its own midnight.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A half-open range `[start, end)` of UTC instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The first local day, for labels.
    pub first_day: NaiveDate,
}

/// Local midnight of `date` in `tz` as UTC. A midnight skipped by a DST jump starts an hour later.
pub fn local_midnight(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&midnight)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&(midnight + Duration::hours(1))))
        .with_timezone(&Utc)
}

/// The calendar month `now` falls in, in `tz`.
pub fn month_of(tz: Tz, now: DateTime<Utc>) -> Period {
    let today = now.with_timezone(&tz).date_naive();
    let first = today.with_day(1).unwrap_or(today);
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .unwrap_or(first + Duration::days(31));
    Period {
        start: local_midnight(tz, first),
        end: local_midnight(tz, next),
        first_day: first,
    }
}

/// The week (Monday to Monday) `now` falls in, in `tz`.
pub fn week_of(tz: Tz, now: DateTime<Utc>) -> Period {
    let today = now.with_timezone(&tz).date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    Period {
        start: local_midnight(tz, monday),
        end: local_midnight(tz, monday + Duration::days(7)),
        first_day: monday,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn a_month_starts_at_the_tenants_midnight() {
        // 23:30 UTC on 30 November is already 1 December in Berlin.
        let now = Utc
            .with_ymd_and_hms(2026, 11, 30, 23, 30, 0)
            .single()
            .expect("time");
        let month = month_of(chrono_tz::Europe::Berlin, now);
        assert_eq!(month.start, utc(2026, 11, 30, 23));
        assert_eq!(month.end, utc(2026, 12, 31, 23));
        let month = month_of(chrono_tz::UTC, now);
        assert_eq!(
            (month.start, month.end),
            (utc(2026, 11, 1, 0), utc(2026, 12, 1, 0))
        );
    }

    #[test]
    fn december_runs_into_the_next_year_and_dst_is_respected() {
        let december = month_of(chrono_tz::UTC, utc(2026, 12, 15, 12));
        assert_eq!(december.end, utc(2027, 1, 1, 0));
        // October in Berlin: starts at UTC+2 (summer time), ends at UTC+1.
        let october = month_of(chrono_tz::Europe::Berlin, utc(2026, 10, 15, 12));
        assert_eq!(october.start, utc(2026, 9, 30, 22));
        assert_eq!(october.end, utc(2026, 10, 31, 23));
    }

    #[test]
    fn a_week_starts_on_monday() {
        // Sunday 29 November 2026, 20:00 in New York (01:00 UTC Monday).
        let now = utc(2026, 11, 30, 1);
        let week = week_of(chrono_tz::America::New_York, now);
        assert_eq!(
            week.first_day,
            NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
        );
        assert_eq!(week.start, utc(2026, 11, 23, 5));
        assert_eq!(week.end, utc(2026, 11, 30, 5));
        // In Berlin it is already Monday the 30th.
        let week = week_of(chrono_tz::Europe::Berlin, now);
        assert_eq!(week.start, utc(2026, 11, 29, 23));
    }
}
