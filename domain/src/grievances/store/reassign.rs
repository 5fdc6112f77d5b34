//! A department admin gives a selection of the department's open grievances to another of its
//! staff at once (an official on leave, a ward changing hands): each is recorded in its history
//! and the new assignee is told.

use super::{append, lock, tell_staff};
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
    let mut tx = pool.begin().await?;
    let mut moved = 0;
    // Locked in id order, so two reassignments of overlapping selections cannot deadlock.
    for id in ids {
        let g = lock(&mut tx, id).await?;
        if g.department_id != department {
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
        tell_staff(&mut tx, Some(to), &notice).await?;
        moved += 1;
    }
    tx.commit().await?;
    Ok(moved)
}
