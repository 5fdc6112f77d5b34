//! Closing an account (DPDP Act 2023, s. 12: erasure). What is personal goes: the account, its
//! sessions and devices, its codes and messages, its words in the history (the chains still
//! verify: `history::store::erase_words_of`). What the city must keep is kept without the
//! person: the grievances they filed stay as the city's record with no name or contact, and a
//! closed one loses its words and the photos filed with it. Each capability that keeps personal
//! data adds its erasure here.

use super::super::rules::Role;
use super::accounts::{sign_in_key, Account};
use super::passwords::verify_password;
use crate::grievances::store::OPEN;
use crate::history;
use crate::notifications;
use crate::problem::Problem;
use crate::throttle;
use sqlx::PgPool;

/// What a closure did, for the person's confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closed {
    /// Grievances that stay as the city's record, without the person.
    pub grievances_kept: u64,
}

/// Closes `account` once its password is given again. Staff close nothing here: whoever
/// manages them removes them from staff first. `removed` replaces a closed grievance's words;
/// `told` is the last message, sent to the mobile number as it goes.
pub async fn close_account(
    pool: &PgPool,
    account: &Account,
    password: &str,
    removed: &str,
    told: &str,
) -> Result<Closed, Problem> {
    if account.role != Role::Citizen {
        return Err(Problem::field("password", "err_close_staff"));
    }
    // The password again, under the sign-in's own limit: a stolen session is no oracle.
    let now = time::OffsetDateTime::now_utc();
    let tried = throttle::hit(pool, &sign_in_key(&account.mobile), throttle::SIGN_IN, now).await?;
    if let Some(refusal) = tried.refusal("password", "err_sign_in_throttled") {
        return Err(refusal);
    }
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(account.id)
        .fetch_one(pool)
        .await?;
    if !verify_password(password.to_string(), hash).await? {
        return Err(Problem::field("password", "err_password_wrong"));
    }
    let id = account.id;
    let mut tx = pool.begin().await?;
    history::store::erase_words_of(&mut *tx, id).await?;
    crate::applications::store::forget_applicant(&mut tx, id).await?;
    // Photos filed with a grievance that is over; the open ones keep theirs while they are worked.
    sqlx::query(&format!(
        "DELETE FROM grievance_photos p USING grievances g
         WHERE p.grievance_id = g.id AND g.filer_id = $1 AND p.history_seq = 1
           AND g.status NOT IN {OPEN}"
    ))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let kept = sqlx::query(&format!(
        "UPDATE grievances SET filer_id = NULL, contact_name = '', contact_mobile = NULL, contact_email = NULL,
             description = CASE WHEN status IN {OPEN} THEN description ELSE $2 END,
             rating_comment = NULL
         WHERE filer_id = $1"
    ))
    .bind(id)
    .bind(removed)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // What was filed with their number but not under the account (SMS, IVRS, the kiosk, the
    // call centre) loses the contact too.
    let kept_by_number = sqlx::query(
        "UPDATE grievances SET contact_name = '', contact_mobile = NULL, contact_email = NULL
         WHERE filer_id IS NULL AND (contact_mobile = $1 OR contact_email = $2)",
    )
    .bind(&account.mobile)
    .bind(account.email.as_deref())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    for statement in [
        // messages to them by SMS, email or push (a push notice names the account)
        "DELETE FROM notifications WHERE recipient IN ($2, $3, $1::text)",
        "DELETE FROM one_time_codes WHERE mobile = $2",
        "DELETE FROM kiosk_filings WHERE mobile = $2",
        "DELETE FROM pending_registrations WHERE mobile = $2 OR completed_user = $1",
        "DELETE FROM throttles WHERE key IN ($4, $5)",
        // its security history stays (references only), no longer named by the citizen id
        "UPDATE account_chains SET label = 'closed account' WHERE id = $1",
        "DELETE FROM users WHERE id = $1",
    ] {
        sqlx::query(statement)
            .bind(id)
            .bind(&account.mobile)
            .bind(account.email.as_deref())
            .bind(sign_in_key(&account.mobile))
            .bind(sign_in_key(&account.citizen_id))
            .execute(&mut *tx)
            .await?;
    }
    notifications::enqueue(
        &mut *tx,
        notifications::Channel::Sms,
        &account.mobile,
        "",
        told,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(target: "security", account = %id, grievances_kept = kept, "account closed at its owner's request");
    Ok(Closed {
        grievances_kept: kept + kept_by_number,
    })
}
