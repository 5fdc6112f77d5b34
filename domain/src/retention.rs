//! Retention: what Nagarik keeps only while it is needed, and the hourly sweep that removes the
//! rest (the `retention_sweep` job). The city's records (grievances, their history, accounts) are
//! not touched here; closing an account is `identity::store::close_account`.
//!
//! | what | kept | why that long |
//! | --- | --- | --- |
//! | sessions, once ended | 180 days | the "signed in from" record for an investigation, as long as the logs (CERT-In 2022) |
//! | registrations never finished | 1 day | they hold a password hash of someone who is not a user |
//! | one-time codes and password resets | 1 day after they expire | the per-number send limit looks back 30 minutes |
//! | sign-in challenges | until they expire | nothing needs them after |
//! | a one-time code's words in the outbox | until the code expires, once sent | the code is a secret |
//! | "me too" offers | 30 days | an offer is only good while the grievance is fresh |
//! | messages | 400 days | a year of "what were we told", for the person and for appeals |
//! | browsers signed in from | 400 days after the last sign-in | the device cookie lives no longer |
//! | application drafts never submitted | 90 days after the last change | long enough to gather a document; a stale draft only holds personal data |
//! | DigiLocker's transaction ids | 1 day | a replayed request is refused within its 5-minute window; a day is ample |

use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

pub const ENDED_SESSIONS: Duration = Duration::days(180);
pub const UNFINISHED_REGISTRATIONS: Duration = Duration::days(1);
pub const EXPIRED_CODES: Duration = Duration::days(1);
pub const ME_TOO_OFFERS: Duration = Duration::days(30);
pub const MESSAGES: Duration = Duration::days(400);
pub const KNOWN_DEVICES: Duration = Duration::days(400);
pub const DRAFTS: Duration = Duration::days(90);
pub const DIGILOCKER_TRANSACTIONS: Duration = Duration::days(1);
/// A payment webhook's id, kept past the day the gateway goes on retrying it.
pub const WEBHOOK_EVENTS: Duration = Duration::days(3);

/// How many rows of each kind one sweep removed (or, for secrets, erased).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub registrations: u64,
    pub codes: u64,
    pub challenges: u64,
    pub secrets: u64,
    pub offers: u64,
    pub messages: u64,
    pub devices: u64,
    pub drafts: u64,
    pub transactions: u64,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.sessions
            + self.registrations
            + self.codes
            + self.challenges
            + self.secrets
            + self.offers
            + self.messages
            + self.drafts
            + self.devices
            + self.transactions
    }
}

/// One sweep: each statement on its own, so a long one does not hold the others' locks.
#[tracing::instrument(name = "retention::sweep", skip_all)]
pub async fn sweep(pool: &PgPool, now: OffsetDateTime) -> Result<Swept, sqlx::Error> {
    let sessions = sqlx::query!(
        "DELETE FROM sessions WHERE least(expires_at, coalesce(revoked_at, expires_at)) < $1",
        now - ENDED_SESSIONS,
    )
    .execute(pool)
    .await?
    .rows_affected();
    let codes = sqlx::query!(
        "DELETE FROM one_time_codes WHERE expires_at < $1",
        now - EXPIRED_CODES
    )
    .execute(pool)
    .await?
    .rows_affected()
        + sqlx::query!(
            "DELETE FROM password_resets WHERE expires_at < $1",
            now - EXPIRED_CODES
        )
        .execute(pool)
        .await?
        .rows_affected();
    // A finished registration is only the trace of one: the account is the record.
    let registrations = sqlx::query!(
        "DELETE FROM pending_registrations WHERE created_at < $1",
        now - UNFINISHED_REGISTRATIONS,
    )
    .execute(pool)
    .await?
    .rows_affected();
    let challenges = sqlx::query!("DELETE FROM sign_in_challenges WHERE expires_at < $1", now)
        .execute(pool)
        .await?
        .rows_affected();
    let secrets = sqlx::query!(
        "UPDATE notifications SET body = '', secret_until = NULL
         WHERE secret_until < $1 AND status <> 'queued'",
        now,
    )
    .execute(pool)
    .await?
    .rows_affected();
    let offers = sqlx::query!(
        "DELETE FROM me_too_offers WHERE offered_at < $1",
        now - ME_TOO_OFFERS
    )
    .execute(pool)
    .await?
    .rows_affected();
    let messages = sqlx::query!(
        "DELETE FROM notifications WHERE created_at < $1 AND status <> 'queued'",
        now - MESSAGES,
    )
    .execute(pool)
    .await?
    .rows_affected();
    let devices = sqlx::query!(
        "DELETE FROM known_devices WHERE last_seen_at < $1",
        now - KNOWN_DEVICES,
    )
    .execute(pool)
    .await?
    .rows_affected();
    let drafts = sqlx::query!(
        "DELETE FROM application_drafts WHERE updated_at < $1",
        now - DRAFTS,
    )
    .execute(pool)
    .await?
    .rows_affected();
    let transactions = sqlx::query!(
        "DELETE FROM digilocker_transactions WHERE seen_at < $1",
        now - DIGILOCKER_TRANSACTIONS,
    )
    .execute(pool)
    .await?
    .rows_affected();
    let transactions = transactions
        + sqlx::query!(
            "DELETE FROM payment_webhook_events WHERE received_at < $1",
            now - WEBHOOK_EVENTS,
        )
        .execute(pool)
        .await?
        .rows_affected();
    Ok(Swept {
        transactions,
        drafts,
        devices,
        sessions,
        registrations,
        codes,
        challenges,
        secrets,
        offers,
        messages,
    })
}
