//! Reconciliation: nothing stays "pending" for ever. A job asks the gateway about every payment
//! still open a minute after it began (at most once a minute each) and applies what it says
//! through `observe`; an order nobody paid ends `abandoned` (or `failed`, if every try failed)
//! once it has lapsed, unless the bank is still deciding a try. Refunds the gateway did not
//! answer are asked again.

use super::{observe, record_on, refunds};
use crate::history::Facts;
use crate::payments::gateway::Gateway;
use crate::payments::{Seen, State, ORDER_MINUTES};
use crate::problem::Problem;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How many payments and refunds one run looked at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    pub payments: usize,
    pub refunds: usize,
}

#[tracing::instrument(name = "payments::reconcile", skip_all)]
pub async fn reconcile<G: Gateway>(
    pool: &PgPool,
    gateway: &G,
    now: OffsetDateTime,
) -> Result<Reconciled, Problem> {
    let minute_ago = now - Duration::minutes(1);
    // claimed by stamping them, so two instances do not ask about the same payment at once
    let due = sqlx::query!(
        r#"UPDATE payments SET checked_at = $1 WHERE id IN (
               SELECT id FROM payments
               WHERE state IN ('created', 'pending') AND created_at < $2
                 AND (checked_at IS NULL OR checked_at < $2)
               ORDER BY checked_at NULLS FIRST, created_at LIMIT 20
               FOR UPDATE SKIP LOCKED)
           RETURNING id, order_id, created_at"#,
        now,
        minute_ago,
    )
    .fetch_all(pool)
    .await?;
    let mut done = Reconciled::default();
    for p in due {
        done.payments += 1;
        let lapsed = now - p.created_at > Duration::minutes(ORDER_MINUTES);
        let Some(order) = p.order_id else {
            // the gateway never made its order: nothing could be paid
            if lapsed {
                end(pool, p.id, State::Abandoned, now).await?;
            }
            continue;
        };
        let seen = match gateway.payments_of(&order).await {
            Ok(seen) => seen,
            Err(e) => {
                tracing::warn!(error = %e, %order, "reconciliation could not ask the gateway");
                continue;
            }
        };
        let deciding = seen
            .iter()
            .any(|s| matches!(s.seen, Seen::Waiting | Seen::Authorized));
        let any_failed = seen.iter().any(|s| s.seen == Seen::Failed);
        for s in seen {
            if let Err(e) = observe(pool, gateway, s, now).await {
                tracing::warn!(error = %e, %order, "reconciliation could not settle a payment");
            }
        }
        if lapsed && !deciding {
            let state = if any_failed {
                State::Failed
            } else {
                State::Abandoned
            };
            end(pool, p.id, state, now).await?;
        }
    }
    let refunds = sqlx::query_scalar!(
        "SELECT id FROM refunds WHERE state = 'pending' AND created_at < $1
         ORDER BY created_at LIMIT 20",
        now - Duration::seconds(30)
    )
    .fetch_all(pool)
    .await?;
    for r in refunds {
        done.refunds += 1;
        if let Err(e) = refunds::process(pool, gateway, r, now).await {
            tracing::warn!(error = %e, refund = %r, "reconciliation could not finish a refund");
        }
    }
    Ok(done)
}

/// Ends a payment nobody paid (if it is still open).
async fn end(
    pool: &PgPool,
    payment: Uuid,
    state: State,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    let mut tx = pool.begin().await?;
    let p = refunds::lock(&mut tx, payment).await?;
    if !p.state.is_open() {
        return Ok(());
    }
    sqlx::query!(
        "UPDATE payments SET state = $2 WHERE id = $1",
        payment,
        state.as_str()
    )
    .execute(&mut *tx)
    .await?;
    record_on(&mut tx, &p, None, state.as_str(), Facts::new(), now).await?;
    tx.commit().await?;
    Ok(())
}
