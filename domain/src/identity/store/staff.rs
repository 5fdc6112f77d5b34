//! Staff accounts: officials and admins appointed by those who manage their department.

use super::super::rules::*;
use super::passwords::hash_password;
use super::registration::{check_person, insert_user, NewCitizen, NewUser};
use super::security_log::{self, By, Event};
use crate::db::new_id;
use crate::history::Facts;
use crate::ids::{AccountId, DepartmentId};
use crate::problem::{FieldError, Problem};
use sqlx::PgPool;

pub struct StaffForm {
    pub name: String,
    pub mobile: String,
    pub email: String,
    pub password: String,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    /// the admin who appoints them; None for the command line and the demo seed
    pub appointed_by: Option<AccountId>,
}

/// Creates an account directly, without a one-time code: officials and admins appointed by an
/// admin, and demo accounts. The caller has checked that the actor may appoint this role in this
/// department; the database checks that role and department fit together.
pub async fn create_account(pool: &PgPool, form: StaffForm) -> Result<NewCitizen, Problem> {
    let mut problems = Vec::new();
    let needs_department = matches!(form.role, Role::Official | Role::DepartmentAdmin);
    if needs_department != form.department_id.is_some() {
        problems.push(FieldError::new("department", "err_department_required"));
    }
    let (name, mobile, email) = check_person(
        pool,
        &form.name,
        &form.mobile,
        &form.email,
        &form.password,
        problems,
        true,
    )
    .await?;
    let password_hash = hash_password(form.password).await?;
    let user_id = new_id();
    let mut tx = pool.begin().await?;
    let citizen_id = insert_user(
        &mut tx,
        user_id.into(),
        NewUser {
            name: &name,
            mobile: mobile.as_str(),
            email: email.as_deref(),
            password_hash: &password_hash,
            role: form.role,
            department_id: form.department_id,
            locale: "en",
        },
    )
    .await?;
    if form.appointed_by.is_some() {
        sqlx::query("UPDATE users SET password_chosen_by_admin = true WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    if form.role != Role::Citizen {
        let mut facts = Facts::new().with("role", form.role.as_str());
        if let Some(d) = form.department_id {
            facts.set("department", d);
        }
        let by = form.appointed_by.map_or(By::System, By::Admin);
        security_log::record(&mut tx, user_id.into(), Event::StaffAppointed, by, facts).await?;
    }
    tx.commit().await?;
    Ok(NewCitizen {
        user_id: user_id.into(),
        citizen_id,
    })
}

/// A staff member's role and department, to check who may act on them.
pub async fn staff_role(
    pool: &PgPool,
    user_id: AccountId,
) -> Result<Option<(Role, Option<DepartmentId>)>, sqlx::Error> {
    sqlx::query_as("SELECT role, department_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await
}

/// Takes a person's staff role away: they stay a citizen with their citizen id, every session
/// they have ends at once, so a removed official cannot act on the next request, and the posts
/// they held fall vacant (their work waits for a successor). Recorded in their security history
/// with the admin's id (`by`). The caller has checked that the actor may manage this person.
pub async fn remove_staff(
    pool: &PgPool,
    user_id: AccountId,
    by: AccountId,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let changed = sqlx::query("UPDATE users SET role = 'citizen', department_id = NULL WHERE id = $1 AND role <> 'citizen'")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    // FOR UPDATE, as a hand-over does: a filing that planned with them waits, then plans again.
    sqlx::query("SELECT id FROM posts WHERE holder_id = $1 FOR UPDATE")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE posts SET holder_id = NULL WHERE holder_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if changed == 1 {
        let facts = Facts::new().with("admin", by);
        security_log::record(&mut tx, user_id, Event::StaffRemoved, By::Admin(by), facts).await?;
    }
    tx.commit().await?;
    Ok(changed == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffMember {
    pub id: AccountId,
    pub citizen_id: String,
    pub name: String,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    pub department_code: Option<String>,
}

/// Staff of one department, or of every department when `department_id` is None.
pub async fn list_staff(
    pool: &PgPool,
    department_id: Option<DepartmentId>,
) -> Result<Vec<StaffMember>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.citizen_id, u.name, u.role, u.department_id, d.code AS department_code
         FROM users u LEFT JOIN departments d ON d.id = u.department_id
         WHERE u.role <> 'citizen' AND ($1::uuid IS NULL OR u.department_id = $1)
         ORDER BY d.code NULLS FIRST, u.name",
    )
    .bind(department_id)
    .fetch_all(pool)
    .await
}
