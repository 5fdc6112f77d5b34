//! Reading bills: a person's linked consumer numbers with their last bills, a consumer number's
//! bills and the person's payments of them, one bill payment's page (for its payer and its
//! department), and the export.

use super::{last_bill, Bill};
use crate::bills::{BillerId, Exactness, State};
use crate::identity::Actor;
use crate::ids::{AccountId, DepartmentId};
use crate::money::Paise;
use crate::problem::Problem;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// A consumer number on a person's account, with its last bill known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linked {
    pub biller: BillerId,
    pub consumer: String,
    pub nickname: String,
    pub last: Option<Bill>,
}

/// The consumer numbers `account` has linked, in the order linked.
pub async fn links_of(pool: &PgPool, account: AccountId) -> Result<Vec<Linked>, Problem> {
    let rows = sqlx::query!(
        "SELECT biller, consumer_number, nickname FROM bill_links
         WHERE account_id = $1 ORDER BY linked_at, biller, consumer_number",
        account.uuid()
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(biller) = BillerId::parse(&r.biller) else {
            continue;
        };
        out.push(Linked {
            last: last_bill(pool, biller, &r.consumer_number).await?,
            biller,
            consumer: r.consumer_number,
            nickname: r.nickname,
        });
    }
    Ok(out)
}

/// The bills fetched for a consumer number, newest first.
pub async fn bills_of(
    pool: &PgPool,
    biller: BillerId,
    consumer: &str,
) -> Result<Vec<Bill>, Problem> {
    let rows = sqlx::query!(
        "SELECT id, bill_number, customer_name, period, bill_date, due_date, amount_paise,
                exactness, minimum_paise, fetched_at
         FROM bills WHERE biller = $1 AND consumer_number = $2
         ORDER BY bill_date DESC NULLS LAST, fetched_at DESC LIMIT 24",
        biller.code(),
        consumer
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|b| Bill {
            id: b.id,
            biller,
            consumer: consumer.to_string(),
            number: b.bill_number,
            customer_name: b.customer_name,
            period: b.period,
            bill_date: b.bill_date,
            due_date: b.due_date,
            amount: Paise(b.amount_paise),
            exactness: Exactness::parse(&b.exactness).unwrap_or(Exactness::Exact),
            minimum: Paise(b.minimum_paise),
            fetched_at: b.fetched_at,
        })
        .collect())
}

/// A payment against a bill, as its page and a history list show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillPayment {
    pub id: Uuid,
    pub number: String,
    pub biller: BillerId,
    pub consumer: String,
    pub bill_number: String,
    pub period: String,
    pub amount: Paise,
    pub state: State,
    /// the payment at the gateway: still open there (the person may go back to pay)
    pub payment: Option<Uuid>,
    pub payment_open: bool,
    pub receipt: Option<String>,
    pub biller_ref: Option<String>,
    pub refusal: Option<String>,
    pub payer_id: Option<AccountId>,
    pub department_id: DepartmentId,
    pub created_at: OffsetDateTime,
}

macro_rules! bill_payments {
    ($where:literal, $($arg:expr),*) => {
        sqlx::query!(
            r#"SELECT bp.id, bp.number, b.biller, b.consumer_number, b.bill_number, b.period,
                      bp.amount_paise, bp.state AS "state: State", bp.receipt_number,
                      bp.biller_ref, bp.refusal, bp.payer_id, bp.created_at, bp.department_id,
                      p.id AS "payment?", p.state AS "payment_state?"
               FROM bill_payments bp
               JOIN bills b ON b.id = bp.bill_id
               LEFT JOIN LATERAL (SELECT id, state FROM payments
                                  WHERE purpose = 'bill' AND subject_id = bp.id
                                  ORDER BY created_at DESC LIMIT 1) p ON true
               WHERE "# + $where,
            $($arg),*
        )
    };
}

macro_rules! to_payment {
    ($r:expr) => {{
        let r = $r;
        BillPayment {
            id: r.id,
            number: r.number,
            biller: BillerId::parse(&r.biller).unwrap_or(BillerId::Watco),
            consumer: r.consumer_number,
            bill_number: r.bill_number,
            period: r.period,
            amount: Paise(r.amount_paise),
            state: r.state,
            payment: r.payment,
            payment_open: matches!(r.payment_state.as_deref(), Some("created" | "pending")),
            receipt: r.receipt_number,
            biller_ref: r.biller_ref,
            refusal: r.refusal,
            payer_id: r.payer_id.map(Into::into),
            department_id: r.department_id.into(),
            created_at: r.created_at,
        }
    }};
}

/// `payer`'s payments of a consumer number's bills, newest first.
pub async fn payments_of(
    pool: &PgPool,
    payer: AccountId,
    biller: BillerId,
    consumer: &str,
) -> Result<Vec<BillPayment>, Problem> {
    let rows = bill_payments!(
        "bp.payer_id = $1 AND b.biller = $2 AND b.consumer_number = $3 AND bp.state <> 'lapsed'
         ORDER BY bp.created_at DESC LIMIT 50",
        payer.uuid(),
        biller.code(),
        consumer
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| to_payment!(r)).collect())
}

/// A bill payment by its number, for its payer, its biller's department and the city (else
/// not found: a stranger learns nothing).
pub async fn payment(pool: &PgPool, actor: &Actor, number: &str) -> Result<BillPayment, Problem> {
    let row = bill_payments!("bp.number = $1", number)
        .fetch_optional(pool)
        .await?
        .ok_or(Problem::NotFound)?;
    let p = to_payment!(row);
    if !crate::payments::store::may_read(actor, p.payer_id, p.department_id) {
        return Err(Problem::NotFound);
    }
    Ok(p)
}

/// A person's linked consumer numbers and bill payments, for their export.
pub async fn export_of(pool: &PgPool, account: AccountId) -> Result<serde_json::Value, Problem> {
    let links = sqlx::query!(
        "SELECT biller, consumer_number, nickname, linked_at FROM bill_links
         WHERE account_id = $1 ORDER BY linked_at",
        account.uuid()
    )
    .fetch_all(pool)
    .await?;
    let paid = sqlx::query!(
        "SELECT bp.number, b.biller, b.consumer_number, b.bill_number, bp.amount_paise, bp.state,
                bp.receipt_number, bp.biller_ref, bp.created_at
         FROM bill_payments bp JOIN bills b ON b.id = bp.bill_id
         WHERE bp.payer_id = $1 ORDER BY bp.created_at",
        account.uuid()
    )
    .fetch_all(pool)
    .await?;
    Ok(serde_json::json!({
        "linked": links.into_iter().map(|l| serde_json::json!({
            "biller": l.biller, "consumer_number": l.consumer_number, "nickname": l.nickname,
            "linked_at": l.linked_at.unix_timestamp(),
        })).collect::<Vec<_>>(),
        "payments": paid.into_iter().map(|p| serde_json::json!({
            "number": p.number, "biller": p.biller, "consumer_number": p.consumer_number,
            "bill_number": p.bill_number, "amount_paise": p.amount_paise, "state": p.state,
            "receipt": p.receipt_number, "biller_ref": p.biller_ref,
            "paid_at": p.created_at.unix_timestamp(),
        })).collect::<Vec<_>>(),
    }))
}
