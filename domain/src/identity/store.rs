//! Identity in Postgres: registrations, one-time codes, accounts and sessions.

use super::rules::*;
use super::CitizenId;
use crate::db::new_id;
use crate::notifications;
use crate::problem::{FieldError, Problem};
use crate::Locale;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// Why a form was refused: field problems the person can fix, or a failure that is ours.
fn argon2() -> Argon2<'static> {
    // OWASP's argon2id setting: 19 MiB, two passes, one lane.
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashing takes tens of milliseconds of CPU: keep it off the async workers.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

pub async fn verify_password(password: String, hash: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("bad stored hash: {e}"))?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await?
}

/// A hash to verify against when no account matches, so that a wrong mobile number takes as
/// long as a wrong password and does not reveal who is registered.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"no such account", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

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
            Err(super::CitizenIdError::CheckDigit) => Login::Invalid("err_citizen_id_check"),
            Err(_) => Login::Invalid("err_login_invalid"),
        };
    }
    match MobileNumber::parse(login) {
        Ok(m) => Login::Mobile(m),
        Err(_) => Login::Invalid("err_login_invalid"),
    }
}

/// The password rule: long enough, and not a common or guessable password (zxcvbn's
/// dictionaries of leaked passwords, names and keyboard patterns, plus the person's own details).
pub fn password_problem(password: &str, user_inputs: &[&str]) -> Option<&'static str> {
    if let Some(p) = password_length_problem(password) {
        return Some(p);
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if (estimate.score() as u8) < 3 {
        return Some("err_password_common");
    }
    None
}

/// Checks a person's details field by field (adding to `problems` found by the caller), including
/// that the mobile number is not registered yet; the cleaned name, mobile and email when all pass.
async fn check_person(
    pool: &PgPool,
    name: &str,
    mobile: &str,
    email: &str,
    password: &str,
    mut problems: Vec<FieldError>,
) -> Result<(String, MobileNumber, Option<String>), Problem> {
    let name_ok = validate_name(name)
        .map_err(|c| problems.push(FieldError::new("name", c)))
        .ok();
    let mobile_ok = MobileNumber::parse(mobile)
        .map_err(|c| problems.push(FieldError::new("mobile", c)))
        .ok();
    let email_ok = validate_email(email)
        .map_err(|c| problems.push(FieldError::new("email", c)))
        .ok();
    let own_details: Vec<&str> = [name, mobile, email]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(code) = password_problem(password, &own_details) {
        problems.push(FieldError::new("password", code));
    }
    if let Some(m) = &mobile_ok {
        let taken: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE mobile = $1)")
                .bind(m.as_str())
                .fetch_one(pool)
                .await?;
        if taken {
            problems.push(FieldError::new("mobile", "err_mobile_taken"));
        }
    }
    match (name_ok, mobile_ok, email_ok) {
        (Some(n), Some(m), Some(e)) if problems.is_empty() => Ok((n, m, e)),
        _ => Err(Problem::Invalid(problems)),
    }
}

pub struct RegistrationForm {
    pub name: String,
    pub mobile: String,
    pub email: String,
    pub password: String,
    pub locale: Locale,
}

#[derive(Debug, Clone)]
pub struct StartedRegistration {
    pub registration_id: Uuid,
    pub mobile: MobileNumber,
}

/// Step one: check the form, keep it aside, and send a code to the mobile number.
/// `sms_text` renders the message in the person's language from the code.
pub async fn start_registration(
    pool: &PgPool,
    form: RegistrationForm,
    sms_text: impl Fn(&str) -> String,
) -> Result<StartedRegistration, Problem> {
    let (name, mobile, email) = check_person(
        pool,
        &form.name,
        &form.mobile,
        &form.email,
        &form.password,
        Vec::new(),
    )
    .await?;
    let password_hash = hash_password(form.password).await?;
    let registration_id = new_id();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO pending_registrations (id, name, mobile, email, password_hash, locale)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(registration_id)
    .bind(&name)
    .bind(mobile.as_str())
    .bind(&email)
    .bind(&password_hash)
    .bind(form.locale.code())
    .execute(&mut *tx)
    .await?;
    issue_code(&mut tx, "register", registration_id, &mobile, &sms_text).await?;
    tx.commit().await?;
    Ok(StartedRegistration {
        registration_id,
        mobile,
    })
}

fn hash_code(registration_id: Uuid, code: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(registration_id.as_bytes());
    h.update(code.as_bytes());
    h.finalize().to_vec()
}

/// Sends a new code for `subject` (a registration, a kiosk filing) unless the mobile number has
/// had its share in the window.
pub async fn issue_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    purpose: &str,
    subject: Uuid,
    mobile: &MobileNumber,
    sms_text: &impl Fn(&str) -> String,
) -> Result<(), Problem> {
    // Serialise sends to one number so that two quick requests cannot both slip under the limit.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('otp:' || $1))")
        .bind(mobile.as_str())
        .execute(&mut **tx)
        .await?;
    let recent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM one_time_codes
         WHERE mobile = $1 AND created_at > now() - make_interval(mins => $2)",
    )
    .bind(mobile.as_str())
    .bind(OTP_SEND_WINDOW_MINUTES as i32)
    .fetch_one(&mut **tx)
    .await?;
    if recent >= OTP_MAX_SENDS {
        return Err(Problem::field("code", "err_code_too_many_sends"));
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32));
    sqlx::query(
        "INSERT INTO one_time_codes (id, purpose, mobile, registration_id, subject_id, code_hash, expires_at)
         VALUES ($1, $6, $2, CASE WHEN $6 = 'register' THEN $3 END, $3, $4, now() + make_interval(mins => $5))",
    )
    .bind(new_id())
    .bind(mobile.as_str())
    .bind(subject)
    .bind(hash_code(subject, &code))
    .bind(OTP_VALID_MINUTES as i32)
    .bind(purpose)
    .execute(&mut **tx)
    .await?;
    notifications::enqueue(
        &mut **tx,
        notifications::Channel::Sms,
        mobile.as_str(),
        "",
        &sms_text(&code),
    )
    .await?;
    Ok(())
}

/// Checks `input` against the newest code sent for `subject` and spends it when it matches.
/// A wrong guess is counted in `tx`: the caller commits before reporting the returned problem.
pub async fn spend_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    subject: Uuid,
    input: &str,
) -> Result<Result<(), &'static str>, sqlx::Error> {
    let code = match normalise_code(input) {
        Ok(c) => c,
        Err(problem) => return Ok(Err(problem)),
    };
    // Only the newest code counts: sending another one retires the earlier ones.
    let latest: Option<(Uuid, Vec<u8>, i32, bool, bool)> = sqlx::query_as(
        "SELECT id, code_hash, attempts, expires_at < now(), used_at IS NOT NULL
         FROM one_time_codes WHERE subject_id = $1
         ORDER BY created_at DESC LIMIT 1 FOR UPDATE",
    )
    .bind(subject)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((code_id, code_hash, attempts, expired, used)) = latest else {
        return Ok(Err("err_code_expired"));
    };
    if used {
        return Ok(Err("err_code_used"));
    }
    if expired {
        return Ok(Err("err_code_expired"));
    }
    if attempts >= OTP_MAX_ATTEMPTS {
        return Ok(Err("err_code_too_many_attempts"));
    }
    if hash_code(subject, &code) != code_hash {
        sqlx::query("UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = $1")
            .bind(code_id)
            .execute(&mut **tx)
            .await?;
        let left = OTP_MAX_ATTEMPTS - attempts - 1;
        return Ok(Err(if left > 0 {
            "err_code_wrong"
        } else {
            "err_code_too_many_attempts"
        }));
    }
    sqlx::query("UPDATE one_time_codes SET used_at = now() WHERE id = $1")
        .bind(code_id)
        .execute(&mut **tx)
        .await?;
    Ok(Ok(()))
}

/// Sends another code for a registration still waiting for one.
pub async fn resend_code(
    pool: &PgPool,
    registration_id: Uuid,
    sms_text: impl Fn(&str) -> String,
) -> Result<MobileNumber, Problem> {
    let mut tx = pool.begin().await?;
    let row: Option<(String, Option<Uuid>)> =
        sqlx::query_as("SELECT mobile, completed_user FROM pending_registrations WHERE id = $1")
            .bind(registration_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((mobile, completed)) = row else {
        return Err(Problem::field("code", "err_registration_expired"));
    };
    if completed.is_some() {
        return Err(Problem::field("code", "err_code_used"));
    }
    let mobile =
        MobileNumber::parse(&mobile).map_err(|_| anyhow::anyhow!("stored mobile invalid"))?;
    issue_code(&mut tx, "register", registration_id, &mobile, &sms_text).await?;
    tx.commit().await?;
    Ok(mobile)
}

#[derive(Debug, Clone)]
pub struct NewCitizen {
    pub user_id: Uuid,
    pub citizen_id: CitizenId,
}

/// Step two: the code proves the mobile number; the account is created with a fresh citizen id.
pub async fn confirm_registration(
    pool: &PgPool,
    registration_id: Uuid,
    code_input: &str,
) -> Result<NewCitizen, Problem> {
    normalise_code(code_input).map_err(|c| Problem::field("code", c))?;
    let mut tx = pool.begin().await?;
    type Pending = (String, String, Option<String>, String, String, Option<Uuid>);
    let pending: Option<Pending> = sqlx::query_as(
        "SELECT name, mobile, email, password_hash, locale, completed_user
         FROM pending_registrations WHERE id = $1 FOR UPDATE",
    )
    .bind(registration_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((name, mobile, email, password_hash, locale, completed)) = pending else {
        return Err(Problem::field("code", "err_registration_expired"));
    };
    if completed.is_some() {
        return Err(Problem::field("code", "err_code_used"));
    }
    if let Err(problem) = spend_code(&mut tx, registration_id, code_input).await? {
        // a wrong guess is counted even though the registration does not go ahead
        tx.commit().await?;
        return Err(Problem::field("code", problem));
    }
    // Someone may have registered the same number in the meantime with another code.
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE mobile = $1)")
        .bind(&mobile)
        .fetch_one(&mut *tx)
        .await?;
    if taken {
        return Err(Problem::field("code", "err_mobile_taken"));
    }
    let user_id = new_id();
    let citizen_id = insert_user(
        &mut tx,
        user_id,
        NewUser {
            name: &name,
            mobile: &mobile,
            email: email.as_deref(),
            password_hash: &password_hash,
            role: Role::Citizen,
            department_id: None,
            locale: &locale,
        },
    )
    .await?;
    sqlx::query("UPDATE pending_registrations SET completed_user = $2 WHERE id = $1")
        .bind(registration_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(NewCitizen {
        user_id,
        citizen_id,
    })
}

struct NewUser<'a> {
    name: &'a str,
    mobile: &'a str,
    email: Option<&'a str>,
    password_hash: &'a str,
    role: Role,
    department_id: Option<Uuid>,
    locale: &'a str,
}

/// Inserts a person with a random citizen id, drawing again on the rare collision.
async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    user_id: Uuid,
    user: NewUser<'_>,
) -> Result<CitizenId, Problem> {
    for _ in 0..8 {
        let citizen_id = random_citizen_id();
        let inserted = sqlx::query(
            "INSERT INTO users (id, citizen_id, name, mobile, email, password_hash, role, department_id, locale)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (citizen_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(citizen_id.as_str())
        .bind(user.name)
        .bind(user.mobile)
        .bind(user.email)
        .bind(user.password_hash)
        .bind(user.role.as_str())
        .bind(user.department_id)
        .bind(user.locale)
        .execute(&mut **tx)
        .await;
        match inserted {
            Ok(r) if r.rows_affected() == 1 => return Ok(citizen_id),
            Ok(_) => continue,
            Err(sqlx::Error::Database(e)) if e.constraint() == Some("users_mobile_key") => {
                return Err(Problem::field("mobile", "err_mobile_taken"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(anyhow::anyhow!("no free citizen id after 8 draws").into())
}

/// Random rather than sequential, so that ids cannot be guessed from one another.
fn random_citizen_id() -> CitizenId {
    let mut rng = rand::thread_rng();
    let mut body = [0u8; 11];
    body[0] = rng.gen_range(2..10);
    for d in body.iter_mut().skip(1) {
        *d = rng.gen_range(0..10);
    }
    CitizenId::from_body(&body)
}

/// A person as the rest of the app sees them after sign-in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    pub id: Uuid,
    pub citizen_id: String,
    pub name: String,
    pub mobile: String,
    pub email: Option<String>,
    pub role: String,
    pub department_id: Option<Uuid>,
    pub locale: String,
}

impl Account {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Citizen)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id.to_string(),
            role: self.role(),
            department_id: self.department_id.map(|d| d.to_string()),
        }
    }

    pub fn citizen_id(&self) -> CitizenId {
        CitizenId::parse(&self.citizen_id).expect("stored citizen ids are valid")
    }
}

const ACCOUNT_COLUMNS: &str = "id, citizen_id, name, mobile, email, role, department_id, locale";

/// Sign-in by citizen id or mobile number. Every failure after the form checks reads the same,
/// so the form does not tell a stranger which numbers are registered.
pub async fn sign_in(pool: &PgPool, login: &str, password: &str) -> Result<Account, Problem> {
    let login = login.trim();
    if login.is_empty() {
        return Err(Problem::field("login", "err_login_required"));
    }
    let row: Option<(Uuid, String)> = match login_kind(login) {
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
        (Some(id), true) => account(pool, id)
            .await?
            .ok_or_else(|| Problem::unexpected("account vanished")),
        _ => Err(Problem::field("password", "err_sign_in_failed")),
    }
}

pub async fn account(pool: &PgPool, user_id: Uuid) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users WHERE id = $1"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

pub async fn set_locale(pool: &PgPool, user_id: Uuid, locale: Locale) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET locale = $2 WHERE id = $1")
        .bind(user_id)
        .bind(locale.code())
        .execute(pool)
        .await?;
    Ok(())
}

/// Changes a password after checking the current one; every other session of the person ends,
/// so whoever knew the old password is signed out.
pub async fn change_password(
    pool: &PgPool,
    account: &Account,
    keep_session: Uuid,
    current: &str,
    new: &str,
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
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(account.id)
        .bind(new_hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL")
        .bind(account.id)
        .bind(keep_session)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

// ---- sessions ----

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
    let idle = account.role().session_idle_minutes();
    let user_agent: String = user_agent.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO sessions (id, token_hash, user_id, idle_expires_at, expires_at, user_agent)
         VALUES ($1, $2, $3, now() + make_interval(mins => $4), now() + make_interval(days => $5), $6)",
    )
    .bind(new_id())
    .bind(hash_token(&token))
    .bind(account.id)
    .bind(idle as i32)
    .bind(SESSION_ABSOLUTE_DAYS as i32)
    .bind(user_agent)
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
    let row: Option<(Uuid, Uuid, bool)> = sqlx::query_as(
        "SELECT s.id, s.user_id, s.last_seen_at < now() - interval '1 minute'
         FROM sessions s
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL
           AND s.idle_expires_at > now() AND s.expires_at > now()",
    )
    .bind(hash_token(token))
    .fetch_optional(pool)
    .await?;
    let Some((session_id, user_id, stale)) = row else {
        return Ok(None);
    };
    let Some(account) = account(pool, user_id).await? else {
        return Ok(None);
    };
    if stale {
        sqlx::query(
            "UPDATE sessions SET last_seen_at = now(),
                 idle_expires_at = least(expires_at, now() + make_interval(mins => $2))
             WHERE id = $1",
        )
        .bind(session_id)
        .bind(account.role().session_idle_minutes() as i32)
        .execute(pool)
        .await?;
    }
    Ok(Some((session_id, account)))
}

pub async fn end_session(pool: &PgPool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash_token(token))
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
pub async fn list_sessions(pool: &PgPool, user_id: Uuid) -> Result<Vec<SessionInfo>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, created_at, last_seen_at, user_agent FROM sessions
         WHERE user_id = $1 AND revoked_at IS NULL AND idle_expires_at > now() AND expires_at > now()
         ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// Revokes one of the owner's sessions; someone else's session id revokes nothing.
pub async fn revoke_session(
    pool: &PgPool,
    user_id: Uuid,
    session_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE sessions SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(session_id)
    .bind(user_id)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- staff accounts ----

pub struct StaffForm {
    pub name: String,
    pub mobile: String,
    pub email: String,
    pub password: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
}

/// Creates an account directly, without a one-time code: officials and admins appointed by an
/// admin, and demo accounts. The caller has checked that the actor may appoint this role in this
/// department; the database checks that role and department fit together.
pub async fn create_account(pool: &PgPool, form: StaffForm) -> Result<NewCitizen, Problem> {
    let mut problems = Vec::new();
    let needs_department = matches!(form.role, Role::Official | Role::DepartmentAdmin);
    if needs_department != form.department_id.is_some() {
        problems.push(FieldError::new("department", "err_department_required"));
    }
    let (name, mobile, email) = check_person(
        pool,
        &form.name,
        &form.mobile,
        &form.email,
        &form.password,
        problems,
    )
    .await?;
    let password_hash = hash_password(form.password).await?;
    let user_id = new_id();
    let mut tx = pool.begin().await?;
    let citizen_id = insert_user(
        &mut tx,
        user_id,
        NewUser {
            name: &name,
            mobile: mobile.as_str(),
            email: email.as_deref(),
            password_hash: &password_hash,
            role: form.role,
            department_id: form.department_id,
            locale: "en",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(NewCitizen {
        user_id,
        citizen_id,
    })
}

/// A staff member's role and department, to check who may act on them.
pub async fn staff_role(
    pool: &PgPool,
    user_id: Uuid,
) -> Result<Option<(Role, Option<Uuid>)>, sqlx::Error> {
    let row: Option<(String, Option<Uuid>)> =
        sqlx::query_as("SELECT role, department_id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(role, dept)| (Role::parse(&role).unwrap_or(Role::Citizen), dept)))
}

/// Takes a person's staff role away: they stay a citizen with their citizen id, and every session
/// they have ends at once, so a removed official cannot act on the next request. The caller has
/// checked that the actor may manage this person.
pub async fn remove_staff(pool: &PgPool, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let changed = sqlx::query("UPDATE users SET role = 'citizen', department_id = NULL WHERE id = $1 AND role <> 'citizen'")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(changed == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffMember {
    pub id: Uuid,
    pub citizen_id: String,
    pub name: String,
    pub role: String,
    pub department_id: Option<Uuid>,
    pub department_code: Option<String>,
}

/// Staff of one department, or of every department when `department_id` is None.
pub async fn list_staff(
    pool: &PgPool,
    department_id: Option<Uuid>,
) -> Result<Vec<StaffMember>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.citizen_id, u.name, u.role, u.department_id, d.code AS department_code
         FROM users u LEFT JOIN departments d ON d.id = u.department_id
         WHERE u.role <> 'citizen' AND ($1::uuid IS NULL OR u.department_id = $1)
         ORDER BY d.code NULLS FIRST, u.name",
    )
    .bind(department_id)
    .fetch_all(pool)
    .await
}
