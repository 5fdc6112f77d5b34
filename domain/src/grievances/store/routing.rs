//! Who gets a grievance: the official a route names for its category (or nearest parent) and
//! ward, else the least-loaded department admin. The filing's plan query repeats the route
//! lookup inline, deliberately: intake is the hot path and pays one round trip for all of it.

use super::OPEN;
use uuid::Uuid;

/// The official routing names for a category (or its nearest parent with a route) in a ward: a
/// route for the ward beats one for the whole city.
pub async fn route<'e>(
    db: impl sqlx::PgExecutor<'e>,
    category: Uuid,
    ward: Option<i32>,
    department: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "WITH RECURSIVE up(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM grievance_categories WHERE id = $1
             UNION ALL
             SELECT c.id, c.parent_id, up.depth + 1 FROM grievance_categories c JOIN up ON c.id = up.parent_id
         )
         SELECT r.official_id FROM up JOIN grievance_routes r ON r.category_id = up.id
           JOIN users u ON u.id = r.official_id AND u.role IN ('official', 'department_admin') AND u.department_id = $3
         WHERE r.ward_number = $2 OR r.ward_number IS NULL
         ORDER BY r.ward_number IS NULL, up.depth LIMIT 1",
    )
    .bind(category)
    .bind(ward)
    .bind(department)
    .fetch_optional(db)
    .await
}

/// The staff member with `role` (in `department`, if given) who has the fewest open grievances.
pub async fn least_loaded<'e>(
    db: impl sqlx::PgExecutor<'e>,
    role: &str,
    department: Option<Uuid>,
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
