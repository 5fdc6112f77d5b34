//! Kiosk filings: no account; a one-time code to the caller's mobile proves the number first.

use crate::db::new_id;
use crate::problem::Problem;
use crate::Locale;
use sqlx::PgPool;
use uuid::Uuid;

/// Keeps a kiosk filing aside and sends a code to `mobile`. `form` is the filing as the kiosk
/// will file it (opaque here).
pub async fn start_kiosk_filing(
    pool: &PgPool,
    key: &crate::sealed::DataKey,
    mobile: &crate::identity::MobileNumber,
    form: &str,
    locale: Locale,
    sms_text: impl Fn(&str) -> String,
) -> Result<Uuid, Problem> {
    let id = new_id();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO kiosk_filings (id, mobile, form, locale) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(mobile.as_str())
        .bind(form)
        .bind(locale.code())
        .execute(&mut *tx)
        .await?;
    crate::identity::store::issue_code(&mut tx, key, "kiosk", id, mobile, &sms_text).await?;
    tx.commit().await?;
    Ok(id)
}

/// A kiosk filing whose code was right: (mobile, form, locale), ready to file once.
pub struct ConfirmedKiosk {
    pub mobile: String,
    pub form: String,
    pub locale: Locale,
}

/// Checks the code of a kiosk filing; a wrong, spent or expired code is a problem at `code`.
pub async fn confirm_kiosk_filing(
    pool: &PgPool,
    key: &crate::sealed::DataKey,
    id: Uuid,
    code: &str,
) -> Result<ConfirmedKiosk, Problem> {
    let mut tx = pool.begin().await?;
    let row: Option<(String, String, String, Option<Uuid>)> = sqlx::query_as(
        "SELECT mobile, form, locale, grievance_id FROM kiosk_filings
         WHERE id = $1 AND created_at > now() - interval '1 hour' FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((mobile, form, locale, filed)) = row else {
        return Err(Problem::field("code", "err_registration_expired"));
    };
    if filed.is_some() {
        return Err(Problem::field("code", "err_code_used"));
    }
    if let Err(problem) = crate::identity::store::spend_code(&mut tx, key, id, code).await? {
        // the wrong guess is counted: keep it
        tx.commit().await?;
        return Err(Problem::field("code", problem));
    }
    tx.commit().await?;
    Ok(ConfirmedKiosk {
        mobile,
        form,
        locale: Locale::from_code(&locale).unwrap_or_default(),
    })
}

pub async fn kiosk_filed(pool: &PgPool, id: Uuid, grievance: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE kiosk_filings SET grievance_id = $2 WHERE id = $1")
        .bind(id)
        .bind(grievance)
        .execute(pool)
        .await?;
    Ok(())
}
