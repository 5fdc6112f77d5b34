//! The double-entry ledger and the receipts. Every movement of money is entries that sum to zero
//! (debit positive, credit negative); the database refuses a transaction that leaves one
//! unbalanced (a deferred constraint trigger) and any change to an entry once written.
//!
//! Accounts:
//! - `gateway:<name>`: what the gateway holds for the city (captured, not yet settled);
//! - `department:<code>:receipts`: what a department was paid;
//! - `gateway:<name>:fees` (with settlement): what the gateway kept.

use super::Locked;
use crate::money::Paise;
use crate::problem::Problem;
use sqlx::{PgExecutor, Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    /// the gateway captured a payment for a department
    Captured,
    /// a department gave money back through the gateway
    Refunded,
}

/// The account of what `department` was paid.
pub fn department_account(code: &str) -> String {
    format!("department:{}:receipts", code.to_ascii_lowercase())
}

pub fn gateway_account(gateway: &str) -> String {
    format!("gateway:{gateway}")
}

/// The entries of one movement of `amount`: who is debited (+) and who credited (−).
pub fn entries(
    movement: Movement,
    gateway: &str,
    department_code: &str,
    amount: Paise,
) -> [(String, i64); 2] {
    let (g, d) = (
        gateway_account(gateway),
        department_account(department_code),
    );
    match movement {
        Movement::Captured => [(g, amount.0), (d, -amount.0)],
        Movement::Refunded => [(d, amount.0), (g, -amount.0)],
    }
}

/// Writes one movement of `amount` for payment `p` (and refund `refund`).
pub(super) async fn enter(
    tx: &mut Transaction<'_, Postgres>,
    movement: Movement,
    p: &Locked,
    refund: Option<Uuid>,
    amount: Paise,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    let gateway: String = sqlx::query_scalar!("SELECT gateway FROM payments WHERE id = $1", p.id)
        .fetch_one(&mut **tx)
        .await?;
    let id = crate::db::new_id();
    for (account, paise) in entries(movement, &gateway, &p.department_code, amount) {
        sqlx::query!(
            "INSERT INTO ledger_entries (movement, account, amount_paise, payment_id, refund_id, at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            id,
            account,
            paise,
            p.id,
            refund,
            now,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A new numbered receipt for a payment (or one of its refunds).
pub(super) async fn issue_receipt(
    tx: &mut Transaction<'_, Postgres>,
    payment: Uuid,
    refund: Option<Uuid>,
    amount: Paise,
    now: OffsetDateTime,
) -> Result<String, Problem> {
    let serial = sqlx::query_scalar!(r#"SELECT nextval('receipt_number_seq') AS "n!""#)
        .fetch_one(&mut **tx)
        .await?;
    let (year, _, _) = crate::applications::store::today_in_india(now);
    let number = crate::reference::make(super::super::RECEIPT_PREFIX, year, serial as u64);
    sqlx::query!(
        "INSERT INTO receipts (number, payment_id, refund_id, amount_paise, issued_at)
         VALUES ($1, $2, $3, $4, $5)",
        number,
        payment,
        refund,
        amount.0,
        now,
    )
    .execute(&mut **tx)
    .await?;
    Ok(number)
}

/// What every account holds: the sum of its entries.
pub async fn balances(db: impl PgExecutor<'_>) -> Result<Vec<(String, i64)>, Problem> {
    Ok(sqlx::query!(
        r#"SELECT account, sum(amount_paise)::bigint AS "balance!" FROM ledger_entries
           GROUP BY account ORDER BY account"#
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.account, r.balance))
    .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_movement_sums_to_zero_and_a_refund_reverses_a_capture() {
        let c = entries(Movement::Captured, "razorpay", "BMC", Paise(5_000));
        let r = entries(Movement::Refunded, "razorpay", "BMC", Paise(5_000));
        assert_eq!(c.iter().map(|e| e.1).sum::<i64>(), 0);
        assert_eq!(r.iter().map(|e| e.1).sum::<i64>(), 0);
        assert_eq!(c[0], ("gateway:razorpay".to_string(), 5_000));
        assert_eq!(c[1], ("department:bmc:receipts".to_string(), -5_000));
        assert_eq!(r[0], ("department:bmc:receipts".to_string(), 5_000));
        assert_eq!(r[1], ("gateway:razorpay".to_string(), -5_000));
    }
}
