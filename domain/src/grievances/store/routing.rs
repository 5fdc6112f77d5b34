//! Who gets a grievance: the post (`work::posts`) that handles its category (or nearest parent)
//! in its ward — a ward's own post before a city-wide one — and whoever holds it; a vacant post's
//! work, or work no post handles, goes to the least-loaded department admin. The filing's plan
//! query repeats the post lookup inline, deliberately: intake is the hot path and pays one round
//! trip for all of it.

use super::OPEN;
use crate::ids::{AccountId, DepartmentId, PostId};
use uuid::Uuid;

/// The post routing picks, and its holder (None while it is vacant).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Routed {
    pub post_id: PostId,
    pub holder_id: Option<AccountId>,
}

/// The post of `department` that handles `category` (or its nearest parent with one) in `ward`.
pub async fn route<'e>(
    db: impl sqlx::PgExecutor<'e>,
    category: Uuid,
    ward: Option<i32>,
    department: DepartmentId,
) -> Result<Option<Routed>, sqlx::Error> {
    sqlx::query_as(
        "WITH RECURSIVE up(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM grievance_categories WHERE id = $1
             UNION ALL
             SELECT c.id, c.parent_id, up.depth + 1 FROM grievance_categories c JOIN up ON c.id = up.parent_id
         )
         SELECT p.id AS post_id, u.id AS holder_id
         FROM up JOIN post_categories pc ON pc.category_id = up.id
           JOIN posts p ON p.id = pc.post_id AND p.department_id = $3
           LEFT JOIN users u ON u.id = p.holder_id AND u.role IN ('official', 'department_admin')
                AND u.department_id = $3
         WHERE p.wards IS NULL OR $2 = ANY (p.wards)
         ORDER BY p.wards IS NULL, up.depth, u.id IS NULL, p.created_at, p.id LIMIT 1",
    )
    .bind(category)
    .bind(ward)
    .bind(department)
    .fetch_optional(db)
    .await
}

/// Who takes work nobody can hold now (a vacant post's, a removed official's): the
/// department's least-loaded admin, else the city's.
pub async fn stand_in(
    conn: &mut sqlx::PgConnection,
    department: Option<DepartmentId>,
) -> Result<Option<Uuid>, sqlx::Error> {
    if let Some(d) = department {
        if let Some(admin) = least_loaded(&mut *conn, "department_admin", Some(d)).await? {
            return Ok(Some(admin));
        }
    }
    least_loaded(&mut *conn, "city_admin", None).await
}

/// The staff member with `role` (in `department`, if given) who has the fewest open grievances.
pub async fn least_loaded<'e>(
    db: impl sqlx::PgExecutor<'e>,
    role: &str,
    department: Option<DepartmentId>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT u.id FROM users u WHERE u.role = $1 AND ($2::uuid IS NULL OR u.department_id = $2)
         ORDER BY (SELECT count(*) FROM grievances g WHERE g.assignee_id = u.id AND g.status IN {OPEN}),
                  u.created_at
         LIMIT 1"
    ))
    .bind(role)
    .bind(department)
    .fetch_optional(db)
    .await
}
