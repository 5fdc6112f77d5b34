//! The second factor's queries: setting it up, the sign-in challenge that waits for it, each
//! code accepted once, recovery codes, and an admin's reset for a lost phone. Rules are in
//! `identity::second_factor`.

use super::super::second_factor::{self as rules, Code, CHALLENGE_MINUTES, CHALLENGE_TRIES};
use super::accounts::{account, sign_in_key, Account};
use super::security_log::{self, By, Event};
use crate::history::Facts;
use crate::ids::AccountId;
use crate::notifications::{self, About};
use crate::problem::Problem;
use crate::sealed::DataKey;
use crate::throttle;
use base64::Engine;
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, Transaction};
use time::OffsetDateTime;

/// The cookie that carries a sign-in challenge between the password and the code.
pub const CHALLENGE_COOKIE: &str = "nagarik_second_step";

/// Where an account stands with its second factor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub on_since: Option<OffsetDateTime>,
    pub recovery_codes_left: i64,
}

impl Status {
    pub fn is_on(&self) -> bool {
        self.on_since.is_some()
    }
}

pub async fn status(pool: &PgPool, user: AccountId) -> Result<Status, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT (SELECT confirmed_at FROM second_factors WHERE user_id = $1) AS on_since,
                  (SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL) AS "left!""#,
        user.uuid(),
    )
    .fetch_one(pool)
    .await?;
    Ok(Status {
        on_since: row.on_since,
        recovery_codes_left: row.left,
    })
}

/// The secret to set up: the one being set up if it is recent (a page reloaded after the QR code
/// was scanned shows the same one), else a new one. Refused once a factor is on: it is changed by
/// turning it off (citizens) or by an admin's reset (staff).
pub async fn begin_setup(
    pool: &PgPool,
    key: &DataKey,
    user: AccountId,
) -> Result<Vec<u8>, Problem> {
    let sealed = sqlx::query_scalar!(
        "INSERT INTO second_factors (user_id, secret) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET
             secret = CASE WHEN second_factors.created_at > now() - make_interval(mins => $3)
                           THEN second_factors.secret ELSE EXCLUDED.secret END,
             created_at = CASE WHEN second_factors.created_at > now() - make_interval(mins => $3)
                               THEN second_factors.created_at ELSE now() END
             WHERE second_factors.confirmed_at IS NULL
         RETURNING secret",
        user.uuid(),
        key.seal(&rules::new_secret(), &bound_to(user)),
        CHALLENGE_MINUTES as i32,
    )
    .fetch_optional(pool)
    .await?;
    let sealed = sealed.ok_or(Problem::Conflict("err_second_factor_already_on"))?;
    open(key, user, &sealed)
}

/// What a sealed secret is bound to: its account, so a secret copied to another row opens nowhere.
fn bound_to(user: AccountId) -> Vec<u8> {
    [&b"second_factors:"[..], user.uuid().as_bytes()].concat()
}

/// The account's secret, opened with the data key. One that does not open was sealed under
/// another key (the data key was changed without re-sealing) or altered in the database.
fn open(key: &DataKey, user: AccountId, sealed: &[u8]) -> Result<Vec<u8>, Problem> {
    key.open(sealed, &bound_to(user)).ok_or_else(|| {
        Problem::Unexpected(
            format!("the second factor of {user} does not open with NAGARIK_DATA_KEY").into(),
        )
    })
}

/// Seals the secrets kept from before they were sealed (20 bytes as they were made). Each
/// instance runs it at start; a second run finds nothing left to do.
pub async fn seal_plain_secrets(pool: &PgPool, key: &DataKey) -> Result<u64, sqlx::Error> {
    let plain = sqlx::query!(
        "SELECT user_id, secret FROM second_factors WHERE length(secret) = $1",
        rules::SECRET_BYTES as i32,
    )
    .fetch_all(pool)
    .await?;
    let mut sealed = 0;
    for row in plain {
        sealed += sqlx::query!(
            "UPDATE second_factors SET secret = $3 WHERE user_id = $1 AND secret = $2",
            row.user_id,
            &row.secret,
            key.seal(&row.secret, &bound_to(row.user_id.into())),
        )
        .execute(pool)
        .await?
        .rows_affected();
    }
    Ok(sealed)
}

/// Accepts a code of the account's secret (confirmed or, for `setting_up`, not yet), each step
/// once on any instance.
async fn accept_code(
    tx: &mut Transaction<'_, Postgres>,
    key: &DataKey,
    user: AccountId,
    code: &str,
    setting_up: bool,
) -> Result<bool, Problem> {
    let sealed = sqlx::query_scalar!(
        "SELECT secret FROM second_factors WHERE user_id = $1 AND (confirmed_at IS NULL) = $2
         FOR UPDATE",
        user.uuid(),
        setting_up,
    )
    .fetch_optional(&mut **tx)
    .await?;
    let Some(sealed) = sealed else {
        return Ok(false);
    };
    let secret = open(key, user, &sealed)?;
    let now = OffsetDateTime::now_utc().unix_timestamp().max(0) as u64;
    let Some(step) = rules::matching_step(&secret, code, now) else {
        return Ok(false);
    };
    sqlx::query!(
        "DELETE FROM second_factor_steps WHERE user_id = $1 AND step < $2",
        user.uuid(),
        step as i64 - 4,
    )
    .execute(&mut **tx)
    .await?;
    let fresh = sqlx::query!(
        "INSERT INTO second_factor_steps (user_id, step) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        user.uuid(),
        step as i64,
    )
    .execute(&mut **tx)
    .await?;
    Ok(fresh.rows_affected() == 1)
}

/// Spends one unused recovery code.
async fn spend_recovery_code(
    tx: &mut Transaction<'_, Postgres>,
    user: AccountId,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let spent = sqlx::query!(
        "UPDATE recovery_codes SET used_at = now()
         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        user.uuid(),
        rules::recovery_hash(code),
    )
    .execute(&mut **tx)
    .await?;
    Ok(spent.rows_affected() == 1)
}

/// Replaces the account's recovery codes with new ones, returned to be shown once.
async fn renew_recovery_codes(
    tx: &mut Transaction<'_, Postgres>,
    user: AccountId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user.uuid())
        .execute(&mut **tx)
        .await?;
    let codes = rules::new_recovery_codes();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| rules::recovery_hash(c)).collect();
    sqlx::query!(
        "INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])",
        user.uuid(),
        &hashes,
    )
    .execute(&mut **tx)
    .await?;
    Ok(codes)
}

/// Confirms the secret being set up with a code from it: the factor is on, and the recovery
/// codes to keep are returned. `told` is the notice to the holder.
pub async fn confirm_setup(
    pool: &PgPool,
    key: &DataKey,
    user: AccountId,
    typed: &str,
    told: &str,
) -> Result<Vec<String>, Problem> {
    let code = match Code::parse(typed) {
        Ok(Code::Totp(c)) => c,
        Ok(Code::Recovery(_)) => return Err(Problem::field("code", "err_second_factor_format")),
        Err(e) => return Err(Problem::field("code", e)),
    };
    let mut tx = pool.begin().await?;
    if !accept_code(&mut tx, key, user, &code, true).await? {
        return Err(Problem::field("code", "err_second_factor_wrong"));
    }
    sqlx::query!(
        "UPDATE second_factors SET confirmed_at = now() WHERE user_id = $1",
        user.uuid()
    )
    .execute(&mut *tx)
    .await?;
    let codes = renew_recovery_codes(&mut tx, user).await?;
    security_log::record(
        &mut tx,
        user,
        Event::SecondFactorOn,
        By::Holder,
        Facts::new(),
    )
    .await?;
    notifications::tell_account(&mut tx, user, "", told, About::NOTHING).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Checks a code of an account whose factor is on: an app's code (each step once) or an unused
/// recovery code (spent, recorded, and the holder told with `told_recovery`). A wrong code counts
/// against the account's sign-in limit, as a wrong password does.
pub async fn check(
    pool: &PgPool,
    data_key: &DataKey,
    account: &Account,
    typed: &str,
    told_recovery: &str,
) -> Result<(), Problem> {
    let code = Code::parse(typed).map_err(|e| Problem::field("code", e))?;
    // Past the account's limit of wrong tries (passwords and codes alike), no code is checked.
    let key = sign_in_key(&account.mobile);
    let now = OffsetDateTime::now_utc();
    let looked = throttle::peek(pool, &key, throttle::SIGN_IN, now).await?;
    if let Some(refusal) = looked.refusal("code", "err_sign_in_throttled") {
        return Err(refusal);
    }
    let mut tx = pool.begin().await?;
    let passed = match &code {
        Code::Totp(c) => accept_code(&mut tx, data_key, account.id, c, false).await?,
        Code::Recovery(c) => {
            let spent = spend_recovery_code(&mut tx, account.id, c).await?;
            if spent {
                security_log::record(
                    &mut tx,
                    account.id,
                    Event::RecoveryCodeUsed,
                    By::Holder,
                    Facts::new(),
                )
                .await?;
                notifications::tell_account(&mut tx, account.id, "", told_recovery, About::NOTHING)
                    .await?;
            }
            spent
        }
    };
    if !passed {
        drop(tx);
        throttle::hit(pool, &key, throttle::SIGN_IN, now).await?;
        return Err(Problem::field("code", "err_second_factor_wrong"));
    }
    tx.commit().await?;
    Ok(())
}

/// New recovery codes for an account whose factor is on, after a code from the app.
pub async fn new_recovery_codes(
    pool: &PgPool,
    key: &DataKey,
    account: &Account,
    typed: &str,
) -> Result<Vec<String>, Problem> {
    match Code::parse(typed) {
        Ok(Code::Totp(_)) => {}
        Ok(Code::Recovery(_)) => return Err(Problem::field("code", "err_second_factor_app_code")),
        Err(e) => return Err(Problem::field("code", e)),
    }
    // (an app's code only, so no recovery code is spent and there is nothing to tell)
    check(pool, key, account, typed, "").await?;
    let mut tx = pool.begin().await?;
    let codes = renew_recovery_codes(&mut tx, account.id).await?;
    security_log::record(
        &mut tx,
        account.id,
        Event::RecoveryCodesRenewed,
        By::Holder,
        Facts::new(),
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns the factor off after a code from it (or a recovery code, for a lost phone). Staff
/// cannot: theirs is required.
pub async fn turn_off(
    pool: &PgPool,
    key: &DataKey,
    account: &Account,
    typed: &str,
    notices: Notices<'_>,
) -> Result<(), Problem> {
    if rules::required(account.role) {
        return Err(Problem::Forbidden);
    }
    check(pool, key, account, typed, notices.recovery_used).await?;
    let told = notices.turned_off;
    let mut tx = pool.begin().await?;
    remove(&mut tx, account.id).await?;
    security_log::record(
        &mut tx,
        account.id,
        Event::SecondFactorOff,
        By::Holder,
        Facts::new(),
    )
    .await?;
    notifications::tell_account(&mut tx, account.id, "", told, About::NOTHING).await?;
    tx.commit().await?;
    Ok(())
}

async fn remove(tx: &mut Transaction<'_, Postgres>, user: AccountId) -> Result<(), sqlx::Error> {
    for statement in [
        "DELETE FROM second_factors WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM second_factor_steps WHERE user_id = $1",
        "DELETE FROM sign_in_challenges WHERE user_id = $1",
    ] {
        sqlx::query(statement).bind(user).execute(&mut **tx).await?;
    }
    Ok(())
}

/// An admin's reset for a staff member who lost their phone: the factor and recovery codes go,
/// every session of theirs ends, and they set a new factor up at their next sign-in. Recorded in
/// their security history with the admin's id, and they are told. The caller has checked that
/// `admin` manages them.
pub async fn reset_by_admin(
    pool: &PgPool,
    admin: AccountId,
    user: AccountId,
    told: &str,
) -> Result<(), Problem> {
    let mut tx = pool.begin().await?;
    remove(&mut tx, user).await?;
    sqlx::query!(
        "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
        user.uuid()
    )
    .execute(&mut *tx)
    .await?;
    security_log::record(
        &mut tx,
        user,
        Event::SecondFactorReset,
        By::Admin(admin),
        Facts::new().with("admin", admin),
    )
    .await?;
    notifications::tell_account(&mut tx, user, "", told, About::NOTHING).await?;
    tx.commit().await?;
    Ok(())
}

// ---- the sign-in challenge ----

fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// After a right password, when a second step is due: a challenge and its cookie token.
pub async fn start_challenge(
    pool: &PgPool,
    user: AccountId,
    user_agent: &str,
) -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let user_agent: String = user_agent.chars().take(200).collect();
    sqlx::query!(
        "INSERT INTO sign_in_challenges (token_hash, user_id, expires_at, user_agent)
         VALUES ($1, $2, now() + make_interval(mins => $3), $4)",
        hash_token(&token),
        user.uuid(),
        CHALLENGE_MINUTES as i32,
        user_agent,
    )
    .execute(pool)
    .await?;
    Ok(token)
}

/// The account a live challenge is for, and whether its factor is on (else it must be set up).
pub async fn challenge(
    pool: &PgPool,
    token: &str,
) -> Result<Option<(Account, Status)>, sqlx::Error> {
    let user = sqlx::query_scalar!(
        "SELECT user_id FROM sign_in_challenges
         WHERE token_hash = $1 AND expires_at > now() AND tries < $2",
        hash_token(token),
        CHALLENGE_TRIES,
    )
    .fetch_optional(pool)
    .await?;
    let Some(user) = user else { return Ok(None) };
    let Some(account) = account(pool, user.into()).await? else {
        return Ok(None);
    };
    let status = status(pool, user.into()).await?;
    Ok(Some((account, status)))
}

/// What passing the second step gives: the account to start a session for, and the recovery
/// codes to show when the step set the factor up.
pub struct Passed {
    pub account: Account,
    pub recovery_codes: Option<Vec<String>>,
}

/// The words of the notices a step with the factor may send.
pub struct Notices<'a> {
    pub turned_on: &'a str,
    pub turned_off: &'a str,
    pub recovery_used: &'a str,
}

/// The second step of a sign-in: a code for the challenge's account (or, when its factor is not
/// set up yet, a code confirming the secret just shown). The challenge ends when it passes and
/// after `CHALLENGE_TRIES` wrong codes.
pub async fn pass_challenge(
    pool: &PgPool,
    key: &DataKey,
    token: &str,
    typed: &str,
    notices: Notices<'_>,
) -> Result<Passed, Problem> {
    let Some((account, status)) = challenge(pool, token).await? else {
        return Err(Problem::field("code", "err_second_step_expired"));
    };
    let result = if status.is_on() {
        check(pool, key, &account, typed, notices.recovery_used)
            .await
            .map(|()| None)
    } else {
        confirm_setup(pool, key, account.id, typed, notices.turned_on)
            .await
            .map(Some)
    };
    match result {
        Ok(recovery_codes) => {
            sqlx::query!(
                "DELETE FROM sign_in_challenges WHERE token_hash = $1",
                hash_token(token)
            )
            .execute(pool)
            .await?;
            super::accounts::signed_in(pool, &account).await?;
            Ok(Passed {
                account,
                recovery_codes,
            })
        }
        Err(Problem::Invalid(fields)) => {
            if fields.iter().any(|f| f.code == "err_second_factor_wrong") {
                sqlx::query!(
                    "UPDATE sign_in_challenges SET tries = tries + 1 WHERE token_hash = $1",
                    hash_token(token)
                )
                .execute(pool)
                .await?;
            }
            Err(Problem::Invalid(fields))
        }
        Err(other) => Err(other),
    }
}

/// Gives an account a factor with a known secret, already confirmed: the demo staff's, whose
/// secret is published with the demo data.
pub async fn set_confirmed(
    pool: &PgPool,
    key: &DataKey,
    user: AccountId,
    secret: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO second_factors (user_id, secret, confirmed_at) VALUES ($1, $2, now())
         ON CONFLICT (user_id) DO NOTHING",
        user.uuid(),
        key.seal(secret, &bound_to(user)),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Re-seals every second factor's key under `new` (`crate::rotation`). Answers how many.
pub async fn reseal(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    old: &DataKey,
    new: &DataKey,
) -> Result<u64, Problem> {
    let rows = sqlx::query!("SELECT user_id, secret FROM second_factors FOR UPDATE")
        .fetch_all(&mut **tx)
        .await?;
    for row in &rows {
        let plain = open(old, row.user_id.into(), &row.secret)?;
        sqlx::query!(
            "UPDATE second_factors SET secret = $2 WHERE user_id = $1",
            row.user_id,
            new.seal(&plain, &bound_to(row.user_id.into())),
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(rows.len() as u64)
}
