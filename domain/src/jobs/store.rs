//! The job queue's queries: scheduling, claiming with a lease, recording how a run went, and the
//! city admin's view and retry.

use super::{backoff_seconds, health, Health, Standing, LEASE_SECONDS};
use crate::db::new_id;
use crate::ids::{AccountId, JobId};
use crate::problem::Problem;
use sqlx::{PgExecutor, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A job as a runner claimed it.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: String,
    pub key: String,
    pub payload: String,
    /// failed tries in a row before this one
    pub attempts: i32,
    pub every_ms: Option<i32>,
    /// when this claim began: the claim's identity, so a late answer from a lost claim is ignored
    pub started_at: OffsetDateTime,
}

/// Makes sure a periodic job has its row for each of its `slots` (several slots let several
/// instances run it at once, for work that claims its own rows). Keeps how each stands; changes
/// only its period.
pub async fn ensure_periodic(
    pool: &PgPool,
    kind: &str,
    every: std::time::Duration,
    slots: u32,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let keys: Vec<String> = (1..=slots.max(1)).map(|s| s.to_string()).collect();
    let ids: Vec<Uuid> = keys.iter().map(|_| new_id()).collect();
    sqlx::query!(
        "INSERT INTO jobs (id, kind, key, every_ms, run_at)
         SELECT id, $3, key, $4, $5 FROM unnest($1::uuid[], $2::text[]) AS s(id, key)
         ON CONFLICT (kind, key) DO UPDATE SET every_ms = EXCLUDED.every_ms",
        &ids,
        &keys,
        kind,
        every.as_millis().min(i32::MAX as u128) as i32,
        now,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Queues a one-off job at `run_at`, in the caller's transaction. The same `kind` and `key`
/// queued again while the first has not run is the same job: false then.
pub async fn enqueue(
    db: impl PgExecutor<'_>,
    kind: &str,
    key: &str,
    payload: &serde_json::Value,
    run_at: OffsetDateTime,
    max_attempts: i32,
) -> Result<bool, sqlx::Error> {
    let queued = sqlx::query!(
        "INSERT INTO jobs (id, kind, key, payload, run_at, max_attempts)
         VALUES ($1, $2, $3, $4::text::jsonb, $5, $6)
         ON CONFLICT (kind, key) DO UPDATE
             SET payload = EXCLUDED.payload, run_at = EXCLUDED.run_at, state = 'queued',
                 attempts = 0, last_error = NULL, max_attempts = EXCLUDED.max_attempts
             WHERE jobs.state = 'done'",
        new_id(),
        kind,
        key,
        payload.to_string(),
        run_at,
        max_attempts.max(1),
    )
    .execute(db)
    .await?;
    Ok(queued.rows_affected() == 1)
}

/// Claims the job of one of `kinds` that has waited longest, or one whose runner's lease has
/// passed (counted as a failed try). Skips jobs another runner holds.
pub async fn claim(
    pool: &PgPool,
    kinds: &[String],
    runner: &str,
    now: OffsetDateTime,
) -> Result<Option<Claimed>, sqlx::Error> {
    sqlx::query_as!(
        Claimed,
        r#"UPDATE jobs j SET state = 'running', started_at = $3, lease_until = $3 + $4::int * interval '1 second',
                runner = $2,
                attempts = j.attempts + (j.state = 'running')::int,
                last_error = CASE WHEN j.state = 'running'
                                  THEN 'the runner stopped before it finished (' || j.runner || ')'
                                  ELSE j.last_error END
         WHERE j.id = (SELECT id FROM jobs
                       WHERE kind = ANY($1)
                         AND ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND lease_until < $3))
                       ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING j.id, j.kind, j.key, j.payload::text AS "payload!", j.attempts, j.every_ms,
                   j.started_at AS "started_at!""#,
        kinds,
        runner,
        now,
        LEASE_SECONDS as i32,
    )
    .fetch_optional(pool)
    .await
}

/// How a run ended, as its handler says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ran {
    /// All there was to do is done: a periodic job waits its period.
    Idle,
    /// More waits: a periodic job runs again at once.
    More,
}

/// Records a run that succeeded. False when the claim was lost meanwhile (its lease passed and
/// another runner took the job, or an admin sent it back to the queue).
pub async fn succeeded(
    pool: &PgPool,
    job: &Claimed,
    ran: Ran,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let next = match (job.every_ms, ran) {
        (Some(_), Ran::More) => now,
        (Some(ms), Ran::Idle) => now + Duration::milliseconds(ms as i64),
        (None, _) => now,
    };
    let done = sqlx::query!(
        "UPDATE jobs SET state = CASE WHEN every_ms IS NULL THEN 'done' ELSE 'queued' END,
                run_at = $3, attempts = 0, last_error = NULL, lease_until = NULL, last_ok_at = $4,
                runs = runs + 1
         WHERE id = $1 AND started_at = $2 AND state = 'running'",
        job.id,
        job.started_at,
        next,
        now,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a run that failed: tried again after a back-off, or, for a one-off job out of tries,
/// left failed for a city admin.
pub async fn failed(
    pool: &PgPool,
    job: &Claimed,
    error: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let attempts = job.attempts + 1;
    let retry_at = now + Duration::seconds(backoff_seconds(attempts));
    let error: String = error.chars().take(2_000).collect();
    let done = sqlx::query!(
        "UPDATE jobs SET attempts = $3, last_error = $4, lease_until = NULL,
                state = CASE WHEN every_ms IS NULL AND $3 >= max_attempts THEN 'failed' ELSE 'queued' END,
                run_at = $5
         WHERE id = $1 AND started_at = $2 AND state = 'running'",
        job.id,
        job.started_at,
        attempts,
        error,
        retry_at,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A job as the city admin's page lists it.
#[derive(Clone, Debug)]
pub struct Listed {
    pub id: Uuid,
    pub kind: String,
    pub key: String,
    pub state: String,
    pub attempts: i32,
    pub every_ms: Option<i32>,
    pub run_at: OffsetDateTime,
    pub last_ok_at: Option<OffsetDateTime>,
    pub last_error: Option<String>,
    pub runs: i64,
    pub overdue_seconds: i64,
}

impl Listed {
    pub fn health(&self) -> Health {
        health(Standing {
            state: &self.state,
            attempts: self.attempts,
            overdue_seconds: self.overdue_seconds,
            every_seconds: self.every_ms.map(|ms| (ms as i64 / 1000).max(1)),
        })
    }
}

/// Every periodic job, and the one-off jobs not done (failed, waiting or running), troubled first.
pub async fn list(pool: &PgPool, now: OffsetDateTime) -> Result<Vec<Listed>, sqlx::Error> {
    let mut jobs: Vec<Listed> = sqlx::query_as!(
        Listed,
        r#"SELECT id, kind, key, state, attempts, every_ms, run_at, last_ok_at, last_error, runs,
                floor(extract(epoch FROM $1::timestamptz - run_at))::bigint AS "overdue_seconds!"
         FROM jobs WHERE every_ms IS NOT NULL OR state <> 'done'
         ORDER BY kind, key LIMIT 500"#,
        now,
    )
    .fetch_all(pool)
    .await?;
    jobs.sort_by_key(|j| !j.health().retryable());
    Ok(jobs)
}

/// Sends a failed, failing or stuck job back to the queue, due now, with its tries counted
/// afresh. A job that stands well needs no retry: `Conflict`.
/// `by` is the city admin, recorded in their chain.
pub async fn retry(
    pool: &PgPool,
    id: JobId,
    now: OffsetDateTime,
    by: AccountId,
) -> Result<(), Problem> {
    let job = sqlx::query_as!(
        Listed,
        r#"SELECT id, kind, key, state, attempts, every_ms, run_at, last_ok_at, last_error, runs,
                floor(extract(epoch FROM $2::timestamptz - run_at))::bigint AS "overdue_seconds!"
         FROM jobs WHERE id = $1"#,
        id.uuid(),
        now,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Problem::NotFound)?;
    if !job.health().retryable() {
        return Err(Problem::Conflict("err_job_not_troubled"));
    }
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE jobs SET state = 'queued', run_at = $2, attempts = 0, lease_until = NULL,
                started_at = NULL
         WHERE id = $1",
        id.uuid(),
        now,
    )
    .execute(&mut *tx)
    .await?;
    crate::identity::store::security_log::record_act(
        &mut tx,
        Some(by),
        crate::identity::store::security_log::Event::JobRetried,
        crate::history::Facts::new().with("job", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
