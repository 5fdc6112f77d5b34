//! The clock's sweeps: escalate past deadlines, warn before them, close resolutions nobody
//! answered. Each claims its rows with `FOR UPDATE SKIP LOCKED` and moves their deadline or
//! warning time in the same transaction, so however many instances sweep at once, each breach is
//! handled once. `now` is a parameter: tests drive the clock.

use super::ladder::ladder;
use super::{next_level, warn_after_seconds, Candidates, Level, LevelAssignee};
use crate::grievances::history::{self, Entry};
use crate::grievances::store::routing::{least_loaded, route};
use crate::grievances::store::{append, claim, tell_filer, tell_staff, Locked, OPEN};
use crate::grievances::{Event, Notice, Status, REOPEN_WINDOW_DAYS};
use crate::ids::AccountId;
use sqlx::{PgPool, Postgres, Transaction};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Escalates up to `batch` grievances whose deadline has passed. Returns how many were handled.
#[tracing::instrument(name = "grievances::escalate_due", skip(pool))]
pub async fn escalate_due(
    pool: &PgPool,
    now: OffsetDateTime,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let now = history::to_micros(now);
    let mut tx = pool.begin().await?;
    let due = claim(
        &mut tx,
        &format!("status IN {OPEN} AND overdue_since IS NULL AND deadline_at <= $1"),
        "deadline_at",
        now,
        batch,
    )
    .await?;
    for g in &due {
        let levels = ladder(&mut *tx, g.category_id).await?;
        let people = candidates(&mut tx, g, &levels).await?;
        match next_level(&levels, g.level, |l| people.person(&l.assignee)) {
            Some((level, person)) => escalate(&mut tx, g, level, person.into(), now).await?,
            None => mark_overdue(&mut tx, g, now).await?,
        }
    }
    tx.commit().await?;
    Ok(due.len())
}

/// The people the levels above the grievance's would name now: only the kinds those levels use
/// are looked up (a breach at the last level looks up nobody).
async fn candidates(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    levels: &[Level],
) -> Result<Candidates<Uuid>, sqlx::Error> {
    let later: Vec<&LevelAssignee> = levels
        .iter()
        .filter(|l| l.level > g.level)
        .map(|l| &l.assignee)
        .collect();
    let uses = |kind: &LevelAssignee| later.contains(&kind);
    let named: Vec<(String, Uuid)> = later
        .iter()
        .filter_map(|a| match a {
            LevelAssignee::Official(id) => Some((id.clone(), Uuid::parse_str(id).ok()?)),
            _ => None,
        })
        .collect();
    let staff: Vec<Uuid> = if named.is_empty() {
        Vec::new()
    } else {
        sqlx::query_scalar("SELECT id FROM users WHERE id = ANY($1) AND role <> 'citizen'")
            .bind(named.iter().map(|(_, id)| *id).collect::<Vec<_>>())
            .fetch_all(&mut **tx)
            .await?
    };
    let mut people = Candidates {
        officials: named
            .into_iter()
            .filter(|(_, id)| staff.contains(id))
            .collect(),
        ..Candidates::default()
    };
    if uses(&LevelAssignee::Routed) {
        people.routed = (route(&mut **tx, g.category_id, g.ward_number, g.department_id)
            .await?
            .and_then(|r| r.holder_id))
        .map(Into::into);
    }
    if uses(&LevelAssignee::DepartmentAdmin) {
        people.department_admin =
            least_loaded(&mut **tx, "department_admin", Some(g.department_id)).await?;
    }
    if uses(&LevelAssignee::CityAdmin) {
        people.city_admin = least_loaded(&mut **tx, "city_admin", None).await?;
    }
    Ok(people)
}

/// Moves a grievance to `level`, assigned to `person`, with that level's time; the filer and the
/// new assignee are told.
async fn escalate(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    level: &Level,
    person: AccountId,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let entry = Entry {
        status: match g.status {
            Status::Submitted => Status::Assigned,
            other => other,
        }
        .as_str()
        .into(),
        assignee_id: Some(person),
        level: level.level,
        deadline_at: Some(now + Duration::hours(level.hours as i64)),
        ..g.system_entry(Event::Escalated, now)
    };
    let warn_at = now + Duration::seconds(warn_after_seconds(level.hours, level.warn_percent));
    record(tx, g, &entry, Some(warn_at), false, now).await?;
    let notice = Notice::Escalated {
        number: g.number.clone(),
        level: level.level,
    };
    tell_filer(tx, g, &notice).await?;
    tell_staff(tx, g, Some(person), &notice).await
}

/// Past the last level that can name anyone: marked overdue once, and the department's admins
/// (else the city's) are told.
async fn mark_overdue(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let entry = g.system_entry(Event::Overdue, now);
    record(tx, g, &entry, None, true, now).await?;
    let admins: Vec<Uuid> = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM users WHERE role = 'department_admin' AND department_id = $1
         UNION ALL SELECT id FROM users WHERE role = 'city_admin'
           AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'department_admin' AND department_id = $1)"#,
        g.department_id.uuid(),
    )
    .fetch_all(&mut **tx)
    .await?;
    let notice = Notice::Overdue {
        number: g.number.clone(),
    };
    for admin in admins {
        tell_staff(tx, g, Some(admin.into()), &notice).await?;
    }
    Ok(())
}

/// Appends the sweep's entry and moves the grievance to what it says.
async fn record(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    entry: &Entry,
    warn_at: Option<OffsetDateTime>,
    overdue: bool,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let hash = append(tx, g, entry).await?;
    sqlx::query!(
        "UPDATE grievances SET status = $2, assignee_id = $3, level = $4, deadline_at = $5, warn_at = $6,
             overdue_since = CASE WHEN $7 THEN $8::timestamptz ELSE NULL END, updated_at = $8,
             history_seq = $9, history_head = $10
         WHERE id = $1",
        g.id,
        entry.status,
        entry.assignee_id.map(Uuid::from),
        entry.level,
        entry.deadline_at,
        warn_at,
        overdue,
        now,
        entry.seq,
        hash,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Warns assignees whose deadline nears. Returns how many were warned.
#[tracing::instrument(name = "grievances::warn_due", skip(pool))]
pub async fn warn_due(
    pool: &PgPool,
    now: OffsetDateTime,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let now = history::to_micros(now);
    let mut tx = pool.begin().await?;
    let due = claim(
        &mut tx,
        &format!(
            "status IN {OPEN} AND warn_at <= $1 AND (deadline_at IS NULL OR deadline_at > $1)"
        ),
        "warn_at",
        now,
        batch,
    )
    .await?;
    for g in &due {
        let entry = Entry {
            public: false,
            ..g.system_entry(Event::DeadlineNear, now)
        };
        let hash = append(&mut tx, g, &entry).await?;
        sqlx::query!(
            "UPDATE grievances SET warn_at = NULL, history_seq = $2, history_head = $3 WHERE id = $1",
            g.id,
            entry.seq,
            hash,
        )
        .execute(&mut *tx)
        .await?;
        let hours_left = g
            .deadline_at
            .map(|d| (d - now).whole_hours().max(0))
            .unwrap_or(0);
        let notice = Notice::DeadlineNear {
            number: g.number.clone(),
            hours_left,
        };
        tell_staff(&mut tx, g, g.assignee_id, &notice).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Closes resolved grievances whose citizen did not answer within the reopen window: the
/// resolution stands (closed, fixed); a rejection stays rejected.
#[tracing::instrument(name = "grievances::close_unanswered", skip(pool))]
pub async fn close_unanswered(
    pool: &PgPool,
    now: OffsetDateTime,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let now = history::to_micros(now);
    let mut tx = pool.begin().await?;
    let due = claim(
        &mut tx,
        "status = 'resolved' AND resolved_at <= $1",
        "resolved_at",
        now - Duration::days(REOPEN_WINDOW_DAYS),
        batch,
    )
    .await?;
    for g in &due {
        let entry = Entry {
            status: Status::ClosedFixed.as_str().into(),
            ..g.system_entry(Event::ClosedUnanswered, now)
        };
        let hash = append(&mut tx, g, &entry).await?;
        sqlx::query!(
            "UPDATE grievances SET status = 'closed_fixed', closed_at = $2, updated_at = $2,
                 history_seq = $3, history_head = $4 WHERE id = $1",
            g.id,
            now,
            entry.seq,
            hash,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(due.len())
}
