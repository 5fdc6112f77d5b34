//! Background work. Each job claims its rows in Postgres, so every server instance can run every
//! worker and each piece of work is still done once.

use crate::notifications::Providers;
use domain::notifications;
use sqlx::PgPool;
use std::time::Duration;

/// Delivers the notification outbox, polling quickly while there is work and slowly when idle.
pub fn spawn_notification_delivery(pool: PgPool, providers: Providers) {
    tokio::spawn(async move {
        loop {
            let pause = match notifications::deliver_due(&pool, &providers, 50).await {
                Ok(50) => Duration::ZERO,
                Ok(_) => Duration::from_millis(250),
                Err(e) => {
                    tracing::warn!(error = %e, "notification delivery failed");
                    Duration::from_secs(2)
                }
            };
            tokio::time::sleep(pause).await;
        }
    });
}

/// The grievance clock: escalates breached deadlines, warns before them, and closes resolutions
/// the citizen did not answer. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so any number of
/// instances may sweep at once and each breach is handled once.
pub fn spawn_grievance_sweeps(pool: PgPool) {
    use domain::grievances::escalation::sweeps;
    tokio::spawn(async move {
        loop {
            let now = time::OffsetDateTime::now_utc();
            let swept = async {
                let escalated = sweeps::escalate_due(&pool, now, 100).await?;
                let warned = sweeps::warn_due(&pool, now, 100).await?;
                let closed = sweeps::close_unanswered(&pool, now, 100).await?;
                Ok::<_, sqlx::Error>(escalated + warned + closed)
            }
            .await;
            let pause = match swept {
                Ok(n) if n >= 100 => Duration::ZERO,
                Ok(_) => Duration::from_secs(10),
                Err(e) => {
                    tracing::warn!(error = %e, "grievance sweep failed");
                    Duration::from_secs(10)
                }
            };
            tokio::time::sleep(pause).await;
        }
    });
}
