//! Reading payments: a receipt (for its payer, the department it paid, and city admins), the
//! receipts of one thing paid for, the attempt under way, and a person's payments for their
//! export.

use crate::identity::{Actor, Role};
use crate::ids::{AccountId, DepartmentId};
use crate::money::Paise;
use crate::payments::{Purpose, State};
use crate::problem::Problem;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// A receipt as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub number: String,
    /// a refund's receipt (else the payment's)
    pub refund: bool,
    pub amount: Paise,
    pub issued_at: OffsetDateTime,
    pub purpose: Purpose,
    /// what was paid for, as people know it (an application's or a booking's number)
    pub paid_for: String,
    pub department_id: DepartmentId,
    pub department: String,
    pub payer_id: Option<AccountId>,
    pub payer_name: Option<String>,
    pub method: Option<String>,
    pub gateway: String,
    pub gateway_reference: Option<String>,
    /// the payment's receipt, on a refund's
    pub of_receipt: Option<String>,
}

/// Who may read a receipt: its payer, the department it paid, a city admin.
pub fn may_read(actor: &Actor, payer: Option<AccountId>, department: DepartmentId) -> bool {
    payer == Some(actor.user_id)
        || actor.role == Role::CityAdmin
        || (actor.role.is_staff() && actor.department_id == Some(department))
}

/// A receipt by its number, if `actor` may read it (else not found: a stranger learns nothing).
pub async fn receipt(
    pool: &PgPool,
    actor: &Actor,
    number: &str,
    locale: crate::Locale,
) -> Result<Receipt, Problem> {
    let r = sqlx::query!(
        r#"SELECT r.number, r.refund_id IS NOT NULL AS "refund!", r.amount_paise, r.issued_at,
                  p.purpose AS "purpose: Purpose", p.department_id, p.payer_id, p.method, p.gateway,
                  COALESCE(f.gateway_refund_id, p.gateway_payment_id) AS gateway_reference,
                  u.name AS "payer_name?",
                  COALESCE(dt.name, de.name) AS "department!",
                  COALESCE(a.number, b.number, bp.number) AS "paid_for?",
                  (SELECT o.number FROM receipts o WHERE o.payment_id = p.id AND o.refund_id IS NULL
                     AND r.refund_id IS NOT NULL) AS of_receipt
           FROM receipts r
           JOIN payments p ON p.id = r.payment_id
           LEFT JOIN refunds f ON f.id = r.refund_id
           LEFT JOIN users u ON u.id = p.payer_id
           JOIN department_translations de ON de.department_id = p.department_id AND de.locale = 'en'
           LEFT JOIN department_translations dt ON dt.department_id = p.department_id AND dt.locale = $2
           LEFT JOIN applications a ON a.id = p.subject_id AND p.purpose = 'application_fee'
           LEFT JOIN bookings b ON b.id = p.subject_id AND p.purpose = 'booking'
           LEFT JOIN bill_payments bp ON bp.id = p.subject_id AND p.purpose = 'bill'
           WHERE r.number = $1"#,
        number,
        locale.code(),
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Problem::NotFound)?;
    let payer = r.payer_id.map(AccountId::from);
    let department = DepartmentId::from(r.department_id);
    if !may_read(actor, payer, department) {
        return Err(Problem::NotFound);
    }
    Ok(Receipt {
        number: r.number,
        refund: r.refund,
        amount: Paise(r.amount_paise),
        issued_at: r.issued_at,
        purpose: r.purpose,
        paid_for: r.paid_for.unwrap_or_default(),
        department_id: department,
        department: r.department,
        payer_id: payer,
        payer_name: r.payer_name,
        method: r.method,
        gateway: r.gateway,
        gateway_reference: r.gateway_reference,
        of_receipt: r.of_receipt,
    })
}

/// A receipt in a list: its number, whether it is a refund's, the amount and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptLine {
    pub number: String,
    pub refund: bool,
    pub amount: Paise,
    pub issued_at: OffsetDateTime,
}

/// The receipts of everything paid for one thing, oldest first.
pub async fn receipts_of(
    pool: &PgPool,
    purpose: Purpose,
    subject: Uuid,
) -> Result<Vec<ReceiptLine>, Problem> {
    Ok(sqlx::query!(
        r#"SELECT r.number, r.refund_id IS NOT NULL AS "refund!", r.amount_paise, r.issued_at
           FROM receipts r JOIN payments p ON p.id = r.payment_id
           WHERE p.purpose = $1 AND p.subject_id = $2 ORDER BY r.issued_at, r.number"#,
        purpose.as_str(),
        subject
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| ReceiptLine {
        number: r.number,
        refund: r.refund,
        amount: Paise(r.amount_paise),
        issued_at: r.issued_at,
    })
    .collect())
}

/// The latest attempt to pay for one thing, and how it stands (the page says "we are waiting for
/// your bank" or "that payment failed").
pub async fn latest_of(
    pool: &PgPool,
    purpose: Purpose,
    subject: Uuid,
) -> Result<Option<(Uuid, State)>, Problem> {
    Ok(sqlx::query!(
        r#"SELECT id, state AS "state: State" FROM payments WHERE purpose = $1 AND subject_id = $2
           ORDER BY created_at DESC LIMIT 1"#,
        purpose.as_str(),
        subject
    )
    .fetch_optional(pool)
    .await?
    .map(|r| (r.id, r.state)))
}

/// A person's payments and refunds, for "Download my data".
pub async fn export_of(pool: &PgPool, account: AccountId) -> Result<serde_json::Value, Problem> {
    let rows = sqlx::query!(
        r#"SELECT p.purpose, p.amount_paise, p.refunded_paise, p.state, p.method, p.created_at,
                  p.captured_at, p.order_id,
                  ARRAY(SELECT r.number FROM receipts r WHERE r.payment_id = p.id
                        ORDER BY r.issued_at) AS "receipts!"
           FROM payments p WHERE p.payer_id = $1 ORDER BY p.created_at"#,
        account.uuid()
    )
    .fetch_all(pool)
    .await?;
    Ok(serde_json::Value::Array(
        rows.into_iter()
            .map(|r| {
                serde_json::json!({
                    "purpose": r.purpose, "amount_paise": r.amount_paise,
                    "refunded_paise": r.refunded_paise, "state": r.state, "method": r.method,
                    "started_at": r.created_at.unix_timestamp(),
                    "captured_at": r.captured_at.map(|t| t.unix_timestamp()),
                    "order": r.order_id, "receipts": r.receipts,
                })
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::named;

    #[test]
    fn a_receipt_is_its_payers_its_departments_and_the_citys() {
        let (bmc, watco) = (named("bmc"), named("watco"));
        let who = |id: &str, role, dept: Option<DepartmentId>| Actor {
            user_id: named(id),
            role,
            department_id: dept,
        };
        let payer = Some(named("payer"));
        assert!(may_read(&who("payer", Role::Citizen, None), payer, bmc));
        assert!(!may_read(&who("other", Role::Citizen, None), payer, bmc));
        assert!(may_read(
            &who("clerk", Role::Official, Some(bmc)),
            payer,
            bmc
        ));
        assert!(!may_read(
            &who("clerk", Role::Official, Some(watco)),
            payer,
            bmc
        ));
        assert!(may_read(&who("city", Role::CityAdmin, None), payer, bmc));
        // a closed account's payments stay the department's
        assert!(!may_read(&who("payer", Role::Citizen, None), None, bmc));
    }
}

/// An open payment of `payer`'s, as its checkout needs it: the order, what it is for, and the
/// page to come back to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToPay {
    pub order: crate::payments::gateway::Order,
    pub purpose: Purpose,
    /// the application's or the booking's number (what the checkout names)
    pub paid_for: String,
    /// the page of what it pays for
    pub back_to: String,
}

/// The payment `id` of `payer`'s that is still open, for its checkout (else not found; paid
/// already, `Conflict("err_already_paid")`).
pub async fn to_pay(pool: &PgPool, payer: AccountId, id: Uuid) -> Result<ToPay, Problem> {
    let p = sqlx::query!(
        r#"SELECT p.order_id, p.amount_paise, p.state AS "state: State", p.payer_id,
                  p.purpose AS "purpose: Purpose", COALESCE(a.number, b.number, bp.number) AS "paid_for?"
           FROM payments p
           LEFT JOIN applications a ON a.id = p.subject_id AND p.purpose = 'application_fee'
           LEFT JOIN bookings b ON b.id = p.subject_id AND p.purpose = 'booking'
           LEFT JOIN bill_payments bp ON bp.id = p.subject_id AND p.purpose = 'bill'
           WHERE p.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .filter(|p| p.payer_id == Some(payer.uuid()))
    .ok_or(Problem::NotFound)?;
    if p.state == State::Captured {
        return Err(Problem::Conflict("err_already_paid"));
    }
    let (Some(order), true) = (p.order_id, p.state.is_open()) else {
        return Err(Problem::NotFound);
    };
    let number = p.paid_for.unwrap_or_default();
    Ok(ToPay {
        order: crate::payments::gateway::Order {
            id: order,
            amount: Paise(p.amount_paise),
        },
        back_to: page_of(p.purpose, &number),
        purpose: p.purpose,
        paid_for: number,
    })
}

/// The page of what a payment is for.
pub fn page_of(purpose: Purpose, number: &str) -> String {
    match purpose {
        Purpose::ApplicationFee => format!("/applications/{number}"),
        Purpose::Booking => format!("/bookings/{number}"),
        Purpose::Bill => format!("/bills/payments/{number}"),
    }
}

/// The page of what an order pays for, where the browser goes after the checkout.
pub async fn page_of_order(pool: &PgPool, order_id: &str) -> Result<Option<String>, Problem> {
    Ok(sqlx::query!(
        r#"SELECT p.purpose AS "purpose: Purpose", COALESCE(a.number, b.number, bp.number) AS "number!"
           FROM payments p
           LEFT JOIN applications a ON a.id = p.subject_id AND p.purpose = 'application_fee'
           LEFT JOIN bookings b ON b.id = p.subject_id AND p.purpose = 'booking'
           LEFT JOIN bill_payments bp ON bp.id = p.subject_id AND p.purpose = 'bill'
           WHERE p.order_id = $1"#,
        order_id
    )
    .fetch_optional(pool)
    .await?
    .map(|r| page_of(r.purpose, &r.number)))
}
