//! Departments in Postgres: listed with their service counts, one by code, created.

use super::DepartmentForm;
use crate::db::new_id;
use crate::ids::{AccountId, DepartmentId};
use crate::problem::Problem;
use crate::Locale;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartmentSummary {
    pub id: DepartmentId,
    pub code: String,
    pub name: String,
    pub description: String,
    pub is_agency: bool,
    pub service_count: i64,
}

/// Departments and agencies, city departments first, the busiest first; or only the one with
/// `code`.
async fn departments_where(
    pool: &PgPool,
    locale: Locale,
    code: Option<&str>,
) -> Result<Vec<DepartmentSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.code, COALESCE(NULLIF(t.name, ''), e.name) AS name,
                COALESCE(NULLIF(t.description, ''), e.description) AS description, d.is_agency,
            (SELECT count(*) FROM services s WHERE s.department_id = d.id AND s.published) AS service_count
         FROM departments d
         JOIN department_translations e ON e.department_id = d.id AND e.locale = 'en'
         LEFT JOIN department_translations t ON t.department_id = d.id AND t.locale = $1
         WHERE $2::text IS NULL OR d.code = $2
         ORDER BY d.is_agency, service_count DESC, d.code",
    )
    .bind(locale.code())
    .bind(code)
    .fetch_all(pool)
    .await
}

pub async fn departments(
    pool: &PgPool,
    locale: Locale,
) -> Result<Vec<DepartmentSummary>, sqlx::Error> {
    departments_where(pool, locale, None).await
}

pub async fn department(
    pool: &PgPool,
    code: &str,
    locale: Locale,
) -> Result<Option<DepartmentSummary>, sqlx::Error> {
    Ok(departments_where(pool, locale, Some(code))
        .await?
        .into_iter()
        .next())
}

/// Creates a department, `by` a city admin (recorded in their chain).
pub async fn create(pool: &PgPool, form: &DepartmentForm, by: AccountId) -> Result<Uuid, Problem> {
    Problem::check(form.problems())?;
    let mut tx = pool.begin().await?;
    let id = new_id();
    let inserted = sqlx::query("INSERT INTO departments (id, code, is_agency) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
        .bind(id)
        .bind(&form.code)
        .bind(form.is_agency)
        .execute(&mut *tx)
        .await?;
    if inserted.rows_affected() == 0 {
        return Err(Problem::field("code", "err_code_taken"));
    }
    for (locale, name) in &form.names {
        if name.trim().is_empty() {
            continue;
        }
        sqlx::query(
            "INSERT INTO department_translations (department_id, locale, name) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(locale.code())
        .bind(name.trim())
        .execute(&mut *tx)
        .await?;
    }
    crate::identity::store::security_log::record_act(
        &mut tx,
        Some(by),
        crate::identity::store::security_log::Event::DepartmentCreated,
        crate::history::Facts::new().with("department", id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn id_by_code(pool: &PgPool, code: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM departments WHERE code = $1")
        .bind(code)
        .fetch_optional(pool)
        .await
}

/// Whether `person` is one of `department`'s staff (an official or its admin): whom its work may
/// be given to.
pub async fn is_staff(
    db: impl sqlx::PgExecutor<'_>,
    person: AccountId,
    department: DepartmentId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND department_id = $2
                            AND role IN ('official', 'department_admin')) AS "staff!""#,
        person.uuid(),
        department.uuid(),
    )
    .fetch_one(db)
    .await
}
