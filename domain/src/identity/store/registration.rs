//! Registration: a person's details are checked, a one-time code goes to their mobile, and the
//! code confirms them into an account with a citizen id. The codes also serve the kiosk.

use super::super::rules::*;
use super::super::CitizenId;
use super::passwords::{hash_password, password_problem};
use crate::db::new_id;
use crate::ids::{AccountId, DepartmentId};
use crate::notifications;
use crate::problem::{FieldError, Problem};
use crate::sealed::DataKey;
use crate::throttle;
use crate::Locale;
use rand::Rng;
use sqlx::PgPool;
use uuid::Uuid;

/// Checks a person's details field by field (adding to `problems` found by the caller), and with
/// `refuse_taken` that the mobile number is not registered yet (for an admin appointing staff:
/// registration itself must not tell a stranger which numbers are registered); the cleaned name,
/// mobile and email when all pass.
pub(super) async fn check_person(
    pool: &PgPool,
    name: &str,
    mobile: &str,
    email: &str,
    password: &str,
    mut problems: Vec<FieldError>,
    refuse_taken: bool,
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
    if let Some(m) = mobile_ok.as_ref().filter(|_| refuse_taken) {
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
///
/// A number that already has an account is answered exactly as a new one (so the form does not
/// tell a stranger who is registered), but its SMS holds no code: it is `already_registered`,
/// telling the owner to sign in or reset their password. The code kept for it is never sent, and
/// the number's send limit and the city's budget count it as any other.
pub async fn start_registration(
    pool: &PgPool,
    key: &DataKey,
    form: RegistrationForm,
    sms_text: impl Fn(&str) -> String,
    already_registered: &str,
) -> Result<StartedRegistration, Problem> {
    let (name, mobile, email) = check_person(
        pool,
        &form.name,
        &form.mobile,
        &form.email,
        &form.password,
        Vec::new(),
        false,
    )
    .await?;
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE mobile = $1)")
        .bind(mobile.as_str())
        .fetch_one(pool)
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
    let words = |code: &str| {
        if taken {
            already_registered.to_string()
        } else {
            sms_text(code)
        }
    };
    issue_code(&mut tx, key, "register", registration_id, &mobile, &words).await?;
    tx.commit().await?;
    Ok(StartedRegistration {
        registration_id,
        mobile,
    })
}

/// A code's digest, keyed with the data key: six digits hashed without a key are found from
/// their hash in a million tries by whoever reads the table.
fn hash_code(key: &DataKey, subject: Uuid, code: &str) -> Vec<u8> {
    key.digest("one-time code", &[subject.as_bytes(), code.as_bytes()])
}

/// The throttle key of the city-wide budget for one-time codes.
pub const CODE_SMS_KEY: &str = "code-sms:city";

/// Sends a new code for `subject` (a registration, a kiosk filing) unless the mobile number has
/// had its share in the window, or the city its budget for the hour (`throttle::CODE_SMS`).
pub async fn issue_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    key: &DataKey,
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
    // The city's budget for codes, shared by every instance and every number.
    let now = time::OffsetDateTime::now_utc();
    if let throttle::Throttled::Wait(_) =
        throttle::hit(&mut **tx, CODE_SMS_KEY, throttle::CODE_SMS, now).await?
    {
        tracing::warn!("the city-wide budget for one-time codes is spent: codes wait");
        return Err(Problem::field("code", "err_code_budget_spent"));
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32));
    sqlx::query(
        "INSERT INTO one_time_codes (id, purpose, mobile, registration_id, subject_id, code_hash, expires_at)
         VALUES ($1, $6, $2, CASE WHEN $6 = 'register' THEN $3 END, $3, $4, now() + make_interval(mins => $5))",
    )
    .bind(new_id())
    .bind(mobile.as_str())
    .bind(subject)
    .bind(hash_code(key, subject, &code))
    .bind(OTP_VALID_MINUTES as i32)
    .bind(purpose)
    .execute(&mut **tx)
    .await?;
    notifications::enqueue_secret(
        &mut **tx,
        mobile.as_str(),
        &sms_text(&code),
        now + time::Duration::minutes(OTP_VALID_MINUTES),
    )
    .await?;
    Ok(())
}

/// Checks `input` against the newest code sent for `subject` and spends it when it matches.
/// A wrong guess is counted in `tx`: the caller commits before reporting the returned problem.
pub async fn spend_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    key: &DataKey,
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
    if hash_code(key, subject, &code) != code_hash {
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
    key: &DataKey,
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
    issue_code(
        &mut tx,
        key,
        "register",
        registration_id,
        &mobile,
        &sms_text,
    )
    .await?;
    tx.commit().await?;
    Ok(mobile)
}

#[derive(Debug, Clone)]
pub struct NewCitizen {
    pub user_id: AccountId,
    pub citizen_id: CitizenId,
}

/// Step two: the code proves the mobile number; the account is created with a fresh citizen id.
pub async fn confirm_registration(
    pool: &PgPool,
    key: &DataKey,
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
    if let Err(problem) = spend_code(&mut tx, key, registration_id, code_input).await? {
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
        user_id.into(),
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
        user_id: user_id.into(),
        citizen_id,
    })
}

pub(super) struct NewUser<'a> {
    pub name: &'a str,
    pub mobile: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    pub locale: &'a str,
}

/// Inserts a person with a random citizen id, drawing again on the rare collision.
pub(super) async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    user_id: AccountId,
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
