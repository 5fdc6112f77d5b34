//! Throttles shared by every instance: a count of hits per key in a fixed window, kept in
//! Postgres, so a limit holds however many instances answer and whichever one a request reaches.

use sqlx::PgExecutor;
use time::{Duration, OffsetDateTime};

/// How many hits a key may take in a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub hits: i32,
    pub window: Duration,
}

/// Tries to sign in to one account: ten in fifteen minutes, then wait for the window to pass.
pub const SIGN_IN: Limit = Limit {
    hits: 10,
    window: Duration::minutes(15),
};

/// One-time codes sent by SMS at the city's cost, city-wide: a budget an attacker rotating
/// numbers cannot exceed (each number also has its own limit, `OTP_MAX_SENDS`).
pub const CODE_SMS: Limit = Limit {
    hits: 3_000,
    window: Duration::hours(1),
};

/// Failed sign-ins from one client (an address; an IPv6 /64), whichever accounts they name:
/// credential stuffing from one place. Only failures count, and the limit is high, because a
/// mobile network puts thousands of people behind one address.
pub const SIGN_IN_CLIENT: Limit = Limit {
    hits: 100,
    window: Duration::minutes(15),
};

/// One-time codes one client may have sent (registration, a new code, the kiosk), whatever
/// the numbers: the per-number limit does not stop one client walking through numbers. Counted
/// per try, typos too, so it is set for a busy kiosk or office address; the per-number limit
/// and the city's budget bound what the codes cost.
pub const CODES_CLIENT: Limit = Limit {
    hits: 60,
    window: Duration::hours(1),
};

/// Filings one intake key (a gateway, another system, an Open311 client) may post a minute: a
/// gateway relaying a city's SMS in a storm sends hundreds a second, so this bounds a runaway or
/// stolen key, not a busy one (measured: one key at 32 connections files ~1,500 a second).
pub const INTAKE_KEY: Limit = Limit {
    hits: 30_000,
    window: Duration::minutes(1),
};

/// Certificates one client may check a minute (`/verify` and its API): a registrar's counter or
/// an employer's office checks many, a scraper walking guesses is stopped.
pub const VERIFY_CLIENT: Limit = Limit {
    hits: 120,
    window: Duration::minutes(1),
};

/// An intake key's count is kept in this many rows, each filing counting in one at random: one
/// row that every filing of a busy key updates makes them wait for each other (measured with
/// the same rows a filing writes: 1,946 filings/s alone, 843 with one counter row, 1,478 with
/// 32). A runaway key fills every shard within a few of its share.
pub const INTAKE_KEY_SHARDS: u32 = 32;

impl Limit {
    /// The answer for a key that has taken `hits` (this one included) in the window that began
    /// at `window_start`.
    pub fn judge(self, hits: i32, window_start: OffsetDateTime, now: OffsetDateTime) -> Throttled {
        if hits <= self.hits {
            Throttled::Allowed
        } else {
            Throttled::Wait(window_start + self.window - now)
        }
    }
}

/// One shard's share of a limit counted over `shards` rows.
pub const fn shard(limit: Limit, shards: u32) -> Limit {
    let hits = limit.hits / shards as i32;
    Limit {
        hits: if hits < 1 { 1 } else { hits },
        window: limit.window,
    }
}

/// The answer to one hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Throttled {
    Allowed,
    /// Over the limit: how long until the window ends.
    Wait(Duration),
}

/// Counts one hit on `key` and says whether it is within `limit`.
pub async fn hit(
    db: impl PgExecutor<'_>,
    key: &str,
    limit: Limit,
    now: OffsetDateTime,
) -> Result<Throttled, sqlx::Error> {
    let window_start = now - limit.window;
    let row = sqlx::query!(
        "INSERT INTO throttles (key, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
             hits = CASE WHEN throttles.window_start <= $3 THEN 1 ELSE throttles.hits + 1 END,
             window_start = CASE WHEN throttles.window_start <= $3 THEN $2 ELSE throttles.window_start END
         RETURNING hits, window_start",
        key,
        now,
        window_start,
    )
    .fetch_one(db)
    .await?;
    Ok(limit.judge(row.hits, row.window_start, now))
}

/// Whether `key` is over `limit` now, without counting a hit (a limit on failures looks before
/// the try and counts only when it fails).
pub async fn peek(
    db: impl PgExecutor<'_>,
    key: &str,
    limit: Limit,
    now: OffsetDateTime,
) -> Result<Throttled, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT hits, window_start FROM throttles WHERE key = $1 AND window_start > $2",
        key,
        now - limit.window,
    )
    .fetch_optional(db)
    .await?;
    Ok(match row {
        Some(r) if r.hits >= limit.hits => Throttled::Wait(r.window_start + limit.window - now),
        _ => Throttled::Allowed,
    })
}

impl Throttled {
    /// As a problem to answer with, at `field` in the words of `code`, or None when allowed.
    pub fn refusal(
        self,
        field: &'static str,
        code: &'static str,
    ) -> Option<crate::problem::Problem> {
        match self {
            Throttled::Allowed => None,
            Throttled::Wait(d) => Some(crate::problem::Problem::Throttled(
                crate::problem::Throttled {
                    field,
                    code,
                    retry_after_secs: d.whole_seconds().max(1) as u64,
                },
            )),
        }
    }
}

/// Forgets a key's hits (a sign-in that succeeded).
pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM throttles WHERE key = $1", key)
        .execute(db)
        .await?;
    Ok(())
}

/// Removes the rows whose window ended more than a day ago; returns how many.
pub async fn sweep(db: impl PgExecutor<'_>, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM throttles WHERE window_start < $1",
        now - Duration::days(1)
    )
    .execute(db)
    .await?
    .rows_affected())
}
