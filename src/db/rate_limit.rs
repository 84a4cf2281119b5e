//! Rate limits kept in the database, so they hold across every instance that shares it. Each
//! bucket is a generic cell rate algorithm (GCRA) state — the time at which the next request
//! fits — updated by one conditional upsert: a burst of `hits` is allowed, then one request per
//! `window / hits`, with no window edge to slip through.

use super::Db;
use crate::on_db;
use chrono::{DateTime, Utc};

/// `hits` requests per `window_seconds`, as a burst or spread out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub hits: u32,
    pub window_seconds: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// Over the limit; the next request fits in this many seconds (at least 1).
    Refused {
        retry_after_seconds: u32,
    },
}

/// Counts one request on `bucket` and says whether it is within `limit`.
pub async fn hit(
    db: &Db,
    bucket: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<Decision, sqlx::Error> {
    let now_ms = now.timestamp_millis();
    let window_ms = i64::from(limit.window_seconds.max(1)) * 1000;
    let interval_ms = (window_ms / i64::from(limit.hits.max(1))).max(1);
    let tolerance_ms = window_ms - interval_ms;
    // The row moves on only when the request fits; otherwise no row comes back.
    let allowed: Option<i64> = on_db!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO rate_limits (bucket, tat_ms) VALUES ($1, $2 + $3)
             ON CONFLICT (bucket) DO UPDATE
                 SET tat_ms = (CASE WHEN rate_limits.tat_ms > $2 THEN rate_limits.tat_ms ELSE $2 END) + $3
                 WHERE (CASE WHEN rate_limits.tat_ms > $2 THEN rate_limits.tat_ms ELSE $2 END) - $2 <= $4
             RETURNING tat_ms",
        )
        .bind(bucket)
        .bind(now_ms)
        .bind(interval_ms)
        .bind(tolerance_ms)
        .fetch_optional(pool)
        .await?
    });
    if allowed.is_some() {
        // Buckets idle for an hour (an address seen once) are swept now and then.
        if rand::random::<u8>() < 2 {
            on_db!(db, |pool| {
                sqlx::query("DELETE FROM rate_limits WHERE tat_ms < $1")
                    .bind(now_ms - 3_600_000)
                    .execute(pool)
                    .await?;
            });
        }
        return Ok(Decision::Allowed);
    }
    let tat_ms: i64 = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT tat_ms FROM rate_limits WHERE bucket = $1")
            .bind(bucket)
            .fetch_one(pool)
            .await?
    });
    let wait_ms = (tat_ms - now_ms - tolerance_ms).max(1);
    Ok(Decision::Refused {
        retry_after_seconds: u32::try_from(wait_ms.div_euclid(1000) + 1).unwrap_or(u32::MAX),
    })
}
