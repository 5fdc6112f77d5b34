//! Reading bookings: a facility's calendar, a booking's page, a person's bookings and export, the facilities.

use super::*;
use crate::bookings::{CancelRules, State};
use crate::ids::AccountId;
use crate::money::Paise;
use crate::problem::Problem;
use crate::Locale;
use sqlx::PgPool;
use time::OffsetDateTime;

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

/// Whether `department` lets facilities people can book here (a booking service's page then
/// offers its calendar).
pub async fn lets_facilities(
    pool: &PgPool,
    department: crate::ids::DepartmentId,
) -> Result<bool, Problem> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM facilities WHERE department_id = $1 AND published) AS "lets!""#,
        department.uuid()
    )
    .fetch_one(pool)
    .await?)
}
