//! What the department and the applicant do to an application: one command that reads the locked
//! application, asks the rules (`access`, `lifecycle`) and records what they decided, telling
//! whom it concerns.

use super::{from_date, lock, record, tell, to_date, today_in_india, Step};
use crate::applications::access::{may_act, may_view};
use crate::applications::lifecycle::{check_note, due_after_answer, Action};
use crate::applications::{ApplicationNumber, Notice, Status};
use crate::certificates;
use crate::history::Facts;
use crate::identity::Actor;
use crate::ids::{AccountId, DepartmentId, PostId};
use crate::problem::Problem;
use crate::sealed::DataKey;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// What an approval needs to issue a certificate: the master key (to read the answers, sign, and
/// seal the copies) and the address people reach the app at (the QR code's link).
#[derive(Clone, Copy)]
pub struct Issuing<'a> {
    pub master: &'a DataKey,
    pub public_url: &'a str,
}

/// One step, as the person taking it asked for it.
#[derive(Clone, Copy)]
pub struct StepAsked<'a> {
    pub number: &'a ApplicationNumber,
    pub action: Action,
    pub note: &'a str,
}

/// Takes the step `asked` as `actor` (`by` their account); an approval issues the certificate the
/// service's form calls for, in the same transaction. Answers the state it is in now.
pub async fn take_step(
    pool: &PgPool,
    issuing: Issuing<'_>,
    actor: &Actor,
    by: AccountId,
    asked: StepAsked<'_>,
    now: OffsetDateTime,
) -> Result<Status, Problem> {
    let StepAsked {
        number,
        action,
        note,
    } = asked;
    let today = today_in_india(now);
    let calendar = super::calendar(pool, today).await?;
    let mut tx = pool.begin().await?;
    let a = lock(&mut tx, number).await?;
    let own = a.ownership();
    if !may_view(actor, &own) {
        return Err(Problem::NotFound);
    }
    if !may_act(actor, &own, action) {
        return Err(Problem::Forbidden);
    }
    if let Some(problem) = check_note(action, note) {
        return Err(Problem::Invalid(vec![problem]));
    }
    let status = a
        .status
        .after(action)
        .ok_or(Problem::Conflict("err_step_not_open"))?;
    let note = note.trim();
    // The clock stands still while the department waits on the applicant.
    let (waiting_since, due_on) = match action {
        Action::AskForMore => (Some(to_date(today)?), a.due_on),
        Action::Answer => {
            let asked = a.waiting_since.map(from_date).unwrap_or(today);
            let due = due_after_answer(&calendar, from_date(a.due_on), asked, today);
            (None, to_date(due)?)
        }
        _ => (None, a.due_on),
    };
    let mut facts = Facts::new().with("status", status.as_str());
    if due_on != a.due_on {
        facts.set("due_on", super::day_text(from_date(due_on)));
    }
    record(
        &mut tx,
        &a,
        Step {
            at: now,
            actor: Some(by),
            actor_kind: if action.by_staff() {
                "official"
            } else {
                "citizen"
            },
            kind: action.as_str(),
            facts,
            note,
        },
    )
    .await?;
    let decided = matches!(action, Action::Approve | Action::Reject);
    sqlx::query!(
        "UPDATE applications SET status = $2, waiting_since = $3, due_on = $4,
             decided_at = CASE WHEN $5 THEN $6 ELSE decided_at END
         WHERE id = $1",
        a.id,
        status.as_str(),
        waiting_since,
        due_on,
        decided,
        now,
    )
    .execute(&mut *tx)
    .await?;
    if action == Action::Approve {
        let issued =
            certificates::store::issue(&mut tx, issuing.master, issuing.public_url, a.id, now)
                .await?;
        if let Some(kind) = issued {
            let a = lock(&mut tx, number).await?;
            let step = Step {
                at: now,
                actor: Some(by),
                actor_kind: "official",
                kind: "certificate_issued",
                facts: Facts::new().with("certificate", kind.as_str()),
                note: "",
            };
            record(&mut tx, &a, step).await?;
        }
    }
    if action == Action::Answer {
        let notice = Notice::Answered {
            number: a.number.clone(),
        };
        tell(&mut tx, a.id, a.assignee_id, &notice).await?;
    } else if action != Action::Verify {
        let notice = Notice::Updated {
            number: a.number.clone(),
            status,
            note: note.to_string(),
        };
        tell(&mut tx, a.id, a.applicant_id, &notice).await?;
    }
    tx.commit().await?;
    Ok(status)
}

/// Gives applications of `department` to `to`, one of its staff, as `by` (its admin): picked by
/// hand, they leave the post they were routed to. Finished ones, or those already theirs, stay as
/// they are; one of another department refuses the whole selection. Answers how many moved.
pub async fn reassign(
    pool: &PgPool,
    numbers: &[ApplicationNumber],
    to: AccountId,
    by: AccountId,
    department: DepartmentId,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    if !crate::departments::store::is_staff(pool, to, department).await? {
        return Err(Problem::field("to", "err_reassign_target"));
    }
    let mut tx = pool.begin().await?;
    let mut moved = 0;
    for number in numbers {
        let a = lock(&mut tx, number).await?;
        if a.department_id != department {
            return Err(Problem::NotFound);
        }
        moved += usize::from(give(&mut tx, &a, to, by, Post::Leave, now).await?);
    }
    tx.commit().await?;
    Ok(moved)
}

/// Whether an application given to someone stays with the post it was routed to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Post {
    Keep,
    Leave,
}

/// Gives the locked application to `to` (recorded, and they are told), unless it is finished or
/// already theirs. Answers whether it moved.
async fn give(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    a: &super::Locked,
    to: AccountId,
    by: AccountId,
    post: Post,
    now: OffsetDateTime,
) -> Result<bool, Problem> {
    if !a.status.is_open() || a.assignee_id == Some(to) {
        return Ok(false);
    }
    record(
        tx,
        a,
        Step {
            at: now,
            actor: Some(by),
            actor_kind: "official",
            kind: "reassigned",
            facts: Facts::new()
                .with("status", a.status.as_str())
                .with("assignee", to),
            note: "",
        },
    )
    .await?;
    sqlx::query!(
        "UPDATE applications SET assignee_id = $2, post_id = CASE WHEN $3 THEN post_id END WHERE id = $1",
        a.id,
        to.uuid(),
        post == Post::Keep,
    )
    .execute(&mut **tx)
    .await?;
    let notice = Notice::Assigned {
        number: a.number.clone(),
        due: super::day_text(from_date(a.due_on)),
    };
    tell(tx, a.id, Some(to), &notice).await?;
    Ok(true)
}

/// Who works a department's applications when nobody else can: its admin, else a city admin.
async fn stand_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    department: Option<DepartmentId>,
) -> Result<Option<Uuid>, Problem> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM users
         WHERE (role = 'department_admin' AND department_id = $1) OR role = 'city_admin'
         ORDER BY role = 'city_admin', created_at LIMIT 1",
        department.map(Uuid::from)
    )
    .fetch_optional(&mut **tx)
    .await?)
}

/// Gives each of `ids` (locked in order) to `to`, keeping or leaving their post. Answers how many moved.
async fn give_all(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    ids: &[Uuid],
    to: AccountId,
    by: AccountId,
    post: Post,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let mut moved = 0;
    for id in ids {
        let a = super::lock_id(tx, *id).await?;
        moved += usize::from(give(tx, &a, to, by, post, now).await?);
    }
    Ok(moved)
}

/// A post's open applications follow it to its new holder (vacant: to the department's admin),
/// in the appointment's transaction. Answers how many moved.
pub async fn follow_post(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    post: PostId,
    department: DepartmentId,
    holder: Option<AccountId>,
    by: AccountId,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let ids = sqlx::query_scalar!(
        "SELECT id FROM applications WHERE post_id = $1 AND status NOT IN ('rejected', 'delivered') ORDER BY id",
        post.uuid()
    )
    .fetch_all(&mut **tx)
    .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let to = match holder {
        Some(h) => Some(h),
        None => (stand_in(tx, Some(department)).await?).map(Into::into),
    };
    match to {
        Some(to) => give_all(tx, &ids, to, by, Post::Keep, now).await,
        None => Ok(0),
    }
}

/// A removed official's open applications go to whoever will work them now: those routed to a
/// post stay the post's (its next holder takes them), the rest go to the department's admin, else
/// a city admin. Answers how many moved.
pub async fn hand_over(
    pool: &PgPool,
    from: AccountId,
    department: Option<DepartmentId>,
    by: AccountId,
    now: OffsetDateTime,
) -> Result<usize, Problem> {
    let mut tx = pool.begin().await?;
    let ids = sqlx::query_scalar!(
        "SELECT id FROM applications WHERE assignee_id = $1 AND status NOT IN ('rejected', 'delivered')
         ORDER BY id",
        from.uuid()
    )
    .fetch_all(&mut *tx)
    .await?;
    let Some(to) = stand_in(&mut tx, department)
        .await?
        .map(AccountId::from)
        .filter(|t| *t != from)
    else {
        return Ok(0);
    };
    let moved = give_all(&mut tx, &ids, to, by, Post::Keep, now).await?;
    tx.commit().await?;
    Ok(moved)
}

/// The working days before its due date an application's officer is reminded.
pub const REMIND_WORKING_DAYS: u16 = 2;

/// Reminds the officers of applications due within `REMIND_WORKING_DAYS` (each due date once;
/// the department's admin where no officer holds it). Several instances may run it: each claims
/// its own rows. Answers how many were reminded.
pub async fn remind_due(pool: &PgPool, now: OffsetDateTime, batch: i64) -> Result<usize, Problem> {
    let today = today_in_india(now);
    let calendar = super::calendar(pool, today).await?;
    let horizon = to_date(calendar.add_working_days(today, REMIND_WORKING_DAYS))?;
    let mut tx = pool.begin().await?;
    let due = sqlx::query!(
        r#"SELECT a.id, a.number, a.due_on,
                  coalesce(a.assignee_id, (SELECT u.id FROM users u WHERE u.role = 'department_admin'
                                           AND u.department_id = a.department_id ORDER BY u.created_at LIMIT 1)) AS officer
           FROM applications a
           WHERE a.status NOT IN ('rejected', 'delivered', 'awaiting_citizen')
             AND a.due_on >= $1 AND a.due_on <= $2
             AND a.reminded_for IS DISTINCT FROM a.due_on
           ORDER BY a.due_on, a.id LIMIT $3
           FOR UPDATE OF a SKIP LOCKED"#,
        to_date(today)?,
        horizon,
        batch,
    )
    .fetch_all(&mut *tx)
    .await?;
    for a in &due {
        let notice = Notice::DueSoon {
            number: a.number.clone(),
            due: super::day_text(from_date(a.due_on)),
        };
        tell(&mut tx, a.id, a.officer.map(Into::into), &notice).await?;
        sqlx::query!(
            "UPDATE applications SET reminded_for = due_on WHERE id = $1",
            a.id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(due.len())
}
