//! Grievances changing hands: a department admin's selection given to another of its staff
//! (`reassign`), a removed official's open work handed to the department's admin (`hand_over`),
//! and a post's open work following it to its new holder (`follow_post`). Each is recorded in the
//! grievance's history and the new assignee is told.

use super::routing::stand_in;
use super::{append, lock, tell_staff, OPEN};
use crate::grievances::history::to_micros;
use crate::grievances::{Event, Notice};
use crate::ids::{AccountId, DepartmentId, PostId};
use crate::problem::{FieldError, Problem};
use crate::work::REASSIGN_MAX;
use sqlx::{PgPool, Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

/// Gives `grievances` of `department` to `to`, a staff member of it, as `by`: picked by hand, they
/// leave the post they were routed to. Grievances no longer open, or already theirs, are left as
/// they are; one of another department refuses the whole selection. Returns how many moved.
#[tracing::instrument(name = "grievances::reassign", skip(pool, grievances), fields(count = grievances.len()))]
pub async fn reassign(
    pool: &PgPool,
    grievances: &[Uuid],
    to: AccountId,
    by: AccountId,
    department: DepartmentId,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let now = to_micros(now);
    let mut ids = grievances.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() || ids.len() > REASSIGN_MAX {
        return Err(Problem::field("ids", "err_reassign_none"));
    }
    if !crate::departments::store::is_staff(pool, to, department).await? {
        return Err(Problem::Invalid(vec![FieldError::new(
            "to",
            "err_reassign_target",
        )]));
    }
    let mut tx = pool.begin().await?;
    let moved = give(&mut tx, &ids, to, by, Some(department), Post::Leave, now).await?;
    tx.commit().await?;
    Ok(moved)
}

/// Hands a former staff member's open grievances to whoever will work them now: the
/// department's least-loaded admin, else the city's (a removed or transferred official's work
/// must not be stranded with someone who can no longer act on it). Those routed to a post stay
/// the post's, so its next holder takes them over. Returns how many moved.
#[tracing::instrument(name = "grievances::hand_over", skip(pool))]
pub async fn hand_over(
    pool: &PgPool,
    from: AccountId,
    department: Option<DepartmentId>,
    by: AccountId,
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
    let mut tx = pool.begin().await?;
    let Some(to) = stand_in(&mut tx, department)
        .await?
        .map(AccountId::from)
        .filter(|t| *t != from)
    else {
        return Ok(0);
    };
    let moved = give(&mut tx, &ids, to, by, None, Post::Keep, now).await?;
    tx.commit().await?;
    Ok(moved)
}

/// A post changed hands (`holder`, or vacant): its open grievances still at their first level
/// go to the new holder, or, while it is vacant, to the department's least-loaded admin. Those
/// escalated past it stay with whoever answers for them now. Runs in the appointment's
/// transaction. Returns how many moved.
#[tracing::instrument(name = "grievances::follow_post", skip(tx))]
pub async fn follow_post(
    tx: &mut Transaction<'_, Postgres>,
    post: PostId,
    department: DepartmentId,
    holder: Option<AccountId>,
    by: AccountId,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let now = to_micros(now);
    let ids: Vec<Uuid> = sqlx::query_scalar(&format!(
        "SELECT id FROM grievances WHERE post_id = $1 AND level = 1 AND status IN {OPEN} ORDER BY id"
    ))
    .bind(post)
    .fetch_all(&mut **tx)
    .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let to = match holder {
        Some(h) => Some(h),
        None => (stand_in(tx, Some(department)).await?).map(Into::into),
    };
    let Some(to) = to else {
        return Ok(0);
    };
    give(tx, &ids, to, by, Some(department), Post::Keep, now).await
}

/// Whether a grievance given to someone stays with the post it was routed to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Post {
    Keep,
    Leave,
}

/// Gives `ids` (sorted) to `to`: each open one not already theirs gets a `reassigned` entry, and
/// they are told. With `department`, one of another department refuses them all.
async fn give(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[Uuid],
    to: AccountId,
    by: AccountId,
    department: Option<DepartmentId>,
    post: Post,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let mut moved = 0;
    // Locked in id order, so two reassignments of overlapping selections cannot deadlock.
    for &id in ids {
        let g = lock(tx, id).await?;
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
        let hash = append(tx, &g, &entry).await?;
        sqlx::query!(
            "UPDATE grievances SET assignee_id = $2,
                 status = CASE WHEN status = 'submitted' THEN 'assigned' ELSE status END,
                 updated_at = $3, history_seq = $4, history_head = $5,
                 post_id = CASE WHEN $6 THEN post_id END
             WHERE id = $1",
            g.id,
            to.uuid(),
            now,
            entry.seq,
            hash,
            post == Post::Keep,
        )
        .execute(&mut **tx)
        .await?;
        let notice = Notice::Assigned {
            number: g.number.clone(),
        };
        tell_staff(tx, &g, Some(to), &notice).await?;
        moved += 1;
    }
    Ok(moved)
}
