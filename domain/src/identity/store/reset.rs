//! A forgotten password: a one-time code to the account's mobile number, then a new password.
//! The answers read the same whether or not the number has an account; the reset signs every
//! device out and the person is told.

use super::super::rules::MobileNumber;
use super::passwords::{hash_password, password_problem};
use super::registration::{issue_code, spend_code};
use crate::db::new_id;
use crate::notifications::{self, About};
use crate::problem::{FieldError, Problem};
use sqlx::PgPool;
use uuid::Uuid;

/// How long a reset stays open (its code lapses sooner, `OTP_VALID_MINUTES`).
pub const RESET_VALID_MINUTES: i32 = 30;

/// Step one: a code to `mobile` if an account has it. Returns the reset's id whatever the
/// number, so the answer does not say whether it is registered.
pub async fn start_reset(
    pool: &PgPool,
    mobile: &str,
    sms_text: impl Fn(&str) -> String,
) -> Result<Uuid, Problem> {
    let mobile = MobileNumber::parse(mobile).map_err(|code| Problem::field("mobile", code))?;
    let mut tx = pool.begin().await?;
    let user: Option<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
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
    if user.is_some() {
        issue_code(&mut tx, "reset", id, &mobile, &sms_text).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Step two: the code and a new password. Every session of the account ends, its sign-in
/// throttle is forgotten, and the person is told on their usual channel.
pub async fn finish_reset(
    pool: &PgPool,
    reset: Uuid,
    code: &str,
    password: &str,
    told: &str,
) -> Result<(), Problem> {
    let found: Option<(Option<Uuid>, bool, String, String, String)> = sqlx::query_as(
        "SELECT r.user_id, r.expires_at < now() OR r.completed_at IS NOT NULL,
                COALESCE(u.name, ''), COALESCE(u.mobile, ''), COALESCE(u.citizen_id, '')
         FROM password_resets r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1",
    )
    .bind(reset)
    .fetch_optional(pool)
    .await?;
    let Some((user, lapsed, name, mobile, citizen_id)) = found else {
        return Err(Problem::field("code", "err_code_expired"));
    };
    if lapsed {
        return Err(Problem::field("code", "err_code_expired"));
    }
    if let Some(problem) = password_problem(password, &[name.as_str(), mobile.as_str()]) {
        return Err(Problem::field("password", problem));
    }
    let Some(user) = user else {
        // No account has that number: no code was sent, and any guess is wrong.
        return Err(Problem::field("code", "err_code_wrong"));
    };
    let mut tx = pool.begin().await?;
    if let Err(problem) = spend_code(&mut tx, reset, code).await? {
        // A wrong guess counts even though nothing else happens.
        tx.commit().await?;
        return Err(Problem::Invalid(vec![FieldError::new("code", problem)]));
    }
    tx.commit().await?;
    let hash = hash_password(password.to_string()).await?;
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE password_resets SET completed_at = now() WHERE id = $1 AND completed_at IS NULL",
    )
    .bind(reset)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(Problem::field("code", "err_code_used"));
    }
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
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
        .bind(format!("sign-in:{mobile}"))
        .bind(format!("sign-in:{citizen_id}"))
        .execute(&mut *tx)
        .await?;
    notifications::tell_account(&mut tx, user, "", told, About::NOTHING).await?;
    tx.commit().await?;
    tracing::info!(target: "security", account = %user, "password reset by one-time code; every session ended");
    Ok(())
}
