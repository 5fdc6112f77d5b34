//! Accounts: signing in (by citizen id or mobile), reading one, its language and password.

use super::super::rules::*;
use super::super::CitizenId;
use super::passwords::{dummy_hash, hash_password, password_problem, verify_password};
use crate::ids::{AccountId, SessionId};
use crate::problem::Problem;
use crate::throttle;
use crate::Locale;
use sqlx::PgPool;
use uuid::Uuid;

enum Login {
    Citizen(CitizenId),
    Mobile(MobileNumber),
    Invalid(&'static str),
}

/// Twelve digits are a citizen id, ten (or +91 and ten) a mobile number. A wrong check digit is
/// named as such, so a typo in the citizen id is not mistaken for a wrong password.
fn login_kind(login: &str) -> Login {
    let digits: String = login.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() == 12 && !digits.starts_with('+') {
        return match CitizenId::parse(&digits) {
            Ok(id) => Login::Citizen(id),
            Err(_) if digits.starts_with("91") => match MobileNumber::parse(&digits) {
                Ok(m) => Login::Mobile(m),
                Err(_) => Login::Invalid("err_citizen_id_check"),
            },
            Err(super::super::CitizenIdError::CheckDigit) => Login::Invalid("err_citizen_id_check"),
            Err(_) => Login::Invalid("err_login_invalid"),
        };
    }
    match MobileNumber::parse(login) {
        Ok(m) => Login::Mobile(m),
        Err(_) => Login::Invalid("err_login_invalid"),
    }
}

/// A person as the rest of the app sees them after sign-in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    pub id: AccountId,
    pub citizen_id: String,
    pub name: String,
    pub mobile: String,
    pub email: Option<String>,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    pub locale: String,
    /// the password is still the one an admin chose at appointment: until the person chooses
    /// their own, only their account page is open to them
    pub password_due: bool,
}

impl Account {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            role: self.role,
            department_id: self.department_id,
        }
    }

    pub fn citizen_id(&self) -> CitizenId {
        CitizenId::parse(&self.citizen_id).expect("stored citizen ids are valid")
    }
}

pub(super) const ACCOUNT_COLUMNS: &str =
    "id, citizen_id, name, mobile, email, role, department_id, locale,
     password_chosen_by_admin AS password_due";

/// The throttle key of sign-in tries on one login (a citizen id or a mobile number).
pub fn sign_in_key(login: &str) -> String {
    format!("sign-in:{login}")
}

/// Sign-in by citizen id or mobile number. Every failure after the form checks reads the same,
/// so the form does not tell a stranger which numbers are registered. Tries on one login are
/// throttled across every instance (`throttle::SIGN_IN`), counted before the password is
/// checked, whether or not such an account exists, and forgotten when the person is in
/// (`signed_in`, after the second step if one is due).
pub async fn sign_in(pool: &PgPool, login: &str, password: &str) -> Result<Account, Problem> {
    let login = login.trim();
    if login.is_empty() {
        return Err(Problem::field("login", "err_login_required"));
    }
    let kind = login_kind(login);
    let throttle_key = match &kind {
        Login::Citizen(id) => sign_in_key(id.as_str()),
        Login::Mobile(m) => sign_in_key(m.as_str()),
        Login::Invalid(_) => String::new(),
    };
    if !throttle_key.is_empty() {
        let now = time::OffsetDateTime::now_utc();
        let tried = throttle::hit(pool, &throttle_key, throttle::SIGN_IN, now).await?;
        if let Some(refusal) = tried.refusal("password", "err_sign_in_throttled") {
            return Err(refusal);
        }
    }
    let row: Option<(Uuid, String)> = match kind {
        Login::Citizen(id) => {
            sqlx::query_as("SELECT id, password_hash FROM users WHERE citizen_id = $1")
                .bind(id.as_str())
                .fetch_optional(pool)
                .await?
        }
        Login::Mobile(mobile) => {
            sqlx::query_as("SELECT id, password_hash FROM users WHERE mobile = $1")
                .bind(mobile.as_str())
                .fetch_optional(pool)
                .await?
        }
        Login::Invalid(code) => return Err(Problem::field("login", code)),
    };
    let (user_id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, dummy_hash().to_string()),
    };
    let ok = verify_password(password.to_string(), hash)
        .await
        .unwrap_or(false);
    match (user_id, ok) {
        (Some(id), true) => {
            // The tries are forgotten once the person is in (`signed_in`): a password that was
            // right does not wipe the count while a second step is still due.
            account(pool, id.into())
                .await?
                .ok_or_else(|| Problem::unexpected("account vanished"))
        }
        _ => Err(Problem::field("password", "err_sign_in_failed")),
    }
}

/// Whether this account must pass a second step after its password: staff always, anyone who
/// turned a second factor on.
pub async fn second_step_due(pool: &PgPool, account: &Account) -> Result<bool, sqlx::Error> {
    if super::super::second_factor::required(account.role) {
        return Ok(true);
    }
    Ok(super::second_factor::status(pool, account.id)
        .await?
        .is_on())
}

/// The person is in: the failed tries on their logins are forgotten.
pub async fn signed_in(pool: &PgPool, account: &Account) -> Result<(), sqlx::Error> {
    tracing::info!(target: "security", account = %account.id, "signed in");
    throttle::clear(pool, &sign_in_key(&account.mobile)).await?;
    throttle::clear(pool, &sign_in_key(&account.citizen_id)).await
}

pub async fn account(pool: &PgPool, user_id: AccountId) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users WHERE id = $1"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

pub async fn set_locale(
    pool: &PgPool,
    user_id: AccountId,
    locale: Locale,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET locale = $2 WHERE id = $1")
        .bind(user_id)
        .bind(locale.code())
        .execute(pool)
        .await?;
    Ok(())
}

/// Changes a password after checking the current one; every other session of the person ends,
/// so whoever knew the old password is signed out, and the person is told (`told`), so a change
/// they did not make does not pass unseen.
pub async fn change_password(
    pool: &PgPool,
    account: &Account,
    keep_session: SessionId,
    current: &str,
    new: &str,
    told: &str,
) -> Result<(), Problem> {
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(account.id)
        .fetch_one(pool)
        .await?;
    if !verify_password(current.to_string(), hash).await? {
        return Err(Problem::field("current_password", "err_password_wrong"));
    }
    if let Some(code) = password_problem(new, &[account.name.as_str(), account.mobile.as_str()]) {
        return Err(Problem::field("new_password", code));
    }
    let new_hash = hash_password(new.to_string()).await?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE users SET password_hash = $2, password_chosen_by_admin = false WHERE id = $1",
    )
    .bind(account.id)
    .bind(new_hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL")
        .bind(account.id)
        .bind(keep_session)
        .execute(&mut *tx)
        .await?;
    super::security_log::record(
        &mut tx,
        account.id,
        super::security_log::Event::PasswordChanged,
        super::security_log::By::Holder,
        crate::history::Facts::new(),
    )
    .await?;
    crate::notifications::tell_account(
        &mut tx,
        account.id,
        "",
        told,
        crate::notifications::About::NOTHING,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
