//! Service forms in Postgres, versioned: saving a form makes its next version, and what was filed
//! with an earlier one still reads it. And the holidays the city keeps, for working days.

use super::{from_date, to_date};
use crate::applications::form::Form;
use crate::history::Facts;
use crate::identity::store::security_log::{self, Event};
use crate::ids::{AccountId, ServiceId};
use crate::problem::Problem;
use sqlx::PgPool;
use uuid::Uuid;

/// Saves `form` as the service's next version, `by` its department's admin (recorded in their
/// chain; `None`: the demo data). A form with problems is refused with each named.
pub async fn save_form(
    pool: &PgPool,
    service: ServiceId,
    form: &Form,
    by: Option<AccountId>,
) -> Result<i32, Problem> {
    Problem::check(form.problems())?;
    let json = serde_json::to_string(form).map_err(|e| Problem::Unexpected(e.into()))?;
    let mut tx = pool.begin().await?;
    // (the service's row is locked so two saves at once make two versions, not one twice)
    sqlx::query!(
        "SELECT id FROM services WHERE id = $1 FOR UPDATE",
        service.uuid()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Problem::NotFound)?;
    let version = sqlx::query_scalar!(
        r#"INSERT INTO service_forms (service_id, version, form, created_by)
           SELECT $1, coalesce(max(version), 0) + 1, $2::text::jsonb, $3 FROM service_forms
           WHERE service_id = $1
           RETURNING version"#,
        service.uuid(),
        json,
        by.map(Uuid::from),
    )
    .fetch_one(&mut *tx)
    .await?;
    security_log::record_act(
        &mut tx,
        by,
        Event::FormSaved,
        Facts::new()
            .with("service", service)
            .with("version", version),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// The service's form as it stands (its newest version), if it has one.
pub async fn current_form(
    pool: &PgPool,
    service: ServiceId,
) -> Result<Option<(i32, Form)>, Problem> {
    let row = sqlx::query!(
        r#"SELECT version, form::text AS "form!" FROM service_forms WHERE service_id = $1
           ORDER BY version DESC LIMIT 1"#,
        service.uuid()
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| Ok((r.version, read(&r.form)?))).transpose()
}

/// One version of the service's form: the one an application was filed with.
pub async fn form_version(
    db: impl sqlx::PgExecutor<'_>,
    service: ServiceId,
    version: i32,
) -> Result<Option<Form>, Problem> {
    let form = sqlx::query_scalar!(
        r#"SELECT form::text AS "form!" FROM service_forms WHERE service_id = $1 AND version = $2"#,
        service.uuid(),
        version
    )
    .fetch_optional(db)
    .await?;
    form.map(|f| read(&f)).transpose()
}

fn read(json: &str) -> Result<Form, Problem> {
    serde_json::from_str(json)
        .map_err(|e| Problem::Unexpected(format!("a stored form does not read: {e}").into()))
}

// ---- the holiday calendar ----

/// The calendar for working days from `from`, with the holidays of the next two years in it
/// (more than any time limit the Act sets).
pub async fn calendar(
    pool: &PgPool,
    from: crate::applications::form::Day,
) -> Result<crate::applications::calendar::Calendar, Problem> {
    let start = to_date(from)?;
    let days = sqlx::query_scalar!(
        "SELECT day FROM holidays WHERE day >= $1 AND day < $1 + 730 ORDER BY day",
        start
    )
    .fetch_all(pool)
    .await?;
    Ok(crate::applications::calendar::Calendar {
        holidays: days.into_iter().map(from_date).collect(),
    })
}

/// A holiday the city keeps, as typed (`calendar::parse_holiday`), `by` a city admin (recorded in
/// their chain; `None`: the demo data). A day already kept is renamed. Answers the day.
pub async fn keep_holiday(
    pool: &PgPool,
    day: &str,
    name: &crate::applications::form::Words,
    by: Option<AccountId>,
) -> Result<crate::applications::form::Day, Problem> {
    let day = crate::applications::calendar::parse_holiday(day, name).map_err(Problem::Invalid)?;
    let date = to_date(day)?;
    let en = name.en.trim();
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO holidays (day, name_en, name_or, name_hi, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (day) DO UPDATE SET name_en = $2, name_or = $3, name_hi = $4",
        date,
        en,
        name.or.trim(),
        name.hi.trim(),
        by.map(Uuid::from),
    )
    .execute(&mut *tx)
    .await?;
    security_log::record_act(
        &mut tx,
        by,
        Event::HolidayKept,
        Facts::new().with("day", date),
    )
    .await?;
    tx.commit().await?;
    Ok(day)
}

/// The holidays from `from` on, with their names, for the city admin's page.
pub async fn holidays_from(
    pool: &PgPool,
    from: crate::applications::form::Day,
) -> Result<
    Vec<(
        crate::applications::form::Day,
        crate::applications::form::Words,
    )>,
    Problem,
> {
    let rows = sqlx::query!(
        "SELECT day, name_en, name_or, name_hi FROM holidays WHERE day >= $1 ORDER BY day",
        to_date(from)?
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let words = crate::applications::form::Words {
                en: r.name_en,
                or: r.name_or,
                hi: r.name_hi,
            };
            (from_date(r.day), words)
        })
        .collect())
}
