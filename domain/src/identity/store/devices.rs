//! The browsers an account has signed in from, each known by a random token in a long-lived
//! cookie (its SHA-256 kept here). A sign-in from a browser the account has not used before is
//! recorded in the account's security history and told to the person, unless it is the
//! account's first browser (at registration, or the first sign-in after this was built).

use super::accounts::Account;
use super::security_log::{self, By, Event};
use crate::history::Facts;
use crate::notifications::{self, About};
use base64::Engine;
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// The cookie that names this browser to every account signed in on it.
pub const DEVICE_COOKIE: &str = "nagarik_device";
/// How long a browser keeps it: the longest a browser keeps any cookie.
pub const DEVICE_COOKIE_DAYS: i64 = 400;

/// A new browser's token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A token as this server makes them (anything else a browser sends is replaced).
pub fn is_token(text: &str) -> bool {
    text.len() == 43
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether the sign-in came from a browser the account knew.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    Known,
    /// a browser the account had not used, and the person was told
    New,
    /// the account's first browser: nothing to compare with, nobody told
    First,
}

/// Records a sign-in from the browser `token` names; `told` is the notice for a new one.
pub async fn signed_in_from(
    pool: &PgPool,
    account: &Account,
    token: &str,
    user_agent: &str,
    told: &str,
) -> Result<Seen, sqlx::Error> {
    let hash = Sha256::digest(token.as_bytes()).to_vec();
    let user_agent: String = user_agent.chars().take(200).collect();
    let mut tx = pool.begin().await?;
    // (the account's row is locked so two first sign-ins at once cannot both count as first)
    sqlx::query!(
        "SELECT id FROM users WHERE id = $1 FOR UPDATE",
        account.id.uuid()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let known = sqlx::query!(
        "UPDATE known_devices SET last_seen_at = now() WHERE user_id = $1 AND device_hash = $2",
        account.id.uuid(),
        hash,
    )
    .execute(&mut *tx)
    .await?;
    if known.rows_affected() == 1 {
        tx.commit().await?;
        return Ok(Seen::Known);
    }
    let others = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM known_devices WHERE user_id = $1"#,
        account.id.uuid()
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO known_devices (user_id, device_hash, user_agent) VALUES ($1, $2, $3)",
        account.id.uuid(),
        hash,
        user_agent,
    )
    .execute(&mut *tx)
    .await?;
    let seen = if others == 0 {
        Seen::First
    } else {
        security_log::record(
            &mut tx,
            account.id,
            Event::NewDeviceSignIn,
            By::Holder,
            Facts::new(),
        )
        .await?;
        notifications::tell_account(&mut tx, account.id, "", told, About::NOTHING).await?;
        Seen::New
    };
    tx.commit().await?;
    Ok(seen)
}
