//! Paying a bill: the amount checked against the biller's rule (`due`), the money through the
//! gateway as every payment (`payments::start`, credited by `payments::store::observe`, which
//! calls `paid`), then the biller told of it by a job (`tell`): BBPS's payment call, and its
//! status call when an earlier answer was lost. A biller that refuses has the money refunded.

use super::{current, last_bill, record, Bill, Current};
use crate::bills::biller::{Billers, Outcome, Told};
use crate::bills::{amount_allowed, retry_after_secs, BillerId, State, FRESH_MINUTES};
use crate::history::Facts;
use crate::ids::{AccountId, DepartmentId};
use crate::money::Paise;
use crate::payments::gateway::Gateway;
use crate::payments::RefundReason;
use crate::problem::{FieldError, Problem};
use sqlx::{PgPool, Postgres, Transaction};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A bill payment to be paid: what `payments::start` needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToPayBill {
    pub id: Uuid,
    pub number: String,
    pub department: DepartmentId,
    pub amount: Paise,
}

fn at_amount(code: &'static str) -> Problem {
    Problem::Invalid(vec![FieldError::new("amount", code)])
}

/// What is still due on `bill` once the payments already ours but not yet told to the biller are
/// taken off (so two payments of the same bill minutes apart do not both pay it in full).
async fn still_due(pool: &PgPool, bill: &Bill) -> Result<Paise, Problem> {
    let in_flight = sqlx::query_scalar!(
        r#"SELECT COALESCE(sum(amount_paise), 0)::bigint AS "n!" FROM bill_payments
           WHERE bill_id = $1 AND state = 'paid'"#,
        bill.id
    )
    .fetch_one(pool)
    .await?;
    Ok(Paise((bill.amount.0 - in_flight).max(0)))
}

/// A payment of `amount` (rupees as typed; empty: all that is due) against the current bill of a
/// consumer number the account has linked: refused at the amount's field when the biller's rule
/// does not allow it. A second "Pay" of the same amount finds the payment already begun.
pub async fn due(
    pool: &PgPool,
    billers: &Billers,
    payer: AccountId,
    biller: BillerId,
    consumer: &str,
    amount: &str,
    now: OffsetDateTime,
) -> Result<ToPayBill, Problem> {
    if !super::linked(pool, payer, biller, consumer).await? {
        return Err(Problem::NotFound);
    }
    let fresh = now - Duration::minutes(FRESH_MINUTES);
    let bill = match last_bill(pool, biller, consumer).await? {
        Some(b) if b.fetched_at > fresh => b,
        _ => match current(pool, billers, biller, consumer, now).await? {
            Current::Due(b) => b,
            Current::NothingDue(_) => return Err(at_amount("err_bill_nothing_due")),
            Current::Unreachable(_) => return Err(Problem::Conflict("err_biller_down")),
        },
    };
    let left = still_due(pool, &bill).await?;
    let amount = if amount.trim().is_empty() {
        left
    } else {
        Paise::parse_rupees(amount).ok_or_else(|| at_amount("err_bill_amount"))?
    };
    amount_allowed(bill.exactness, left, bill.minimum, amount).map_err(at_amount)?;
    let department = sqlx::query_scalar!(
        "SELECT id FROM departments WHERE code = $1",
        biller.department()
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Problem::unexpected("a biller's department is not in the catalogue"))?;
    let open = sqlx::query!(
        "SELECT bp.id, bp.number FROM bill_payments bp
         WHERE bp.bill_id = $1 AND bp.payer_id = $2 AND bp.amount_paise = $3 AND bp.state = 'paying'
           AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.purpose = 'bill' AND p.subject_id = bp.id
                           AND p.state IN ('failed', 'abandoned', 'captured'))
         ORDER BY bp.created_at DESC LIMIT 1",
        bill.id,
        payer.uuid(),
        amount.0
    )
    .fetch_optional(pool)
    .await?;
    let (id, number) = match open {
        Some(o) => (o.id, o.number),
        None => begin(pool, &bill, payer, department.into(), amount, now).await?,
    };
    Ok(ToPayBill {
        id,
        number,
        department: department.into(),
        amount,
    })
}

async fn begin(
    pool: &PgPool,
    bill: &Bill,
    payer: AccountId,
    department: DepartmentId,
    amount: Paise,
    now: OffsetDateTime,
) -> Result<(Uuid, String), Problem> {
    let id = crate::db::new_id();
    let mut tx = pool.begin().await?;
    let serial = sqlx::query_scalar!(r#"SELECT nextval('bill_payment_number_seq') AS "n!""#)
        .fetch_one(&mut *tx)
        .await?;
    let number = crate::reference::make(super::super::NUMBER_PREFIX, now.year(), serial as u64);
    sqlx::query!(
        "INSERT INTO bill_payments (id, number, bill_id, payer_id, department_id, amount_paise,
                                    state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'paying', $7)",
        id,
        number,
        bill.id,
        payer.uuid(),
        department.uuid(),
        amount.0,
        now
    )
    .execute(&mut *tx)
    .await?;
    let facts = Facts::new()
        .with("biller", bill.biller.code())
        .with("bill", &bill.number)
        .with("amount_paise", amount.0);
    record(&mut tx, id, 0, None, Some(payer), "started", facts, now).await?;
    tx.commit().await?;
    Ok((id, number))
}

/// A bill payment's money was credited: it is to be told to the biller (at once). Answers whether
/// the money is wanted (false: this bill payment was paid already, and it is refunded).
pub async fn paid(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    receipt: &str,
    now: OffsetDateTime,
) -> Result<bool, Problem> {
    let Some(b) = sqlx::query!(
        "UPDATE bill_payments SET state = 'paid', receipt_number = $2, paid_at = $3,
                                  next_try_at = $3
         WHERE id = $1 AND state IN ('paying', 'lapsed')
         RETURNING history_seq, history_head",
        id,
        receipt,
        now
    )
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(false);
    };
    let facts = Facts::new().with("receipt", receipt);
    record(
        tx,
        id,
        b.history_seq,
        b.history_head,
        None,
        "paid",
        facts,
        now,
    )
    .await?;
    Ok(true)
}

/// What telling the billers did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Telling {
    pub confirmed: usize,
    pub refused: usize,
    /// not answered, or not decided: asked again later
    pub later: usize,
}

/// Tells the billers of the payments that are ours and not yet theirs (the job `bill_payments`):
/// a first try pays; a later one asks the status first, in case the biller took it and the answer
/// was lost. A biller that is down or slow is asked again, less and less often. A payment the
/// biller refuses is refunded in full.
pub async fn tell<G: Gateway>(
    pool: &PgPool,
    billers: &Billers,
    gateway: &G,
    now: OffsetDateTime,
) -> Result<Telling, Problem> {
    // payments that never came: their bill payments lapse
    sqlx::query!(
        "UPDATE bill_payments bp SET state = 'lapsed'
         WHERE state = 'paying' AND created_at < $1
           AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.purpose = 'bill' AND p.subject_id = bp.id
                           AND p.state IN ('created', 'pending', 'captured'))",
        now - Duration::hours(1)
    )
    .execute(pool)
    .await?;
    let due = sqlx::query!(
        r#"SELECT bp.id, bp.number, bp.amount_paise, bp.attempts, b.biller, b.consumer_number,
                  b.bill_number, p.id AS "payment", COALESCE(p.method, 'UPI') AS "method!"
           FROM bill_payments bp
           JOIN bills b ON b.id = bp.bill_id
           JOIN payments p ON p.purpose = 'bill' AND p.subject_id = bp.id AND p.state = 'captured'
           WHERE bp.state = 'paid' AND bp.next_try_at <= $1
           ORDER BY bp.next_try_at LIMIT 20"#,
        now
    )
    .fetch_all(pool)
    .await?;
    let mut done = Telling::default();
    for row in due {
        let Some(biller) = BillerId::parse(&row.biller) else {
            continue;
        };
        // claimed for this try: another instance's run finds it not due
        let claimed = sqlx::query!(
            "UPDATE bill_payments SET attempts = attempts + 1, next_try_at = $3
             WHERE id = $1 AND attempts = $2 AND state = 'paid'",
            row.id,
            row.attempts,
            now + Duration::seconds(retry_after_secs(row.attempts + 1))
        )
        .execute(pool)
        .await?;
        if claimed.rows_affected() == 0 {
            continue;
        }
        let adapter = billers.get(biller);
        let told = Told {
            txn_ref: row.number.clone(),
            consumer: row.consumer_number.clone(),
            bill_number: row.bill_number.clone(),
            amount: Paise(row.amount_paise),
            method: row.method.clone(),
        };
        let outcome = if row.attempts == 0 {
            adapter.pay(&told).await
        } else {
            match adapter.status(&told.txn_ref).await {
                Ok(Outcome::NotYet) => adapter.pay(&told).await,
                other => other,
            }
        };
        match outcome {
            Ok(Outcome::Taken(reference)) => {
                settle(pool, row.id, State::Confirmed, &reference, now).await?;
                done.confirmed += 1;
            }
            Ok(Outcome::Refused(reason)) => {
                if settle(pool, row.id, State::Rejected, &reason, now).await? {
                    let amount = Paise(row.amount_paise);
                    let reason = RefundReason::BillerRefused;
                    crate::payments::store::refund(
                        pool,
                        gateway,
                        row.payment,
                        amount,
                        reason,
                        None,
                        now,
                    )
                    .await?;
                }
                done.refused += 1;
            }
            Ok(Outcome::NotYet) => done.later += 1,
            Err(e) => {
                tracing::warn!(biller = biller.code(), payment = %row.number, error = %e,
                               "a biller was not told of a payment now; it will be asked again");
                done.later += 1;
            }
        }
    }
    Ok(done)
}

/// Writes what the biller said of a payment (once): confirmed with its reference, or refused
/// with its reason. Answers whether this call wrote it.
async fn settle(
    pool: &PgPool,
    id: Uuid,
    state: State,
    said: &str,
    now: OffsetDateTime,
) -> Result<bool, Problem> {
    let mut tx = pool.begin().await?;
    let Some(b) = sqlx::query!(
        "UPDATE bill_payments
         SET state = $2, told_at = $4,
             biller_ref = CASE WHEN $2 = 'confirmed' THEN $3 END,
             refusal = CASE WHEN $2 = 'rejected' THEN $3 END
         WHERE id = $1 AND state = 'paid'
         RETURNING history_seq, history_head",
        id,
        state.as_str(),
        said,
        now
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    let (kind, fact) = match state {
        State::Confirmed => ("confirmed", "biller_ref"),
        _ => ("refused", "reason"),
    };
    let facts = Facts::new().with(fact, said);
    record(
        &mut tx,
        id,
        b.history_seq,
        b.history_head,
        None,
        kind,
        facts,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
