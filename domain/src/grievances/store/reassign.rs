//! A department admin gives a selection of the department's open grievances to another of its
//! staff at once (an official on leave, a ward changing hands): each is recorded in its history
//! and the new assignee is told.

use super::routing::least_loaded;
use super::{append, lock, tell_staff, OPEN};
use crate::grievances::history::to_micros;
use crate::grievances::{Event, Notice};
use crate::problem::{FieldError, Problem};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// The most grievances one reassignment takes (two pages of the queue).
pub const REASSIGN_MAX: usize = 100;

/// Gives `grievances` of `department` to `to`, a staff member of it, as `by`. Grievances no
/// longer open, or already theirs, are left as they are; one of another department refuses the
/// whole selection. Returns how many moved.
#[tracing::instrument(name = "grievances::reassign", skip(pool, grievances), fields(count = grievances.len()))]
pub async fn reassign(
    pool: &PgPool,
    grievances: &[Uuid],
    to: Uuid,
    by: Uuid,
    department: Uuid,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let now = to_micros(now);
    let mut ids = grievances.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() || ids.len() > REASSIGN_MAX {
        return Err(Problem::field("ids", "err_reassign_none"));
    }
    let staff: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND department_id = $2
                            AND role IN ('official', 'department_admin')) AS "staff!""#,
        to,
        department,
    )
    .fetch_one(pool)
    .await?;
    if !staff {
        return Err(Problem::Invalid(vec![FieldError::new(
            "to",
            "err_reassign_target",
        )]));
    }
    give(pool, &ids, to, by, Some(department), now).await
}

/// Hands a former staff member's open grievances to whoever will work them now: the
/// department's least-loaded admin, else the city's (a removed or transferred official's work
/// must not be stranded with someone who can no longer act on it). Returns how many moved.
#[tracing::instrument(name = "grievances::hand_over", skip(pool))]
pub async fn hand_over(
    pool: &PgPool,
    from: Uuid,
    department: Option<Uuid>,
    by: Uuid,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let ids: Vec<Uuid> = sqlx::query_scalar(&format!(
        "SELECT id FROM grievances WHERE assignee_id = $1 AND status IN {OPEN} ORDER BY id"
    ))
    .bind(from)
    .fetch_all(pool)
    .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let to = match least_loaded(pool, "department_admin", department).await? {
        Some(admin) if department.is_some() => Some(admin),
        _ => least_loaded(pool, "city_admin", None).await?,
    };
    let Some(to) = to.filter(|t| *t != from) else {
        return Ok(0);
    };
    give(pool, &ids, to, by, None, now).await
}

/// Gives `ids` (sorted) to `to`: each open one not already theirs gets a `reassigned` entry, and
/// they are told. With `department`, one of another department refuses them all.
async fn give(
    pool: &PgPool,
    ids: &[Uuid],
    to: Uuid,
    by: Uuid,
    department: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let mut tx = pool.begin().await?;
    let mut moved = 0;
    // Locked in id order, so two reassignments of overlapping selections cannot deadlock.
    for &id in ids {
        let g = lock(&mut tx, id).await?;
        if department.is_some_and(|d| g.department_id != d) {
            return Err(Problem::Forbidden);
        }
        if !g.status.is_open() || g.assignee_id == Some(to) {
            continue;
        }
        let mut entry = g.system_entry(Event::Reassigned, now);
        entry.actor_id = Some(by);
        entry.actor_kind = "official".into();
        entry.assignee_id = Some(to);
        let hash = append(&mut tx, &g, &entry).await?;
        sqlx::query!(
            "UPDATE grievances SET assignee_id = $2,
                 status = CASE WHEN status = 'submitted' THEN 'assigned' ELSE status END,
                 updated_at = $3, history_seq = $4, history_head = $5
             WHERE id = $1",
            g.id,
            to,
            now,
            entry.seq,
            hash,
        )
        .execute(&mut *tx)
        .await?;
        let notice = Notice::Assigned {
            number: g.number.clone(),
        };
        tell_staff(&mut tx, &g, Some(to), &notice).await?;
        moved += 1;
    }
    tx.commit().await?;
    Ok(moved)
}
