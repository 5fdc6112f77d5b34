//! A forgotten password: a one-time code to the account's mobile number, then a new password.
//! The answers read the same whether or not the number has an account; the reset signs every
//! device out and the person is told.

use super::super::rules::{MobileNumber, OTP_VALID_MINUTES};
use super::accounts::sign_in_key;
use super::passwords::{hash_password, password_problem};
use super::registration::{issue_code, spend_code};
use crate::db::new_id;
use crate::ids::AccountId;
use crate::notifications::{self, About};
use crate::problem::{FieldError, Problem};
use crate::sealed::DataKey;
use sqlx::PgPool;
use uuid::Uuid;

/// How long a reset stays open (its code lapses sooner, `OTP_VALID_MINUTES`).
pub const RESET_VALID_MINUTES: i32 = 30;

/// Step one: a code to `mobile` if an account has it. Every number is treated alike, so that
/// nothing (the answer, the limits, a guess at the code) tells a stranger which are registered:
/// a number without an account gets a decoy code that is never sent and never matches, and a
/// refused send (the number's share, the city's budget) is logged, not answered.
pub async fn start_reset(
    pool: &PgPool,
    key: &DataKey,
    mobile: &str,
    sms_text: impl Fn(&str) -> String,
) -> Result<Uuid, Problem> {
    let mobile = MobileNumber::parse(mobile).map_err(|code| Problem::field("mobile", code))?;
    let mut tx = pool.begin().await?;
    let user: Option<AccountId> = sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(mobile.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO password_resets (id, user_id, expires_at)
         VALUES ($1, $2, now() + make_interval(mins => $3))",
    )
    .bind(id)
    .bind(user)
    .bind(RESET_VALID_MINUTES)
    .execute(&mut *tx)
    .await?;
    let sent = match user {
        Some(_) => issue_code(&mut tx, key, "reset", id, &mobile, &sms_text).await,
        None => decoy_code(&mut tx, id, &mobile)
            .await
            .map_err(Problem::from),
    };
    match sent {
        Ok(()) => {}
        Err(Problem::Invalid(why)) => {
            tracing::warn!(problems = ?why, "a password reset's code was not sent");
        }
        Err(other) => return Err(other),
    }
    tx.commit().await?;
    Ok(id)
}

/// A code row for a number without an account: counted like a real one by the per-number limit
/// and spent like one by a guess, but never sent, and its hash matches no code.
async fn decoy_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    subject: Uuid,
    mobile: &MobileNumber,
) -> Result<(), sqlx::Error> {
    let mut unguessable = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut unguessable);
    sqlx::query(
        "INSERT INTO one_time_codes (id, purpose, mobile, subject_id, code_hash, expires_at)
         VALUES ($1, 'reset', $2, $3, $4, now() + make_interval(mins => $5))",
    )
    .bind(new_id())
    .bind(mobile.as_str())
    .bind(subject)
    .bind(unguessable.to_vec())
    .bind(OTP_VALID_MINUTES as i32)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Step two: the code and a new password. The code is checked first (a guess counts whatever
/// the number), the password only after a right code, so neither tells whether an account is
/// there. Every session of the account ends, its sign-in throttle is forgotten, and the person
/// is told on their usual channel.
pub async fn finish_reset(
    pool: &PgPool,
    key: &DataKey,
    reset: Uuid,
    code: &str,
    password: &str,
    told: &str,
) -> Result<(), Problem> {
    let mut tx = pool.begin().await?;
    let found: Option<(Option<Uuid>, bool)> = sqlx::query_as(
        "SELECT user_id, expires_at < now() OR completed_at IS NOT NULL
         FROM password_resets WHERE id = $1 FOR UPDATE",
    )
    .bind(reset)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user, lapsed)) = found else {
        return Err(Problem::field("code", "err_code_expired"));
    };
    if lapsed {
        return Err(Problem::field("code", "err_code_expired"));
    }
    if let Err(problem) = spend_code(&mut tx, key, reset, code).await? {
        // A wrong guess counts even though nothing else happens.
        tx.commit().await?;
        return Err(Problem::Invalid(vec![FieldError::new("code", problem)]));
    }
    // A right code: only a real account's code can be right (a decoy's hash matches nothing).
    let user = user.ok_or_else(|| Problem::unexpected("a decoy reset code matched"))?;
    let (name, mobile, citizen_id): (String, String, String) =
        sqlx::query_as("SELECT name, mobile, citizen_id FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
    if let Some(problem) = password_problem(password, &[name.as_str(), mobile.as_str()]) {
        // The code stays unspent (the transaction is not committed): fix the password, keep it.
        return Err(Problem::field("password", problem));
    }
    let hash = hash_password(password.to_string()).await?;
    sqlx::query("UPDATE password_resets SET completed_at = now() WHERE id = $1")
        .bind(reset)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE users SET password_hash = $2, password_chosen_by_admin = false WHERE id = $1",
    )
    .bind(user)
    .bind(hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    // The owner is back in: the tries a stranger made on the account are forgotten.
    sqlx::query("DELETE FROM throttles WHERE key IN ($1, $2)")
        .bind(sign_in_key(&mobile))
        .bind(sign_in_key(&citizen_id))
        .execute(&mut *tx)
        .await?;
    super::security_log::record(
        &mut tx,
        user.into(),
        super::security_log::Event::PasswordReset,
        super::security_log::By::Holder,
        crate::history::Facts::new(),
    )
    .await?;
    notifications::tell_account(&mut tx, user.into(), "", told, About::NOTHING).await?;
    tx.commit().await?;
    tracing::info!(target: "security", account = %user, "password reset by one-time code; every session ended");
    Ok(())
}
