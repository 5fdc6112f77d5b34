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
    Ok(if row.hits <= limit.hits {
        Throttled::Allowed
    } else {
        Throttled::Wait(row.window_start + limit.window - now)
    })
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
