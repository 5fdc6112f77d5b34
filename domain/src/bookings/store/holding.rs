//! Holding a slot, confirming it when paid, letting it go when the payment fails or the hold lapses.

use super::*;
use crate::applications::calendar::day_number;
use crate::applications::store::{from_date, today_in_india};
use crate::bookings::{day_bookable, State, HOLD_MINUTES};
use crate::history::Facts;
use crate::ids::{AccountId, DepartmentId};
use crate::money::Paise;
use crate::problem::Problem;
use sqlx::{Acquire, PgPool, Postgres, Transaction};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A slot held for a person to pay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub id: Uuid,
    pub number: String,
    /// the fee and the deposit
    pub amount: Paise,
    pub held_until: OffsetDateTime,
}

/// Holds slot `slot` (its place in the day's list) of `day` at `f` for `booker`, for
/// `HOLD_MINUTES`. Refused at `day` for a day that cannot be booked, at `slot` for one that has
/// begun, and `Conflict("err_slot_taken")` when someone holds or has it.
#[tracing::instrument(name = "bookings::hold", skip(pool, f), fields(facility = %f.slug))]
pub async fn hold(
    pool: &PgPool,
    f: &Facility,
    day: time::Date,
    slot: usize,
    booker: AccountId,
    now: OffsetDateTime,
) -> Result<Held, Problem> {
    let chosen = *f
        .slots
        .get(slot)
        .ok_or_else(|| Problem::field("slot", "err_booking_slot"))?;
    let closed = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM facility_blackouts WHERE facility_id = $1 AND day = $2) AS "closed!""#,
        f.id,
        day
    )
    .fetch_one(pool)
    .await?;
    day_bookable(
        day_number(from_date(day)),
        day_number(today_in_india(now)),
        f.ahead_days,
        closed,
    )
    .map_err(|why| Problem::field("day", why.code()))?;
    let (from, to) = span(day, chosen);
    if from <= now {
        return Err(Problem::field("slot", "err_booking_past"));
    }
    // asked again (a double click, a retry after the gateway was down): the same hold
    let mine = sqlx::query!(
        "SELECT id, number, held_until FROM bookings
         WHERE facility_id = $1 AND during = tstzrange($2, $3, '[)') AND state = 'held'
           AND booker_id = $4 AND held_until > $5",
        f.id,
        from,
        to,
        booker.uuid(),
        now
    )
    .fetch_optional(pool)
    .await?;
    if let Some(m) = mine {
        return Ok(Held {
            id: m.id,
            number: m.number,
            amount: Paise(f.fee.0 + f.deposit.0),
            held_until: m.held_until,
        });
    }
    let mut tx = pool.begin().await?;
    // a hold past its time frees its slot now, unless the person's bank is still deciding
    sqlx::query!(
        "UPDATE bookings b SET state = 'expired'
         WHERE facility_id = $1 AND state = 'held' AND held_until < $2
           AND during && tstzrange($3, $4, '[)')
           AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.purpose = 'booking'
                           AND p.subject_id = b.id AND p.state = 'pending')",
        f.id,
        now,
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    let serial = sqlx::query_scalar!(r#"SELECT nextval('booking_number_seq') AS "n!""#)
        .fetch_one(&mut *tx)
        .await?;
    let number = crate::reference::make(
        crate::bookings::NUMBER_PREFIX,
        today_in_india(now).0,
        serial as u64,
    );
    let id = crate::db::new_id();
    let held_until = now + Duration::minutes(HOLD_MINUTES);
    let inserted = sqlx::query!(
        "INSERT INTO bookings (id, number, facility_id, booker_id, during, state, held_until,
                               fee_paise, deposit_paise, created_at)
         VALUES ($1, $2, $3, $4, tstzrange($5, $6, '[)'), 'held', $7, $8, $9, $10)",
        id,
        number,
        f.id,
        booker.uuid(),
        from,
        to,
        held_until,
        f.fee.0,
        f.deposit.0,
        now
    )
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23P01") => {
            return Err(Problem::Conflict("err_slot_taken"));
        }
        other => {
            other?;
        }
    }
    let facts = Facts::new()
        .with("facility", &f.slug)
        .with("from", history::time_fact(from))
        .with("to", history::time_fact(to));
    record(&mut tx, id, 0, None, Some(booker), "held", facts, now).await?;
    tx.commit().await?;
    Ok(Held {
        id,
        number,
        amount: Paise(f.fee.0 + f.deposit.0),
        held_until,
    })
}

/// What held booking `number` asks `booker` to pay (its id, its department, the fee and the
/// deposit); not theirs, not found; a hold that lapsed, `Conflict("err_hold_lapsed")`.
pub async fn due(
    pool: &PgPool,
    number: &str,
    booker: AccountId,
    now: OffsetDateTime,
) -> Result<(Uuid, DepartmentId, Paise), Problem> {
    let b = by_number(pool, number)
        .await?
        .filter(|b| b.booker_id == Some(booker))
        .ok_or(Problem::NotFound)?;
    if b.state != State::Held || b.held_until <= now {
        return Err(Problem::Conflict(if b.state == State::Confirmed {
            "err_already_paid"
        } else {
            "err_hold_lapsed"
        }));
    }
    Ok((b.id, b.department_id, Paise(b.fee.0 + b.deposit.0)))
}

/// A booking's payment was credited: the booking is confirmed. A hold that lapsed is confirmed
/// only if its slot is still free (the database says); answers whether the money is wanted
/// (false: it is refunded).
pub async fn paid(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    receipt: &str,
    now: OffsetDateTime,
) -> Result<bool, Problem> {
    let b = sqlx::query!(
        r#"SELECT state AS "state: State", history_seq, history_head FROM bookings
           WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_one(&mut **tx)
    .await?;
    if !matches!(b.state, State::Held | State::Expired) {
        return Ok(false);
    }
    // in a savepoint: the exclusion constraint may refuse a lapsed hold whose slot is gone
    let mut confirm = (&mut *tx).begin().await?;
    let done = sqlx::query!(
        "UPDATE bookings SET state = 'confirmed', confirmed_at = $2 WHERE id = $1",
        id,
        now
    )
    .execute(&mut *confirm)
    .await;
    match done {
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23P01") => {
            confirm.rollback().await?;
            return Ok(false);
        }
        other => {
            other?;
            confirm.commit().await?;
        }
    }
    let facts = Facts::new().with("receipt", receipt);
    record(
        tx,
        id,
        b.history_seq,
        b.history_head,
        None,
        "confirmed",
        facts,
        now,
    )
    .await?;
    Ok(true)
}

/// A hold whose payment failed lets its slot go at once.
pub async fn release(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    let b = sqlx::query!(
        r#"UPDATE bookings SET state = 'expired', held_until = LEAST(held_until, $2)
           WHERE id = $1 AND state = 'held' RETURNING history_seq, history_head"#,
        id,
        now
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(b) = b {
        let facts = Facts::new().with("why", "payment_failed");
        record(
            tx,
            id,
            b.history_seq,
            b.history_head,
            None,
            "released",
            facts,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Lets holds past their time lapse (those whose UPI payment the bank is still deciding keep
/// their slot). Answers how many lapsed.
pub async fn expire_holds(pool: &PgPool, now: OffsetDateTime) -> Result<u64, Problem> {
    Ok(sqlx::query!(
        "UPDATE bookings b SET state = 'expired'
         WHERE state = 'held' AND held_until < $1
           AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.purpose = 'booking'
                           AND p.subject_id = b.id AND p.state = 'pending')",
        now
    )
    .execute(pool)
    .await?
    .rows_affected())
}
