use super::{after_failure, delivery_chain, Address, AfterFailure, Channel, Failure, Reach};
use crate::db::new_id;
use crate::history::Subject;
use crate::ids::{AccountId, SessionId};
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

/// What a notice is about: a subject of the shared history (a grievance today), which the
/// officials' list of messages about it reads, and the page a tap on it opens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct About<'a> {
    pub subject: Option<(Subject, Uuid)>,
    pub link: &'a str,
}

impl<'a> About<'a> {
    /// A notice about nothing in particular (a one-time code).
    pub const NOTHING: About<'static> = About {
        subject: None,
        link: "",
    };
    pub fn subject(subject: Subject, id: Uuid, link: &'a str) -> Self {
        About {
            subject: Some((subject, id)),
            link,
        }
    }
}

/// Queues one message on one channel, with nothing to fall back to.
pub async fn enqueue<'e>(
    db: impl PgExecutor<'e>,
    channel: Channel,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<Uuid, sqlx::Error> {
    let address = Address {
        channel,
        recipient: recipient.to_string(),
    };
    let id = send(
        db,
        std::slice::from_ref(&address),
        subject,
        body,
        About::NOTHING,
    )
    .await?;
    Ok(id.expect("one address"))
}

/// Queues a notice on the first address of `chain`, keeping the others as its fallbacks.
/// Nothing is queued for an empty chain (a person we cannot reach).
pub async fn send<'e>(
    db: impl PgExecutor<'e>,
    chain: &[Address],
    subject: &str,
    body: &str,
    about: About<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let Some((first, rest)) = chain.split_first() else {
        return Ok(None);
    };
    let id = new_id();
    let (kind, about_id) = about.subject.unzip();
    sqlx::query!(
        "INSERT INTO notifications (id, channel, recipient, subject, body, link, fallbacks, about_kind, about_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9)",
        id,
        first.channel.as_str(),
        first.recipient,
        subject,
        body,
        about.link,
        fallbacks_json(rest),
        kind.map(Subject::as_str),
        about_id,
    )
    .execute(db)
    .await?;
    Ok(Some(id))
}

/// Queues an SMS that holds a secret (a one-time code): its words are erased once it is sent
/// and no longer needed (`until`), by the retention sweep.
pub async fn enqueue_secret<'e>(
    db: impl PgExecutor<'e>,
    recipient: &str,
    body: &str,
    until: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    let id = new_id();
    sqlx::query!(
        "INSERT INTO notifications (id, channel, recipient, body, fallbacks, secret_until)
         VALUES ($1, 'sms', $2, $3, '[]', $4)",
        id,
        recipient,
        body,
        until,
    )
    .execute(db)
    .await?;
    Ok(id)
}

pub fn fallbacks_json(rest: &[Address]) -> String {
    serde_json::to_string(rest).unwrap_or_else(|_| "[]".into())
}

/// How to reach an account holder: push if a device of theirs is subscribed, their mobile, their
/// email.
pub async fn reach_account<'e>(
    db: impl PgExecutor<'e>,
    account: AccountId,
) -> Result<Reach, sqlx::Error> {
    let found: Option<(String, Option<String>, bool)> = sqlx::query_as(
        "SELECT u.mobile, u.email, EXISTS (SELECT 1 FROM push_subscriptions p
                    JOIN sessions s ON s.id = p.session_id AND s.revoked_at IS NULL AND s.expires_at > now() AND s.idle_expires_at > now()
                    WHERE p.account_id = u.id)
         FROM users u WHERE u.id = $1",
    )
    .bind(account)
    .fetch_optional(db)
    .await?;
    Ok(match found {
        Some((mobile, email, pushable)) => Reach {
            push_account: pushable.then(|| account.to_string()),
            mobile: Some(mobile),
            email,
        },
        None => Reach::default(),
    })
}

/// Queues a notice to an account holder on their best channel, the others as fallbacks.
pub async fn tell_account(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    account: AccountId,
    subject: &str,
    body: &str,
    about: About<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let reach = reach_account(&mut **tx, account).await?;
    send(&mut **tx, &delivery_chain(&reach), subject, body, about).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub status: String,
    pub attempts: i32,
    pub created_at: OffsetDateTime,
    pub delivered_at: Option<OffsetDateTime>,
    pub fallbacks: String,
    pub provider_ref: Option<String>,
    pub last_error: Option<String>,
    pub fallback_of: Option<Uuid>,
}

const COLUMNS: &str = "id, channel, recipient, subject, body, link, status, attempts, created_at,
     delivered_at, fallbacks::text AS fallbacks, provider_ref, last_error, fallback_of";

impl Notification {
    pub fn channel(&self) -> Option<Channel> {
        Channel::parse(&self.channel)
    }

    pub fn fallbacks(&self) -> Vec<Address> {
        serde_json::from_str(&self.fallbacks).unwrap_or_default()
    }
}

/// Something that hands a message to the outside world (an SMS gateway, an SMTP server, a push
/// service). On success it answers the provider's own reference for the message, if it has one.
pub trait Provider: Send + Sync {
    fn deliver(
        &self,
        n: &Notification,
    ) -> impl std::future::Future<Output = Result<Option<String>, Failure>> + Send;
}

/// Messages handed to providers at once by one worker.
const IN_FLIGHT: usize = 8;

/// Delivers up to `batch` due messages. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so any
/// number of server instances can run this at once and each message goes out once. A message
/// given up on hands over to the next address in its chain in the same transaction.
pub async fn deliver_due(
    pool: &PgPool,
    provider: &impl Provider,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let due: Vec<Notification> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE status = 'queued' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED"
    ))
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    // A few at a time, in chunks: a stream with a borrowing closure would not be `Send` for
    // the spawned worker.
    let mut outcomes = Vec::with_capacity(due.len());
    for chunk in due.chunks(IN_FLIGHT) {
        outcomes.extend(futures::future::join_all(chunk.iter().map(|n| provider.deliver(n))).await);
    }
    for (n, outcome) in due.iter().zip(outcomes) {
        match outcome {
            Ok(reference) => {
                sqlx::query(
                    "UPDATE notifications SET status = 'delivered', attempts = attempts + 1,
                         delivered_at = now(), last_error = NULL, provider_ref = $2 WHERE id = $1",
                )
                .bind(n.id)
                .bind(reference)
                .execute(&mut *tx)
                .await?;
            }
            Err(failure) => match after_failure(&failure, n.attempts + 1) {
                AfterFailure::RetryIn(seconds) => {
                    sqlx::query(
                        "UPDATE notifications SET attempts = attempts + 1, last_error = $2,
                             next_attempt_at = now() + make_interval(secs => $3)
                         WHERE id = $1",
                    )
                    .bind(n.id)
                    .bind(failure.reason())
                    .bind(seconds as f64)
                    .execute(&mut *tx)
                    .await?;
                }
                AfterFailure::GiveUp => {
                    sqlx::query(
                        "UPDATE notifications SET attempts = attempts + 1, last_error = $2,
                             status = 'failed' WHERE id = $1",
                    )
                    .bind(n.id)
                    .bind(failure.reason())
                    .execute(&mut *tx)
                    .await?;
                    let chain = n.fallbacks();
                    if let Some((next, rest)) = chain.split_first() {
                        tracing::info!(id = %n.id, from = %n.channel, to = %next.channel.as_str(),
                            reason = failure.reason(), "notification falls back to another channel");
                        // the same notice, about the same thing, on the next channel
                        sqlx::query!(
                            "INSERT INTO notifications (id, channel, recipient, subject, body, link, fallbacks,
                                 fallback_of, about_kind, about_id)
                             SELECT $1, $2, $3, subject, body, link, $4::text::jsonb, id, about_kind, about_id
                             FROM notifications WHERE id = $5",
                            new_id(),
                            next.channel.as_str(),
                            next.recipient,
                            fallbacks_json(rest),
                            n.id,
                        )
                        .execute(&mut *tx)
                        .await?;
                    } else {
                        tracing::warn!(id = %n.id, channel = %n.channel,
                            reason = failure.reason(), "notification could not be delivered on any channel");
                    }
                }
            },
        }
    }
    tx.commit().await?;
    Ok(due.len())
}

/// One message and what became of it.
pub async fn notification(pool: &PgPool, id: Uuid) -> Result<Option<Notification>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The message that took over from `id` when it could not be delivered.
pub async fn fallback_for(pool: &PgPool, id: Uuid) -> Result<Option<Notification>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE fallback_of = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Every message sent about one subject (a grievance, say), oldest first.
pub async fn about(
    pool: &PgPool,
    subject: Subject,
    id: Uuid,
) -> Result<Vec<Notification>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE about_kind = $1 AND about_id = $2
         ORDER BY created_at, id LIMIT 200"
    ))
    .bind(subject.as_str())
    .bind(id)
    .fetch_all(pool)
    .await
}

/// The newest messages that reached a provider or were given up on, for the development inbox.
pub async fn recent_delivered(pool: &PgPool, limit: i64) -> Result<Vec<Notification>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE status = 'delivered'
         ORDER BY delivered_at DESC, id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// A browser's push subscription.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PushSubscription {
    pub id: Uuid,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// Keeps a device's subscription for `account`, made in `session`: it ends with that session
/// (migration 20), so after a sign-out the device hears nothing more of that account. A
/// browser has one subscription per site, so the endpoint moves to whoever signs in on that
/// device and subscribes.
pub async fn save_push_subscription(
    pool: &PgPool,
    account: AccountId,
    session: Option<SessionId>,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO push_subscriptions (id, account_id, endpoint, p256dh, auth, session_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (endpoint) DO UPDATE SET account_id = $2, p256dh = $4, auth = $5, session_id = $6, created_at = now()",
    )
    .bind(new_id())
    .bind(account)
    .bind(endpoint)
    .bind(p256dh)
    .bind(auth)
    .bind(session)
    .execute(pool)
    .await?;
    Ok(())
}

/// Removes one of `account`'s own subscriptions; another person's is never touched.
pub async fn remove_push_subscription(
    pool: &PgPool,
    account: AccountId,
    endpoint: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM push_subscriptions WHERE account_id = $1 AND endpoint = $2")
            .bind(account)
            .bind(endpoint)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// The devices of `account` that may be sent a push: those whose session is still live (a
/// device signed out, or left long enough for its session to lapse, hears nothing).
pub async fn push_subscriptions_of(
    pool: &PgPool,
    account: AccountId,
) -> Result<Vec<PushSubscription>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.endpoint, p.p256dh, p.auth FROM push_subscriptions p
         JOIN sessions s ON s.id = p.session_id AND s.revoked_at IS NULL AND s.expires_at > now() AND s.idle_expires_at > now()
         WHERE p.account_id = $1 ORDER BY p.created_at",
    )
    .bind(account)
    .fetch_all(pool)
    .await
}

/// The push service says this subscription no longer exists (the person unsubscribed or the
/// browser dropped it).
pub async fn forget_push_subscription(pool: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM push_subscriptions WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn push_sent(pool: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE push_subscriptions SET last_sent_at = now() WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// A secret every server instance must share (a key pair, say): the first instance to ask makes
/// it, every other one reads the same. It is kept sealed with the data key.
pub async fn shared_secret(
    pool: &PgPool,
    key: &crate::sealed::DataKey,
    name: &str,
    make: impl FnOnce() -> String,
) -> Result<String, crate::problem::Problem> {
    const SEALED: &str = "sealed:";
    let bound_to = format!("server_settings:{name}");
    let read = || sqlx::query_scalar!("SELECT value FROM server_settings WHERE name = $1", name);
    let value = match read().fetch_optional(pool).await? {
        Some(value) => value,
        None => {
            sqlx::query!(
                "INSERT INTO server_settings (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO NOTHING",
                name,
                format!("{SEALED}{}", key.seal_text(&make(), bound_to.as_bytes())),
            )
            .execute(pool)
            .await?;
            // (another instance may have made it first: theirs is the one)
            read().fetch_one(pool).await?
        }
    };
    match value.strip_prefix(SEALED) {
        Some(sealed) => key.open_text(sealed, bound_to.as_bytes()).ok_or_else(|| {
            crate::problem::Problem::Unexpected(
                format!("the setting {name} does not open with NAGARIK_DATA_KEY").into(),
            )
        }),
        // kept in plain text before secrets were sealed: sealed now, in place
        None => {
            sqlx::query!(
                "UPDATE server_settings SET value = $3 WHERE name = $1 AND value = $2",
                name,
                value,
                format!("{SEALED}{}", key.seal_text(&value, bound_to.as_bytes())),
            )
            .execute(pool)
            .await?;
            Ok(value)
        }
    }
}

/// Re-seals the sealed server settings (the push key) under `new` (`crate::rotation`).
pub async fn reseal_settings(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    old: &crate::sealed::DataKey,
    new: &crate::sealed::DataKey,
) -> Result<u64, crate::problem::Problem> {
    const SEALED: &str = "sealed:";
    let rows = sqlx::query!(
        "SELECT name, value FROM server_settings WHERE value LIKE 'sealed:%' FOR UPDATE"
    )
    .fetch_all(&mut **tx)
    .await?;
    for row in &rows {
        let bound_to = format!("server_settings:{}", row.name);
        let plain = old
            .open_text(&row.value[SEALED.len()..], bound_to.as_bytes())
            .ok_or_else(|| {
                crate::problem::Problem::unexpected(format!(
                    "the setting {} does not open with the old key",
                    row.name
                ))
            })?;
        sqlx::query!(
            "UPDATE server_settings SET value = $2 WHERE name = $1",
            row.name,
            format!("{SEALED}{}", new.seal_text(&plain, bound_to.as_bytes())),
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(rows.len() as u64)
}
