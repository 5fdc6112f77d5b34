//! Refunds: reserved on the payment's row under its lock (so two at once cannot give back more
//! than was paid), asked of the gateway outside any lock, and written when the gateway has done
//! it: the refund processed, the ledger, a receipt and the payment's history. A refund the gateway
//! did not answer stays pending, and reconciliation finishes it (finding it at the gateway by our
//! id first, so it is never made twice).

use super::{gateway_problem, ledger, record_on, Locked};
use crate::history::Facts;
use crate::ids::AccountId;
use crate::money::Paise;
use crate::payments::gateway::{Gateway, GatewayError, GatewayRefund};
use crate::payments::{refund_allowed, Purpose, RefundReason, State};
use crate::problem::Problem;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// A refund and how it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundDone {
    pub refund: Uuid,
    /// the receipt's number once the gateway has processed it
    pub receipt: Option<String>,
}

/// Gives `amount` of payment `payment` back, for `reason`, asked by `by` (none: the system).
/// Refused at `amount` when it is more than what is left to give back.
#[tracing::instrument(name = "payments::refund", skip(pool, gateway))]
pub async fn refund<G: Gateway>(
    pool: &PgPool,
    gateway: &G,
    payment: Uuid,
    amount: Paise,
    reason: RefundReason,
    by: Option<AccountId>,
    now: OffsetDateTime,
) -> Result<RefundDone, Problem> {
    let id = crate::db::new_id();
    let mut tx = pool.begin().await?;
    let p = sqlx::query!(
        r#"SELECT state AS "state: State", amount_paise, refunded_paise FROM payments
           WHERE id = $1 FOR UPDATE"#,
        payment
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Problem::NotFound)?;
    if p.state != State::Captured {
        return Err(Problem::Conflict("err_payment_not_captured"));
    }
    refund_allowed(p.amount_paise, p.refunded_paise, amount.0)
        .map_err(|code| Problem::field("amount", code))?;
    sqlx::query!(
        "UPDATE payments SET refunded_paise = refunded_paise + $2 WHERE id = $1",
        payment,
        amount.0
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO refunds (id, payment_id, amount_paise, reason, state, requested_by, created_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
        id,
        payment,
        amount.0,
        reason.as_str(),
        by.map(Uuid::from),
        now,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let receipt = process(pool, gateway, id, now).await?;
    Ok(RefundDone {
        refund: id,
        receipt,
    })
}

/// Asks the gateway for a pending refund (unless it has it already) and writes the outcome.
/// Answers the receipt's number once processed; `None` while the gateway has not answered.
pub async fn process<G: Gateway>(
    pool: &PgPool,
    gateway: &G,
    refund: Uuid,
    now: OffsetDateTime,
) -> Result<Option<String>, Problem> {
    let r = sqlx::query!(
        r#"SELECT r.amount_paise, r.state, p.gateway_payment_id AS "gateway_payment_id!"
           FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.id = $1"#,
        refund
    )
    .fetch_one(pool)
    .await?;
    if r.state != "pending" {
        return Ok(None);
    }
    let ours = refund.to_string();
    let at_gateway = match gateway.refunds_of(&r.gateway_payment_id).await {
        Ok(all) => all
            .into_iter()
            .find(|g| g.ours.as_deref() == Some(ours.as_str())),
        Err(e) => {
            tracing::warn!(error = %e, "the gateway's refunds could not be read; the refund stays pending");
            return Ok(None);
        }
    };
    let done = match at_gateway {
        Some(found) => found,
        None => match gateway
            .refund(&r.gateway_payment_id, Paise(r.amount_paise), &ours)
            .await
        {
            Ok(done) => done,
            Err(GatewayError::Refused(why)) => {
                fail(pool, refund, &why).await?;
                return Err(Problem::Conflict("err_refund_refused"));
            }
            Err(e @ GatewayError::Unavailable(_)) => {
                // reconciliation will ask again
                let _ = gateway_problem(e);
                return Ok(None);
            }
        },
    };
    if !done.processed {
        return Ok(None);
    }
    processed(pool, refund, &done, now).await.map(Some)
}

/// Writes a refund the gateway processed: exactly once, whoever gets here first.
async fn processed(
    pool: &PgPool,
    refund: Uuid,
    done: &GatewayRefund,
    now: OffsetDateTime,
) -> Result<String, Problem> {
    let mut tx = pool.begin().await?;
    let r = sqlx::query!(
        "SELECT payment_id, amount_paise, state FROM refunds WHERE id = $1 FOR UPDATE",
        refund
    )
    .fetch_one(&mut *tx)
    .await?;
    if r.state == "processed" {
        let number: String =
            sqlx::query_scalar!("SELECT number FROM receipts WHERE refund_id = $1", refund)
                .fetch_one(&mut *tx)
                .await?;
        return Ok(number);
    }
    let p = lock(&mut tx, r.payment_id).await?;
    sqlx::query!(
        "UPDATE refunds SET state = 'processed', gateway_refund_id = $2, processed_at = $3 WHERE id = $1",
        refund,
        done.id,
        now
    )
    .execute(&mut *tx)
    .await?;
    let amount = Paise(r.amount_paise);
    ledger::enter(
        &mut tx,
        ledger::Movement::Refunded,
        &p,
        Some(refund),
        amount,
        now,
    )
    .await?;
    let receipt = ledger::issue_receipt(&mut tx, p.id, Some(refund), amount, now).await?;
    let facts = Facts::new()
        .with("refund", &done.id)
        .with("receipt", &receipt)
        .with("amount_paise", amount.0);
    record_on(&mut tx, &p, None, "refunded", facts, now).await?;
    if p.purpose == Purpose::ApplicationFee {
        crate::applications::store::fee_refunded(&mut tx, p.subject_id, amount, &receipt, now)
            .await?;
    }
    tx.commit().await?;
    Ok(receipt)
}

/// The gateway said no for good: the refund failed and its amount is free to give back again.
async fn fail(pool: &PgPool, refund: Uuid, why: &str) -> Result<(), Problem> {
    tracing::error!(%refund, why, "the gateway refused a refund");
    let mut tx = pool.begin().await?;
    let r = sqlx::query!(
        "UPDATE refunds SET state = 'failed' WHERE id = $1 AND state = 'pending'
         RETURNING payment_id, amount_paise",
        refund
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(r) = r {
        sqlx::query!(
            "UPDATE payments SET refunded_paise = refunded_paise - $2 WHERE id = $1",
            r.payment_id,
            r.amount_paise
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn lock(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    payment: Uuid,
) -> Result<Locked, Problem> {
    Ok(sqlx::query_as!(
        Locked,
        r#"SELECT p.id, p.purpose AS "purpose: Purpose", p.subject_id,
                  d.code AS department_code, p.amount_paise, p.state AS "state: State",
                  p.history_seq, p.history_head
           FROM payments p JOIN departments d ON d.id = p.department_id
           WHERE p.id = $1 FOR UPDATE OF p"#,
        payment
    )
    .fetch_one(&mut **tx)
    .await?)
}
