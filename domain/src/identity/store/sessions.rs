//! Sessions: a random token in an HttpOnly cookie, its SHA-256 in Postgres, so any instance
//! serves any request and the owner lists and revokes them.

use super::accounts::{account, Account};
use crate::db::new_id;
use crate::ids::{AccountId, SessionId};
use base64::Engine;
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

pub const SESSION_COOKIE: &str = "nagarik_session";

fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Starts a new session (a new token at every sign-in, so a token planted before sign-in is
/// worthless) and returns the token for the cookie.
pub async fn create_session(
    pool: &PgPool,
    account: &Account,
    user_agent: &str,
) -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let idle = account.role.session_idle_minutes();
    let user_agent: String = user_agent.chars().take(200).collect();
    sqlx::query!(
        "INSERT INTO sessions (id, token_hash, user_id, idle_expires_at, expires_at, user_agent)
         VALUES ($1, $2, $3, now() + make_interval(mins => $4), now() + make_interval(mins => $5), $6)",
        new_id(),
        hash_token(&token),
        account.id.uuid(),
        idle as i32,
        account.role.session_absolute_minutes() as i32,
        user_agent,
    )
    .execute(pool)
    .await?;
    Ok(token)
}

/// The account behind a session token, if the session is live. Activity pushes the idle expiry
/// forward (at most once a minute, to spare the database a write per request).
pub async fn session_account(
    pool: &PgPool,
    token: &str,
) -> Result<Option<(Uuid, Account)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT s.id, s.user_id, s.last_seen_at < now() - interval '1 minute' AS "stale!"
         FROM sessions s
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL
           AND s.idle_expires_at > now() AND s.expires_at > now()"#,
        hash_token(token),
    )
    .fetch_optional(pool)
    .await?;
    let Some((session_id, user_id, stale)) = row.map(|r| (r.id, r.user_id, r.stale)) else {
        return Ok(None);
    };
    let Some(account) = account(pool, user_id.into()).await? else {
        return Ok(None);
    };
    if stale {
        sqlx::query!(
            "UPDATE sessions SET last_seen_at = now(),
                 idle_expires_at = least(expires_at, now() + make_interval(mins => $2))
             WHERE id = $1",
            session_id,
            account.role.session_idle_minutes() as i32,
        )
        .execute(pool)
        .await?;
    }
    Ok(Some((session_id, account)))
}

pub async fn end_session(pool: &PgPool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL",
        hash_token(token),
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionInfo {
    pub id: Uuid,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub user_agent: String,
}

/// The owner's live sessions, newest first.
pub async fn list_sessions(
    pool: &PgPool,
    user_id: AccountId,
) -> Result<Vec<SessionInfo>, sqlx::Error> {
    sqlx::query_as!(
        SessionInfo,
        "SELECT id, created_at, last_seen_at, user_agent FROM sessions
         WHERE user_id = $1 AND revoked_at IS NULL AND idle_expires_at > now() AND expires_at > now()
         ORDER BY last_seen_at DESC",
        user_id.uuid(),
    )
    .fetch_all(pool)
    .await
}

/// Revokes one of the owner's sessions; someone else's session id revokes nothing.
pub async fn revoke_session(
    pool: &PgPool,
    user_id: AccountId,
    session_id: SessionId,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query!(
        "UPDATE sessions SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        session_id.uuid(),
        user_id.uuid(),
    )
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}
