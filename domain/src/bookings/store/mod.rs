//! Bookings in Postgres, one file per concern: `holding` (a slot held, the exclusion constraint
//! refusing an overlap so of any number of people asking at once one holds it; confirmed when its
//! payment is credited; released when the payment fails; lapsing by a job unless the person's
//! bank is still deciding), `cancelling` (under the facility's rules, with the refund they give)
//! and `reading` (the calendar, a booking's page, a person's bookings, the export). What they
//! share is here: the facility as people book it, a booking, and its history.

mod cancelling;
mod holding;
mod reading;

pub use cancelling::*;
pub use holding::*;
pub use reading::*;

use super::{parse_slots, CancelRules, Slot, State};
use crate::history::{self, Facts, Subject};
use crate::ids::{AccountId, DepartmentId};
use crate::money::Paise;
use crate::problem::Problem;
use crate::Locale;
use sqlx::{PgPool, Postgres, Transaction};
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
