//! Cancelling a booking under its facility's rules, with the refund they give.

use super::*;
use crate::applications::calendar::day_number;
use crate::applications::store::{from_date, today_in_india};
use crate::bookings::{cancel_refund, CancelRules, State};
use crate::history::Facts;
use crate::ids::AccountId;
use crate::money::Paise;
use crate::payments::gateway::Gateway;
use crate::payments::{Purpose, RefundReason};
use crate::problem::Problem;
use sqlx::PgPool;
use time::OffsetDateTime;

/// What a cancellation did: the money going back (zero for a hold never paid).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cancelled {
    pub refund: Paise,
    pub receipt: Option<String>,
}

/// Cancels booking `number` for its booker, under its facility's rules: the deposit and the part
/// of the fee the rules give go back through the gateway. A booking whose time has begun, or that
/// is over or cancelled, is `Conflict("err_booking_not_cancellable")`.
#[tracing::instrument(name = "bookings::cancel", skip(pool, gateway))]
pub async fn cancel<G: Gateway>(
    pool: &PgPool,
    gateway: &G,
    number: &str,
    booker: AccountId,
    now: OffsetDateTime,
) -> Result<Cancelled, Problem> {
    let mut tx = pool.begin().await?;
    let b = sqlx::query!(
        r#"SELECT b.id, b.booker_id, b.state AS "state: State", lower(b.during) AS "from!",
                  b.fee_paise, b.deposit_paise, b.history_seq, b.history_head,
                  f.full_refund_days, f.half_refund_days
           FROM bookings b JOIN facilities f ON f.id = b.facility_id
           WHERE b.number = $1 FOR UPDATE OF b"#,
        number
    )
    .fetch_optional(&mut *tx)
    .await?
    .filter(|b| b.booker_id == Some(booker.uuid()))
    .ok_or(Problem::NotFound)?;
    let rules = CancelRules {
        full_refund_days: b.full_refund_days.into(),
        half_refund_days: b.half_refund_days.into(),
    };
    let fee = (Paise(b.fee_paise), Paise(b.deposit_paise));
    let back = refund_due(b.state, b.from, fee, rules, now)
        .ok_or(Problem::Conflict("err_booking_not_cancellable"))?;
    let days_ahead = days_before(b.from, now);
    sqlx::query!(
        "UPDATE bookings SET state = 'cancelled', cancelled_at = $2 WHERE id = $1",
        b.id,
        now
    )
    .execute(&mut *tx)
    .await?;
    let facts = Facts::new()
        .with("days_ahead", days_ahead)
        .with("refund_paise", back.0);
    record(
        &mut tx,
        b.id,
        b.history_seq,
        b.history_head,
        Some(booker),
        "cancelled",
        facts,
        now,
    )
    .await?;
    let payment = sqlx::query_scalar!(
        "SELECT id FROM payments WHERE purpose = $1 AND subject_id = $2 AND state = 'captured'",
        Purpose::Booking.as_str(),
        b.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let receipt = match (payment, back.0 > 0) {
        (Some(payment), true) => {
            crate::payments::store::refund(
                pool,
                gateway,
                payment,
                back,
                RefundReason::Cancelled,
                Some(booker),
                now,
            )
            .await?
            .receipt
        }
        _ => None,
    };
    Ok(Cancelled {
        refund: back,
        receipt,
    })
}

/// What cancelling `b` now would give back (none: it cannot be cancelled).
pub fn refund_if_cancelled(b: &Booking, rules: CancelRules, now: OffsetDateTime) -> Option<Paise> {
    refund_due(b.state, b.from, (b.fee, b.deposit), rules, now)
}

/// The days from today (in India) to the booked day.
fn days_before(from: OffsetDateTime, now: OffsetDateTime) -> i64 {
    day_number(from_date(from.to_offset(IST).date())) - day_number(today_in_india(now))
}

/// What a cancellation now gives back: nothing for a hold never paid, the rules' part of a paid
/// booking; none once it has begun, or if it is not live.
fn refund_due(
    state: State,
    from: OffsetDateTime,
    (fee, deposit): (Paise, Paise),
    rules: CancelRules,
    now: OffsetDateTime,
) -> Option<Paise> {
    match state {
        _ if from <= now => None,
        State::Held => Some(Paise(0)),
        State::Confirmed => Some(cancel_refund(rules, days_before(from, now), fee, deposit)),
        State::Cancelled | State::Expired => None,
    }
}
