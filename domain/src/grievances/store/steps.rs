//! The steps people take on a grievance. What a step changes is decided by the rules
//! (`steps::effects`); here it is read, applied and recorded in one transaction.

use super::routing::{least_loaded, route};
use super::{append, lock, tell_filer, tell_staff, Locked};
use crate::db::new_id;
use crate::grievances::escalation::{self, ladder::ladder};
use crate::grievances::history::{self, Entry};
use crate::grievances::photos::{self, Photo};
use crate::grievances::steps::{check_step, effects, Effects};
use crate::grievances::{next_status, Action, Event, Notice, Status};
use crate::history::Facts;
use crate::ids::{AccountId, DepartmentId, PostId};
use crate::problem::{FieldError, Problem};
use sqlx::{PgPool, Postgres, Transaction};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A step someone takes. The caller has checked that they may (`may_act`).
#[derive(Clone, Debug)]
pub struct Step {
    pub action: Action,
    pub actor_id: AccountId,
    pub note: String,
    /// For a transfer: the category (of another department) it goes to.
    pub transfer_to: Option<Uuid>,
    /// For the citizen's confirmation: their rating, 1–5.
    pub rating: Option<i16>,
    /// Photos that come with the step (a resolution's "after" picture).
    pub photos: Vec<Photo>,
}

/// Where a transfer takes a grievance: the category, its department and who is routed there.
struct Destination {
    category: Uuid,
    department: DepartmentId,
    /// The post it is routed to there, if one handles it.
    post: Option<PostId>,
    assignee: Option<AccountId>,
    first_level: escalation::Level,
}

/// Takes one step on a grievance: checks it applies now, changes the grievance, appends the
/// history entry and tells whoever should know, in one transaction.
#[tracing::instrument(name = "grievances::take_step", skip_all, fields(grievance = %id, action = step.action.as_str()))]
pub async fn take_step(
    pool: &PgPool,
    id: Uuid,
    step: Step,
    now: OffsetDateTime,
) -> Result<Status, Problem> {
    let now = history::to_micros(now);
    Problem::check(check_step(step.action, &step.note, step.rating))?;
    let mut tx = pool.begin().await?;
    let g = lock(&mut tx, id).await?;
    let days = g.resolved_at.map(|r| (now - r).whole_days()).unwrap_or(0);
    // A step that does not apply now is named first, before what a transfer's target says.
    next_status(g.status, step.action, days, g.reopen_count)
        .map_err(|e| Problem::field("note", e.code()))?;
    let destination = match step.action {
        Action::Transfer => Some(destination(&mut tx, &g, step.transfer_to).await?),
        _ => None,
    };
    let clock = match &destination {
        Some(d) => Some(d.first_level.clone()),
        None if step.action == Action::Reopen => {
            // The clock starts again at the level it was on.
            let levels = ladder(&mut *tx, g.category_id).await?;
            escalation::level_of(&levels, g.level).cloned()
        }
        None => None,
    };
    let fx = effects(
        step.action,
        g.status,
        g.level,
        days,
        g.reopen_count,
        clock.as_ref(),
    )
    .map_err(|e| Problem::field("note", e.code()))?;
    let assignee = destination.as_ref().map_or(g.assignee_id, |d| d.assignee);
    let entry = Entry {
        grievance_id: g.id,
        seq: g.history_seq + 1,
        at: now,
        actor_id: Some(step.actor_id),
        actor_kind: if step.action.is_staff_action() {
            "official"
        } else {
            "citizen"
        }
        .into(),
        kind: Event::Step(step.action).as_str().into(),
        status: fx.status.as_str().into(),
        assignee_id: assignee,
        department_id: Some(
            destination
                .as_ref()
                .map_or(g.department_id, |d| d.department),
        ),
        level: fx.restart.map_or(g.level, |r| r.level),
        deadline_at: match fx.restart {
            Some(r) => Some(now + Duration::seconds(r.deadline_after_seconds)),
            None => g.deadline_at,
        }
        .map(history::to_micros),
        note: step.note.trim().to_string(),
        facts: Facts::new().with("photos", photos::fact(&step.photos)),
        personal: Facts::new(),
        public: fx.public,
    };
    let hash = append(&mut tx, &g, &entry).await?;
    keep_photos(&mut tx, g.id, entry.seq, &step.photos).await?;
    apply(
        &mut tx,
        &g,
        &entry,
        &hash,
        &fx,
        &step,
        destination.as_ref(),
        now,
    )
    .await?;
    tell(&mut tx, &g, &fx, &step, &entry).await?;
    tx.commit().await?;
    Ok(fx.status)
}

/// The category a transfer goes to: a leaf of another department, and who it routes to there.
async fn destination(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    target: Option<Uuid>,
) -> Result<Destination, Problem> {
    let target = target.ok_or_else(|| Problem::field("category", "err_category_required"))?;
    let plan = sqlx::query!(
        r#"SELECT department_id,
                  NOT EXISTS (SELECT 1 FROM grievance_categories k WHERE k.parent_id = c.id) AS "leaf!"
         FROM grievance_categories c WHERE id = $1"#,
        target,
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(|p| (p.department_id, p.leaf));
    let Some((department, true)) = plan.filter(|(d, _)| DepartmentId::from(*d) != g.department_id)
    else {
        return Err(Problem::Invalid(vec![FieldError::new(
            "category",
            "err_transfer_department",
        )]));
    };
    let routed = route(&mut **tx, target, g.ward_number, department.into()).await?;
    let assignee = match routed.and_then(|r| r.holder_id) {
        Some(a) => Some(a),
        None => (least_loaded(&mut **tx, "department_admin", Some(department.into())).await?)
            .map(Into::into),
    };
    let first_level = ladder(&mut **tx, target)
        .await?
        .into_iter()
        .next()
        .unwrap_or_else(|| escalation::default_ladder().swap_remove(0));
    Ok(Destination {
        category: target,
        department: department.into(),
        post: (routed.map(|r| r.post_id)),
        assignee,
        first_level,
    })
}

async fn keep_photos(
    tx: &mut Transaction<'_, Postgres>,
    grievance: Uuid,
    seq: i32,
    photos: &[Photo],
) -> Result<(), sqlx::Error> {
    for (i, p) in photos.iter().enumerate() {
        sqlx::query!(
            "INSERT INTO grievance_photos (id, grievance_id, history_seq, position, content, sha256, width, height)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            new_id(),
            grievance,
            seq,
            i as i32 + 1,
            p.jpeg,
            p.sha256,
            p.width as i32,
            p.height as i32,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Writes the step's effects on the grievance row.
#[allow(clippy::too_many_arguments)]
async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    entry: &Entry,
    hash: &[u8],
    fx: &Effects,
    step: &Step,
    destination: Option<&Destination>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let warn_at = fx
        .restart
        .map(|r| now + Duration::seconds(r.warn_after_seconds));
    let keep_warn = fx.restart.is_none() && !fx.clears_warning;
    let rating = step.rating.filter(|_| fx.keeps_rating);
    sqlx::query!(
        "UPDATE grievances SET status = $2, assignee_id = $3, department_id = $4, category_id = $5, level = $6,
             deadline_at = $7, warn_at = CASE WHEN $8 THEN warn_at ELSE $9 END,
             overdue_since = CASE WHEN $10 THEN NULL ELSE overdue_since END,
             reopen_count = reopen_count + CASE WHEN $11 THEN 1 ELSE 0 END,
             resolved_at = CASE WHEN $2 IN ('resolved', 'rejected') THEN $12 WHEN $11 THEN NULL ELSE resolved_at END,
             closed_at = CASE WHEN $2 IN ('closed_fixed', 'closed_not_fixed') THEN $12 ELSE closed_at END,
             rating = COALESCE($13, rating),
             rating_comment = CASE WHEN $13 IS NOT NULL THEN $14 ELSE rating_comment END,
             updated_at = $12, history_seq = $15, history_head = $16,
             post_id = CASE WHEN $17 THEN $18 ELSE post_id END
         WHERE id = $1",
        g.id,
        fx.status as _,
        entry.assignee_id.map(Uuid::from),
        entry.department_id.map(Uuid::from),
        destination.map_or(g.category_id, |d| d.category),
        entry.level,
        entry.deadline_at,
        keep_warn,
        warn_at,
        fx.clears_overdue,
        fx.reopens,
        now,
        rating,
        entry.note,
        entry.seq,
        hash,
        destination.is_some(),
        destination.and_then(|d| d.post).map(uuid::Uuid::from),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells whoever the step's effects name.
async fn tell(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    fx: &Effects,
    step: &Step,
    entry: &Entry,
) -> Result<(), sqlx::Error> {
    let number = g.number.clone();
    if fx.tells_filer {
        let notice = Notice::Updated {
            number: number.clone(),
            status: fx.status,
            action: step.action,
            note: entry.note.clone(),
        };
        tell_filer(tx, g, &notice).await?;
    }
    if fx.tells_new_assignee {
        let notice = Notice::Assigned {
            number: number.clone(),
        };
        tell_staff(tx, g, entry.assignee_id, &notice).await?;
    }
    if fx.tells_assignee {
        let notice = Notice::CitizenActed {
            number,
            action: step.action,
        };
        tell_staff(tx, g, entry.assignee_id, &notice).await?;
    }
    Ok(())
}
