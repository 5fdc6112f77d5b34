//! The ladders in the database: a category's own, else its nearest parent's, else the default.

use super::{check_ladder, default_ladder, Level, LevelAssignee};
use crate::ids::AccountId;
use crate::problem::Problem;
use sqlx::PgPool;
use uuid::Uuid;

/// The ladder of a category: its own, else its nearest parent's, else the default.
pub async fn ladder<'e>(
    db: impl sqlx::PgExecutor<'e>,
    category: Uuid,
) -> Result<Vec<Level>, sqlx::Error> {
    let rows: Vec<LevelRow> = sqlx::query_as(
        "WITH RECURSIVE up(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM grievance_categories WHERE id = $1
             UNION ALL
             SELECT c.id, c.parent_id, up.depth + 1 FROM grievance_categories c JOIN up ON c.id = up.parent_id
         ),
         owner AS (SELECT up.id FROM up WHERE EXISTS (SELECT 1 FROM escalation_levels e WHERE e.category_id = up.id)
                   ORDER BY depth LIMIT 1)
         SELECT e.level, e.assignee, e.official_id, e.hours, e.warn_percent
         FROM escalation_levels e JOIN owner ON owner.id = e.category_id ORDER BY e.level",
    )
    .bind(category)
    .fetch_all(db)
    .await?;
    if rows.is_empty() {
        return Ok(default_ladder());
    }
    Ok(levels(rows))
}

type LevelRow = (i32, String, Option<Uuid>, i32, i32);

/// Ladder rows as levels (a row naming nobody it can is left out).
fn levels(rows: Vec<LevelRow>) -> Vec<Level> {
    rows.into_iter()
        .filter_map(|(level, kind, official, hours, warn_percent)| {
            Some(Level {
                level,
                assignee: LevelAssignee::from_parts(&kind, official.map(|o| o.to_string()))?,
                hours,
                warn_percent,
            })
        })
        .collect()
}

/// The category's own ladder (empty when it uses a parent's or the default).
pub async fn own_ladder(pool: &PgPool, category: Uuid) -> Result<Vec<Level>, sqlx::Error> {
    let rows: Vec<LevelRow> = sqlx::query_as(
        "SELECT level, assignee, official_id, hours, warn_percent FROM escalation_levels
         WHERE category_id = $1 ORDER BY level",
    )
    .bind(category)
    .fetch_all(pool)
    .await?;
    Ok(levels(rows))
}

/// Replaces a category's ladder, checked with `check_ladder`. A named official must be staff of
/// the category's department (or a city admin): a department's ladder cannot hand its grievances
/// to another department's people. The problem names the level that is not.
pub async fn save_ladder(
    pool: &PgPool,
    category: Uuid,
    levels: &[Level],
    by: AccountId,
) -> Result<(), Problem> {
    Problem::check(check_ladder(levels))?;
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM escalation_levels WHERE category_id = $1")
        .bind(category)
        .execute(&mut *tx)
        .await?;
    for l in levels {
        let official = match &l.assignee {
            LevelAssignee::Official(id) => {
                let staff: Option<AccountId> = match Uuid::parse_str(id) {
                    Ok(id) => (sqlx::query_scalar!(
                        "SELECT u.id FROM users u, grievance_categories c
                             WHERE u.id = $1 AND c.id = $2
                               AND (u.role = 'city_admin'
                                    OR (u.role IN ('official', 'department_admin')
                                        AND u.department_id = c.department_id))",
                        id,
                        category,
                    )
                    .fetch_optional(&mut *tx)
                    .await?)
                        .map(Into::into),
                    Err(_) => None,
                };
                match staff {
                    Some(s) => Some(s),
                    None => {
                        return Err(Problem::field(
                            &format!("assignee-{}", l.level),
                            "err_official_unknown",
                        ))
                    }
                }
            }
            _ => None,
        };
        sqlx::query(
            "INSERT INTO escalation_levels (category_id, level, assignee, official_id, hours, warn_percent)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(category)
        .bind(l.level)
        .bind(l.assignee.kind())
        .bind(official)
        .bind(l.hours)
        .bind(l.warn_percent)
        .execute(&mut *tx)
        .await?;
    }
    crate::identity::store::security_log::record_act(
        &mut tx,
        Some(by),
        crate::identity::store::security_log::Event::LadderSaved,
        crate::history::Facts::new().with("category", category),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
