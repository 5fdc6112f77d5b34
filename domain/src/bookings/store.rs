//! Bookings in Postgres: a facility as people book it, holding a slot (the exclusion constraint
//! refuses an overlap, so of any number of people asking at once one holds it), confirming it
//! when its payment is credited (`paid`, from `payments::store`), letting unpaid holds lapse (a
//! job; a hold whose UPI payment the bank is still deciding keeps its slot), and cancelling under
//! the facility's rules with the refund they give.

use super::{cancel_refund, day_bookable, parse_slots, CancelRules, Slot, State, HOLD_MINUTES};
use crate::applications::calendar::day_number;
use crate::applications::store::{from_date, today_in_india};
use crate::history::{self, Facts, Subject};
use crate::ids::{AccountId, DepartmentId};
use crate::money::Paise;
use crate::payments::gateway::Gateway;
use crate::payments::{Purpose, RefundReason};
use crate::problem::Problem;
use crate::Locale;
use sqlx::{Acquire, PgPool, Postgres, Transaction};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

crate::text_enum!(super::State);

/// India's offset: slots are kept in its local time.
const IST: time::UtcOffset = time::macros::offset!(+5:30);

/// A facility as people book it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facility {
    pub id: Uuid,
    pub slug: String,
    pub department_id: DepartmentId,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub capacity: i32,
    pub fee: Paise,
    pub deposit: Paise,
    pub rules: String,
    pub slots: Vec<Slot>,
    pub ahead_days: i64,
    pub cancel: CancelRules,
}

/// A published facility by its slug, in `locale`.
pub async fn facility(
    pool: &PgPool,
    slug: &str,
    locale: Locale,
) -> Result<Option<Facility>, Problem> {
    let Some(f) = sqlx::query!(
        r#"SELECT id, slug, department_id, kind, address, capacity, fee_paise, deposit_paise,
                  CASE $2 WHEN 'or' THEN name_or WHEN 'hi' THEN name_hi ELSE name_en END AS "name!",
                  CASE $2 WHEN 'or' THEN rules_or WHEN 'hi' THEN rules_hi ELSE rules_en END AS "rules!",
                  slots::text AS "slots!", book_ahead_days, full_refund_days, half_refund_days
           FROM facilities WHERE slug = $1 AND published"#,
        slug,
        locale.code()
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let pairs: Vec<(i64, i64)> =
        serde_json::from_str(&f.slots).map_err(|e| Problem::unexpected(e.to_string()))?;
    let slots = parse_slots(&pairs).ok_or_else(|| Problem::unexpected("a facility's slots"))?;
    Ok(Some(Facility {
        id: f.id,
        slug: f.slug,
        department_id: f.department_id.into(),
        kind: f.kind,
        name: f.name,
        address: f.address,
        capacity: f.capacity,
        fee: Paise(f.fee_paise),
        deposit: Paise(f.deposit_paise),
        rules: f.rules,
        slots,
        ahead_days: f.book_ahead_days.into(),
        cancel: CancelRules {
            full_refund_days: f.full_refund_days.into(),
            half_refund_days: f.half_refund_days.into(),
        },
    }))
}

/// The instants a slot of a day spans.
pub fn span(day: time::Date, slot: Slot) -> (OffsetDateTime, OffsetDateTime) {
    let midnight = day.midnight().assume_offset(IST);
    (
        midnight + Duration::minutes(slot.from.into()),
        midnight + Duration::minutes(slot.to.into()),
    )
}

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
    let number = crate::reference::make(super::NUMBER_PREFIX, today_in_india(now).0, serial as u64);
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

/// A booking as its payment and its page need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    pub id: Uuid,
    pub number: String,
    pub facility: String,
    pub department_id: DepartmentId,
    pub booker_id: Option<AccountId>,
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
    pub state: State,
    pub held_until: OffsetDateTime,
    pub fee: Paise,
    pub deposit: Paise,
}

pub async fn by_number(pool: &PgPool, number: &str) -> Result<Option<Booking>, Problem> {
    Ok(sqlx::query!(
        r#"SELECT b.id, b.number, f.slug, f.department_id, b.booker_id, lower(b.during) AS "from!",
                  upper(b.during) AS "to!", b.state AS "state: State", b.held_until, b.fee_paise,
                  b.deposit_paise
           FROM bookings b JOIN facilities f ON f.id = b.facility_id WHERE b.number = $1"#,
        number
    )
    .fetch_optional(pool)
    .await?
    .map(|b| Booking {
        id: b.id,
        number: b.number,
        facility: b.slug,
        department_id: b.department_id.into(),
        booker_id: b.booker_id.map(Into::into),
        from: b.from,
        to: b.to,
        state: b.state,
        held_until: b.held_until,
        fee: Paise(b.fee_paise),
        deposit: Paise(b.deposit_paise),
    }))
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

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    seq: i32,
    head: Option<Vec<u8>>,
    actor: Option<AccountId>,
    kind: &str,
    facts: Facts,
    at: OffsetDateTime,
) -> Result<(), Problem> {
    let step = history::store::Step {
        subject: Subject::Booking,
        id,
        seq,
        head: head.as_deref(),
        actor,
        kind,
        facts,
        at,
    };
    Ok(history::store::record(tx, step).await?)
}

/// What `f`'s calendar shows from `first` to `last`: the slots held or booked (a day and the
/// slot's place in it) and the days it is closed.
pub async fn calendar(
    pool: &PgPool,
    f: &Facility,
    first: time::Date,
    last: time::Date,
    now: OffsetDateTime,
) -> Result<(Vec<(time::Date, usize)>, Vec<time::Date>), Problem> {
    let from = first.midnight().assume_offset(IST);
    let to = last
        .next_day()
        .unwrap_or(last)
        .midnight()
        .assume_offset(IST);
    let live = sqlx::query!(
        r#"SELECT lower(during) AS "from!" FROM bookings b
           WHERE facility_id = $1 AND during && tstzrange($2, $3, '[)')
             AND (state = 'confirmed' OR (state = 'held' AND (held_until >= $4
                  OR EXISTS (SELECT 1 FROM payments p WHERE p.purpose = 'booking'
                             AND p.subject_id = b.id AND p.state = 'pending'))))"#,
        f.id,
        from,
        to,
        now
    )
    .fetch_all(pool)
    .await?;
    let taken = live
        .into_iter()
        .filter_map(|r| {
            let at = r.from.to_offset(IST);
            let minute = u16::from(at.hour()) * 60 + u16::from(at.minute());
            let slot = f.slots.iter().position(|s| s.from == minute)?;
            Some((at.date(), slot))
        })
        .collect();
    let closed = sqlx::query_scalar!(
        "SELECT day FROM facility_blackouts WHERE facility_id = $1 AND day BETWEEN $2 AND $3",
        f.id,
        first,
        last
    )
    .fetch_all(pool)
    .await?;
    Ok((taken, closed))
}

/// A booking as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingPage {
    pub booking: Booking,
    pub facility_name: String,
    pub address: String,
    pub cancel: CancelRules,
}

/// Booking `number`, for its booker, its facility's department and city admins (anyone else:
/// not found).
pub async fn page(
    pool: &PgPool,
    actor: &crate::identity::Actor,
    number: &str,
    locale: Locale,
) -> Result<BookingPage, Problem> {
    use crate::identity::Role;
    let b = by_number(pool, number).await?.ok_or(Problem::NotFound)?;
    let may = b.booker_id == Some(actor.user_id)
        || actor.role == Role::CityAdmin
        || (actor.role.is_staff() && actor.department_id == Some(b.department_id));
    if !may {
        return Err(Problem::NotFound);
    }
    let f = facility(pool, &b.facility, locale)
        .await?
        .ok_or(Problem::NotFound)?;
    Ok(BookingPage {
        facility_name: f.name,
        address: f.address,
        cancel: f.cancel,
        booking: b,
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

/// A person's bookings, newest first.
pub async fn of_booker(
    pool: &PgPool,
    booker: AccountId,
    locale: Locale,
) -> Result<Vec<(String, String, OffsetDateTime, State)>, Problem> {
    Ok(sqlx::query!(
        r#"SELECT b.number, CASE $2 WHEN 'or' THEN f.name_or WHEN 'hi' THEN f.name_hi ELSE f.name_en END AS "name!",
                  lower(b.during) AS "from!", b.state AS "state: State"
           FROM bookings b JOIN facilities f ON f.id = b.facility_id
           WHERE b.booker_id = $1 AND b.state <> 'expired' ORDER BY b.created_at DESC"#,
        booker.uuid(),
        locale.code()
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.number, r.name, r.from, r.state))
    .collect())
}

/// The published facilities, in `locale`: slug, kind, name, capacity, fee, deposit.
pub async fn facilities(
    pool: &PgPool,
    locale: Locale,
) -> Result<Vec<(String, String, String, i32, Paise, Paise)>, Problem> {
    Ok(sqlx::query!(
        r#"SELECT slug, kind, CASE $1 WHEN 'or' THEN name_or WHEN 'hi' THEN name_hi ELSE name_en END AS "name!",
                  capacity, fee_paise, deposit_paise
           FROM facilities WHERE published ORDER BY kind DESC, name_en"#,
        locale.code()
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.slug, r.kind, r.name, r.capacity, Paise(r.fee_paise), Paise(r.deposit_paise)))
    .collect())
}

/// A person's bookings, for "Download my data".
pub async fn export_of(pool: &PgPool, booker: AccountId) -> Result<serde_json::Value, Problem> {
    let rows = sqlx::query!(
        r#"SELECT b.number, f.slug, lower(b.during) AS "from!", upper(b.during) AS "to!",
                  b.state, b.fee_paise, b.deposit_paise, b.created_at
           FROM bookings b JOIN facilities f ON f.id = b.facility_id
           WHERE b.booker_id = $1 ORDER BY b.created_at"#,
        booker.uuid()
    )
    .fetch_all(pool)
    .await?;
    Ok(serde_json::Value::Array(
        rows.into_iter()
            .map(|r| {
                serde_json::json!({
                    "number": r.number, "facility": r.slug, "from": r.from.unix_timestamp(),
                    "to": r.to.unix_timestamp(), "state": r.state, "fee_paise": r.fee_paise,
                    "deposit_paise": r.deposit_paise, "booked_at": r.created_at.unix_timestamp(),
                })
            })
            .collect(),
    ))
}
