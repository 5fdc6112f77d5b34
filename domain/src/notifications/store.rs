use super::{retry_delay_seconds, Channel, MAX_ATTEMPTS};
use crate::db::new_id;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

pub async fn enqueue<'e>(
    db: impl PgExecutor<'e>,
    channel: Channel,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = new_id();
    sqlx::query("INSERT INTO notifications (id, channel, recipient, subject, body) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(channel.as_str())
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .execute(db)
        .await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i32,
    pub created_at: OffsetDateTime,
    pub delivered_at: Option<OffsetDateTime>,
}

/// Something that hands a message to the outside world (an SMS gateway, an SMTP server).
pub trait Provider: Send + Sync {
    fn deliver(
        &self,
        n: &Notification,
    ) -> impl std::future::Future<Output = Result<(), String>> + Send;
}

/// Development delivery: the message counts as delivered and is read on the dev messages page.
pub struct DevInbox;

impl Provider for DevInbox {
    async fn deliver(&self, _n: &Notification) -> Result<(), String> {
        Ok(())
    }
}

/// Delivers up to `batch` due messages. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so any
/// number of server instances can run this at once and each message goes out once.
pub async fn deliver_due(
    pool: &PgPool,
    provider: &impl Provider,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let due: Vec<Notification> = sqlx::query_as(
        "SELECT id, channel, recipient, subject, body, status, attempts, created_at, delivered_at
         FROM notifications WHERE status = 'queued' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    for n in &due {
        match provider.deliver(n).await {
            Ok(()) => {
                sqlx::query(
                    "UPDATE notifications SET status = 'delivered', attempts = attempts + 1,
                         delivered_at = now(), last_error = NULL WHERE id = $1",
                )
                .bind(n.id)
                .execute(&mut *tx)
                .await?;
            }
            Err(error) => {
                let failed = n.attempts + 1 >= MAX_ATTEMPTS;
                sqlx::query(
                    "UPDATE notifications SET attempts = attempts + 1, last_error = $2,
                         status = CASE WHEN $3 THEN 'failed' ELSE 'queued' END,
                         next_attempt_at = now() + make_interval(secs => $4)
                     WHERE id = $1",
                )
                .bind(n.id)
                .bind(error)
                .bind(failed)
                .bind(retry_delay_seconds(n.attempts) as f64)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(due.len())
}

/// The newest delivered messages, for the development inbox page.
pub async fn recent_delivered(pool: &PgPool, limit: i64) -> Result<Vec<Notification>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, channel, recipient, subject, body, status, attempts, created_at, delivered_at
         FROM notifications WHERE status = 'delivered' ORDER BY delivered_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}
