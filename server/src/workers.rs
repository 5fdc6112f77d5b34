//! Background work. Each job claims its rows in Postgres, so every server instance can run every
//! worker and each piece of work is still done once.

use domain::notifications::{self, DevInbox};
use sqlx::PgPool;
use std::time::Duration;

/// Delivers the notification outbox, polling quickly while there is work and slowly when idle.
pub fn spawn_notification_delivery(pool: PgPool) {
    tokio::spawn(async move {
        let provider = DevInbox;
        loop {
            let pause = match notifications::deliver_due(&pool, &provider, 50).await {
                Ok(n) if n == 50 => Duration::ZERO,
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
