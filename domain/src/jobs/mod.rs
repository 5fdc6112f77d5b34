//! Background jobs: one queue in Postgres that every instance's runner claims from, so each job
//! runs once however many instances run. Periodic jobs (the outbox's delivery, the grievance
//! clock; tomorrow holds and reconciliation) are one row per slot that goes back to the queue after
//! each run; one-off jobs are a row each, named by a key so the same work is queued once.
//!
//! A run that fails is tried again after a back-off that doubles from 5 s to 10 min. A one-off
//! job gives up after its `max_attempts` and waits, failed, for a city admin to retry it; a
//! periodic job never gives up, and shows as failing meanwhile. A claim is a lease: a runner that
//! stops mid-job (its instance died) loses the job when the lease passes, and another takes it.
//! A job that nobody has finished long after it was due shows as stuck.
//!
//! These are the rules; `store` holds the queries and `server::jobs` the runner.

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The longest a runner may hold a job before another may take it over.
pub const LEASE_SECONDS: i64 = 120;

/// Seconds to wait before the next try, after `attempts` failures in a row (1 or more).
pub fn backoff_seconds(attempts: i32) -> i64 {
    let doublings = attempts.clamp(1, 20) - 1;
    (5i64 << doublings.min(10)).min(600)
}

/// How a job stands, as a city admin sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Health {
    /// Ran when it should, or waits for its time.
    Ok,
    /// Its last runs failed; it is being tried again.
    Failing,
    /// A one-off job that used up its tries: it waits for someone to retry it.
    Failed,
    /// Due long ago and not finished: no runner takes it, or one holds it without finishing.
    Stuck,
    /// A one-off job that ran.
    Done,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Failing => "failing",
            Health::Failed => "failed",
            Health::Stuck => "stuck",
            Health::Done => "done",
        }
    }
    /// Whether a city admin may send it back to the queue now.
    pub fn retryable(self) -> bool {
        matches!(self, Health::Failing | Health::Failed | Health::Stuck)
    }
}

/// What the queue says of a job, `overdue_seconds` after it was due (negative: not yet due).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing<'a> {
    pub state: &'a str,
    pub attempts: i32,
    pub overdue_seconds: i64,
    /// seconds between a periodic job's runs; `None` for a one-off
    pub every_seconds: Option<i64>,
}

/// Stuck: overdue by more than a lease and ten of its periods (a minute at least).
pub fn health(s: Standing) -> Health {
    let grace = LEASE_SECONDS + 10 * s.every_seconds.unwrap_or(6).max(6);
    match s.state {
        "failed" => Health::Failed,
        "done" => Health::Done,
        _ if s.overdue_seconds > grace => Health::Stuck,
        _ if s.attempts > 0 => Health::Failing,
        _ => Health::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_doubling_up_to_ten_minutes() {
        let waits: Vec<i64> = (1..=9).map(backoff_seconds).collect();
        assert_eq!(waits, vec![5, 10, 20, 40, 80, 160, 320, 600, 600]);
        assert_eq!(backoff_seconds(0), 5);
        assert_eq!(backoff_seconds(i32::MAX), 600);
    }

    fn standing(state: &str, attempts: i32, overdue_seconds: i64) -> Standing<'_> {
        Standing {
            state,
            attempts,
            overdue_seconds,
            every_seconds: Some(10),
        }
    }

    #[test]
    fn how_a_job_stands() {
        assert_eq!(health(standing("queued", 0, -5)), Health::Ok);
        assert_eq!(health(standing("running", 0, 3)), Health::Ok);
        assert_eq!(health(standing("queued", 2, -40)), Health::Failing);
        assert_eq!(health(standing("failed", 5, 9_000)), Health::Failed);
        assert_eq!(health(standing("done", 0, 9_000)), Health::Done);
        // a lease and ten periods late: nobody is running it
        assert_eq!(health(standing("running", 0, 219)), Health::Ok);
        assert_eq!(health(standing("queued", 0, 221)), Health::Stuck);
        assert_eq!(health(standing("running", 3, 221)), Health::Stuck);
        let one_off = Standing {
            every_seconds: None,
            ..standing("queued", 0, 181)
        };
        assert_eq!(health(one_off), Health::Stuck);
        assert!(Health::Stuck.retryable() && Health::Failed.retryable());
        assert!(!Health::Ok.retryable() && !Health::Done.retryable());
    }
}
