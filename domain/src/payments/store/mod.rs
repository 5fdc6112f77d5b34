//! Payments in Postgres, one file per concern: asking to pay and what the gateway says of it
//! (here), `refunds`, `ledger` (the double entry and the receipts), `reconcile` (asking the
//! gateway about what is still open) and `reading` (receipts and a person's payments).
//!
//! Nothing here holds a row lock while the gateway is asked: a command reads and decides in one
//! transaction, calls the gateway outside it, and writes what the gateway said in another, where
//! `super::step` decides again from the row as it stands then. So the browser's return, webhooks
//! in any order and number, and reconciliation can all arrive at once and the money is credited
//! once.

mod ledger;
mod reading;
mod reconcile;
mod refunds;

pub use ledger::*;
pub use reading::*;
pub use reconcile::*;
pub use refunds::*;

use super::gateway::{Gateway, GatewayError, NewOrder, Observed, Order};
use super::{step, Purpose, RefundReason, State, Step};
use crate::history::{self, Facts, Subject};
use crate::ids::{AccountId, DepartmentId};
use crate::money::Paise;
use crate::problem::Problem;
use sqlx::{PgPool, Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

crate::text_enum!(super::Purpose);
crate::text_enum!(super::State);
crate::text_enum!(super::RefundReason);

/// A person asks to pay for something.
#[derive(Clone, Debug)]
pub struct Asked {
    pub purpose: Purpose,
    pub subject: Uuid,
    pub payer: AccountId,
    pub department: DepartmentId,
    pub amount: Paise,
    /// the browser's key for this attempt (a double click sends the same)
    pub key: String,
    /// what the checkout shows
    pub description: String,
}

/// A payment under way: its id and the gateway's order to pay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Started {
    pub payment: Uuid,
    pub order: Order,
}

/// Starts paying, or finds the attempt already under way for this key or this thing: a double
/// click, a resent form and a second tab all land on one order. Whether the thing still wants
/// paying is its capability's to say first (`applications::store::fee_due`,
/// `bookings::store::due`); a payment that arrives for something paid meanwhile is refunded.
/// Refused when this key's attempt was paid (`Conflict("err_already_paid")`) or the gateway is not
/// answering (`Conflict("err_gateway_down")`: nothing was charged; the person tries again).
#[tracing::instrument(name = "payments::start", skip_all, fields(purpose = asked.purpose.as_str()))]
pub async fn start<G: Gateway>(
    pool: &PgPool,
    gateway: &G,
    asked: &Asked,
    now: OffsetDateTime,
) -> Result<Started, Problem> {
    if !(8..=100).contains(&asked.key.len()) || asked.amount.0 <= 0 {
        return Err(Problem::Conflict("err_payment_key"));
    }
    let (id, order) = match existing(pool, asked).await? {
        Some(found) => found,
        None => create(pool, gateway, asked, now).await?,
    };
    let order = match order {
        Some(order) => order,
        None => order_for(pool, gateway, id, asked).await?,
    };
    Ok(Started { payment: id, order })
}

/// The attempt this key (or, failing that, this thing) already has open.
async fn existing(pool: &PgPool, asked: &Asked) -> Result<Option<(Uuid, Option<Order>)>, Problem> {
    let found = sqlx::query!(
        r#"SELECT id, payer_id, subject_id, purpose AS "purpose: Purpose", state AS "state: State",
                  order_id, amount_paise
           FROM payments
           WHERE idempotency_key = $1
              OR (purpose = $2 AND subject_id = $3 AND state IN ('created', 'pending'))
           ORDER BY (idempotency_key = $1) DESC LIMIT 1"#,
        asked.key,
        asked.purpose.as_str(),
        asked.subject,
    )
    .fetch_optional(pool)
    .await?;
    let Some(p) = found else {
        return Ok(None);
    };
    if p.subject_id != asked.subject || p.purpose != asked.purpose {
        // a key reused for something else is not this attempt
        return Err(Problem::Conflict("err_payment_key"));
    }
    if p.payer_id != Some(asked.payer.uuid()) {
        // someone else is paying for it right now
        return Err(Problem::Conflict("err_payment_open_elsewhere"));
    }
    match p.state {
        State::Captured => Err(Problem::Conflict("err_already_paid")),
        State::Created | State::Pending => Ok(Some((
            p.id,
            p.order_id.map(|id| Order {
                id,
                amount: Paise(p.amount_paise),
            }),
        ))),
        // this key's attempt ended: a new one is asked with a new key
        State::Failed | State::Abandoned => Ok(None),
    }
}

async fn create<G: Gateway>(
    pool: &PgPool,
    gateway: &G,
    asked: &Asked,
    now: OffsetDateTime,
) -> Result<(Uuid, Option<Order>), Problem> {
    let id = crate::db::new_id();
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query_scalar!(
        "INSERT INTO payments (id, purpose, subject_id, payer_id, department_id, amount_paise,
                               state, idempotency_key, gateway, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'created', $7, $8, $9)
         ON CONFLICT DO NOTHING RETURNING id",
        id,
        asked.purpose.as_str(),
        asked.subject,
        asked.payer.uuid(),
        asked.department.uuid(),
        asked.amount.0,
        asked.key,
        gateway.name(),
        now,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_none() {
        // another request with this key, or for this thing, came first: use its attempt
        drop(tx);
        return existing(pool, asked)
            .await?
            .ok_or(Problem::Conflict("err_payment_key"));
    }
    let facts = Facts::new()
        .with("purpose", asked.purpose.as_str())
        .with("subject", asked.subject)
        .with("amount_paise", asked.amount.0);
    record(
        &mut tx,
        id,
        0,
        None,
        Some(asked.payer),
        "started",
        facts,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((id, None))
}

/// Asks the gateway for the attempt's order (once: a second request finds the first's).
async fn order_for<G: Gateway>(
    pool: &PgPool,
    gateway: &G,
    id: Uuid,
    asked: &Asked,
) -> Result<Order, Problem> {
    let order = gateway
        .create_order(&NewOrder {
            amount: asked.amount,
            receipt: id.to_string(),
            description: asked.description.clone(),
        })
        .await
        .map_err(gateway_problem)?;
    let kept = sqlx::query_scalar!(
        "UPDATE payments SET order_id = COALESCE(order_id, $2) WHERE id = $1 RETURNING order_id",
        id,
        order.id,
    )
    .fetch_one(pool)
    .await?;
    Ok(Order {
        id: kept.unwrap_or(order.id),
        amount: order.amount,
    })
}

/// What a gateway's refusal means to the person: try again later, nothing was charged.
pub(super) fn gateway_problem(e: GatewayError) -> Problem {
    tracing::warn!(error = %e, "payment gateway");
    Problem::Conflict("err_gateway_down")
}

/// What became of a payment after news of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settled {
    pub payment: Uuid,
    pub state: State,
    /// this news credited it (false: it was credited before, or is not captured)
    pub credited: bool,
}

/// The payment's row as a decision starts from it.
pub(super) struct Locked {
    pub id: Uuid,
    pub purpose: Purpose,
    pub subject_id: Uuid,
    pub department_code: String,
    pub amount_paise: i64,
    pub state: State,
    pub history_seq: i32,
    pub history_head: Option<Vec<u8>>,
}

pub(super) async fn lock_by_order(
    tx: &mut Transaction<'_, Postgres>,
    order_id: &str,
) -> Result<Option<Locked>, Problem> {
    let id = sqlx::query_scalar!("SELECT id FROM payments WHERE order_id = $1", order_id)
        .fetch_optional(&mut **tx)
        .await?;
    match id {
        Some(id) => Ok(Some(refunds::lock(tx, id).await?)),
        None => Ok(None),
    }
}

/// Applies what the gateway says of one payment of one of our orders: the one path for the
/// browser's return, webhooks and reconciliation. Captures what is authorized, credits what is
/// captured exactly once, and refunds in full a payment for something already paid.
#[tracing::instrument(name = "payments::observe", skip_all, fields(order = %seen.order_id, payment = %seen.id))]
pub async fn observe<G: Gateway>(
    pool: &PgPool,
    gateway: &G,
    seen: Observed,
    now: OffsetDateTime,
) -> Result<Settled, Problem> {
    let mut seen = seen;
    // at most: capture, then credit
    for _ in 0..3 {
        let mut tx = pool.begin().await?;
        let Some(p) = lock_by_order(&mut tx, &seen.order_id).await? else {
            tracing::warn!(order = %seen.order_id, "news of an order that is not ours");
            return Err(Problem::NotFound);
        };
        let done = |state, credited| Settled {
            payment: p.id,
            state,
            credited,
        };
        match step(p.state, seen.seen) {
            Step::Nothing => return Ok(done(p.state, false)),
            Step::MarkPending | Step::MarkFailed => {
                let state = if step(p.state, seen.seen) == Step::MarkPending {
                    State::Pending
                } else {
                    State::Failed
                };
                sqlx::query!(
                    "UPDATE payments SET state = $2, method = COALESCE($3, method), failure = $4
                     WHERE id = $1",
                    p.id,
                    state.as_str(),
                    seen.method,
                    seen.error,
                )
                .execute(&mut *tx)
                .await?;
                let facts = Facts::new()
                    .with("payment", &seen.id)
                    .with("method", seen.method.as_deref().unwrap_or(""));
                record_on(&mut tx, &p, None, state.as_str(), facts, now).await?;
                if state == State::Failed && p.purpose == Purpose::Booking {
                    // a failed payment leaves the slot free for others (a later success on the
                    // same order confirms it only if it is still free)
                    crate::bookings::store::release(&mut tx, p.subject_id, now).await?;
                }
                tx.commit().await?;
                return Ok(done(state, false));
            }
            Step::Capture => {
                drop(tx);
                seen = match gateway.capture(&seen.id, Paise(p.amount_paise)).await {
                    Ok(captured) => captured,
                    // already captured (by an earlier try whose answer was lost): ask what it is
                    Err(GatewayError::Refused(_)) => {
                        gateway.payment(&seen.id).await.map_err(gateway_problem)?
                    }
                    Err(e) => return Err(gateway_problem(e)),
                };
                if seen.seen == super::Seen::Authorized {
                    return Err(Problem::Conflict("err_gateway_down"));
                }
            }
            Step::Credit => {
                if seen.amount.0 != p.amount_paise {
                    tracing::error!(
                        paid = seen.amount.0,
                        asked = p.amount_paise,
                        "a captured amount differs from the order's"
                    );
                    return Err(Problem::unexpected("captured amount differs"));
                }
                let unwanted = credit(&mut tx, &p, &seen, now).await?;
                tx.commit().await?;
                if let Some(reason) = unwanted {
                    refund(
                        pool,
                        gateway,
                        p.id,
                        Paise(p.amount_paise),
                        reason,
                        None,
                        now,
                    )
                    .await?;
                }
                return Ok(done(State::Captured, true));
            }
        }
    }
    Err(Problem::Conflict("err_gateway_down"))
}

/// Credits a captured payment: its state, the ledger, its receipt and its history, and what it
/// paid for is marked paid. Answers why to give it back, if that thing no longer wanted paying
/// (a fee paid already; a hold that lapsed and lost its slot).
async fn credit(
    tx: &mut Transaction<'_, Postgres>,
    p: &Locked,
    seen: &Observed,
    now: OffsetDateTime,
) -> Result<Option<RefundReason>, Problem> {
    sqlx::query!(
        "UPDATE payments SET state = 'captured', gateway_payment_id = $2, method = $3,
                             failure = NULL, captured_at = $4
         WHERE id = $1",
        p.id,
        seen.id,
        seen.method,
        now,
    )
    .execute(&mut **tx)
    .await?;
    ledger::enter(
        tx,
        ledger::Movement::Captured,
        p,
        None,
        Paise(p.amount_paise),
        now,
    )
    .await?;
    let receipt = ledger::issue_receipt(tx, p.id, None, Paise(p.amount_paise), now).await?;
    let facts = Facts::new()
        .with("payment", &seen.id)
        .with("method", seen.method.as_deref().unwrap_or(""))
        .with("receipt", &receipt)
        .with("amount_paise", p.amount_paise);
    record_on(tx, p, None, "captured", facts, now).await?;
    let amount = Paise(p.amount_paise);
    Ok(match p.purpose {
        Purpose::ApplicationFee => {
            let due = crate::applications::store::fee_paid(tx, p.subject_id, amount, &receipt, now)
                .await?;
            (!due).then_some(RefundReason::PaidTwice)
        }
        Purpose::Booking => {
            let kept = crate::bookings::store::paid(tx, p.subject_id, &receipt, now).await?;
            (!kept).then_some(RefundReason::NotWanted)
        }
        Purpose::Bill => {
            let wanted = crate::bills::store::paid(tx, p.subject_id, &receipt, now).await?;
            (!wanted).then_some(RefundReason::PaidTwice)
        }
    })
}

/// Appends an entry to the payment's history and moves its head.
pub(super) async fn record_on(
    tx: &mut Transaction<'_, Postgres>,
    p: &Locked,
    actor: Option<AccountId>,
    kind: &str,
    facts: Facts,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    record(
        tx,
        p.id,
        p.history_seq,
        p.history_head.as_deref(),
        actor,
        kind,
        facts,
        now,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    seq: i32,
    head: Option<&[u8]>,
    actor: Option<AccountId>,
    kind: &str,
    facts: Facts,
    at: OffsetDateTime,
) -> Result<(), Problem> {
    let step = history::store::Step {
        subject: Subject::Payment,
        id,
        seq,
        head,
        actor,
        kind,
        facts,
        at,
    };
    Ok(history::store::record(tx, step).await?)
}

/// Whether a webhook event with this id was taken before (empty: never; the body decides).
pub async fn seen_event(pool: &PgPool, event_id: &str) -> Result<bool, Problem> {
    if event_id.is_empty() {
        return Ok(false);
    }
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM payment_webhook_events WHERE event_id = $1) AS "seen!""#,
        event_id
    )
    .fetch_one(pool)
    .await?)
}

/// Notes a webhook event as taken (kept a few days: the gateway retries for one).
pub async fn took_event(
    pool: &PgPool,
    event_id: &str,
    event: &str,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    if event_id.is_empty() || event_id.len() > 100 {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO payment_webhook_events (event_id, event, received_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        event_id,
        event,
        now
    )
    .execute(pool)
    .await?;
    Ok(())
}
