//! Appeals in Postgres: the applicant appeals (or asks for a revision) to the officer the
//! department names; that officer decides within 30 days, may order a penalty against the
//! officer who failed; an appeal allowed sends the application back to be decided within a
//! week's working days. Each step is in the application's history. And the counts a department
//! is judged by: overdue, appealed, penalised.

use super::{from_date, lock, record, tell, to_date, today_in_india, Step};
use crate::applications::appeals::{self, Appeal, Decision, Ground, Level};
use crate::applications::{ApplicationNumber, Notice, Status};
use crate::db::new_id;
use crate::history::Facts;
use crate::identity::{Actor, Role};
use crate::ids::{AccountId, DepartmentId};
use crate::money::Paise;
use crate::problem::{FieldError, Problem};
use crate::Locale;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// One appeal as the application's page shows it.
#[derive(Clone, Debug)]
pub struct AppealRow {
    pub id: Uuid,
    pub level: Level,
    pub ground: Ground,
    pub officer_id: Option<AccountId>,
    pub officer_name: Option<String>,
    pub decision: Option<Decision>,
    pub filed_at: OffsetDateTime,
    pub due_on: time::Date,
    pub decided_at: Option<OffsetDateTime>,
    pub penalty: Option<Paise>,
    pub penalised_name: Option<String>,
}

impl AppealRow {
    pub fn rule(&self, today: time::Date) -> Appeal {
        Appeal {
            level: self.level,
            decision: self.decision,
            overdue: self.decision.is_none() && today > self.due_on,
        }
    }
}

/// An application's appeals, the appeal before the revision.
pub async fn appeals_of(
    db: impl sqlx::PgExecutor<'_>,
    application: Uuid,
) -> Result<Vec<AppealRow>, Problem> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.level, p.ground, p.officer_id, o.name AS "officer_name?", p.decision, p.filed_at,
                  p.due_on, p.decided_at, p.penalty_paise, x.name AS "penalised_name?"
           FROM appeals p LEFT JOIN users o ON o.id = p.officer_id LEFT JOIN users x ON x.id = p.penalised_id
           WHERE p.application_id = $1 ORDER BY p.level"#,
        application
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AppealRow {
                id: r.id,
                level: Level::from_number(r.level)
                    .ok_or_else(|| Problem::unexpected("an appeal of an unknown level"))?,
                ground: Ground::parse(&r.ground)
                    .ok_or_else(|| Problem::unexpected("an appeal on an unknown ground"))?,
                officer_id: r.officer_id.map(crate::ids::AccountId::from),
                officer_name: r.officer_name,
                decision: r.decision.as_deref().and_then(Decision::parse),
                filed_at: r.filed_at,
                due_on: r.due_on,
                decided_at: r.decided_at,
                penalty: r.penalty_paise.map(Paise),
                penalised_name: r.penalised_name,
            })
        })
        .collect()
}

/// What the applicant may ask for on `today` (an appeal or a revision, and on what ground), given
/// the application's state, its due date and its appeals so far (`appeals::may_ask`).
pub fn open_to_appeal(
    status: Status,
    due_on: time::Date,
    appeals: &[AppealRow],
    today: time::Date,
) -> Option<(Level, Ground)> {
    let rules: Vec<Appeal> = appeals.iter().map(|p| p.rule(today)).collect();
    appeals::may_ask(status, today > due_on, &rules)
}

/// Who decides an appeal (or a revision) of `department`'s applications: the officer it names,
/// else one of its admins, else a city admin.
pub async fn appellate_officer(
    db: impl sqlx::PgExecutor<'_>,
    department: DepartmentId,
    level: Level,
) -> Result<Option<(Uuid, String)>, Problem> {
    let row = sqlx::query!(
        r#"SELECT u.id AS "id!", u.name AS "name!" FROM (
               SELECT CASE WHEN $2 = 1 THEN d.appellate_officer_id ELSE d.revision_officer_id END AS id, 0 AS rank
               FROM departments d WHERE d.id = $1
               UNION ALL SELECT id, 1 FROM users WHERE role = 'department_admin' AND department_id = $1 AND $2 = 1
               UNION ALL SELECT id, 2 FROM users WHERE role = 'city_admin'
           ) c JOIN users u ON u.id = c.id
           ORDER BY c.rank, u.created_at LIMIT 1"#,
        department.uuid(),
        i32::from(level.number())
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.id, r.name)))
}

/// The words an appeal or a decision must give: required, never too long.
fn check_words(note: &str) -> Result<&str, FieldError> {
    match crate::problem::check_note(note, true) {
        Some(problem) => Err(problem),
        None => Ok(note.trim()),
    }
}

/// The applicant appeals (or asks for a revision), saying why. Answers which it was.
pub async fn appeal(
    pool: &PgPool,
    number: &ApplicationNumber,
    applicant: AccountId,
    note: &str,
    now: OffsetDateTime,
) -> Result<Level, Problem> {
    let today = to_date(today_in_india(now))?;
    let mut tx = pool.begin().await?;
    let a = lock(&mut tx, number).await?;
    if a.applicant_id != Some(applicant) {
        return Err(Problem::NotFound);
    }
    let existing = appeals_of(&mut *tx, a.id).await?;
    let (level, ground) = open_to_appeal(a.status, a.due_on, &existing, today)
        .ok_or(Problem::Conflict("err_appeal_not_open"))?;
    let note = check_words(note).map_err(|f| Problem::Invalid(vec![f]))?;
    let (officer, _) = appellate_officer(&mut *tx, a.department_id, level)
        .await?
        .ok_or_else(|| Problem::unexpected("nobody can decide appeals"))?;
    let due = today + Duration::days(appeals::DECIDE_WITHIN_DAYS);
    sqlx::query!(
        "INSERT INTO appeals (id, application_id, level, ground, officer_id, filed_at, due_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        new_id(),
        a.id,
        level.number(),
        ground.as_str(),
        officer,
        now,
        due,
    )
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        &a,
        Step {
            at: now,
            actor: Some(applicant),
            actor_kind: "citizen",
            kind: if level == Level::Appeal {
                "appealed"
            } else {
                "revision_asked"
            },
            facts: Facts::new()
                .with("status", a.status.as_str())
                .with("level", level.number())
                .with("ground", ground.as_str())
                .with("officer", officer)
                .with("due_on", super::day_text(from_date(due))),
            note,
        },
    )
    .await?;
    let notice = Notice::Appealed {
        number: a.number.clone(),
        due: super::day_text(from_date(due)),
    };
    tell(&mut tx, a.id, Some(officer.into()), &notice).await?;
    tx.commit().await?;
    Ok(level)
}

/// What the officer decided, as they typed it.
#[derive(Clone, Debug)]
pub struct Ruling<'a> {
    pub decision: &'a str,
    pub note: &'a str,
    /// rupees, or empty
    pub penalty: &'a str,
}

/// The officer an appeal waits on decides it: allowed (the department must decide within
/// `ORDERED_WITHIN_WORKING_DAYS`; a rejection is undone) or dismissed, with reasons, and a penalty
/// against the application's officer if they order one.
pub async fn decide_appeal(
    pool: &PgPool,
    number: &ApplicationNumber,
    actor: &Actor,
    by: AccountId,
    ruling: &Ruling<'_>,
    now: OffsetDateTime,
) -> Result<Decision, Problem> {
    let today_day = today_in_india(now);
    let calendar = super::calendar(pool, today_day).await?;
    let mut tx = pool.begin().await?;
    let a = lock(&mut tx, number).await?;
    let pending = appeals_of(&mut *tx, a.id)
        .await?
        .into_iter()
        .rev()
        .find(|p| p.decision.is_none());
    let Some(pending) = pending else {
        return Err(if super::may_see(actor, &a) {
            Problem::Conflict("err_appeal_not_open")
        } else {
            Problem::NotFound
        });
    };
    if pending.officer_id != Some(by) {
        return Err(
            if super::may_see(actor, &a) || actor.role == Role::CityAdmin {
                Problem::Forbidden
            } else {
                Problem::NotFound
            },
        );
    }
    let mut problems = Vec::new();
    let decision = Decision::parse(ruling.decision.trim());
    if decision.is_none() {
        problems.push(FieldError::new("decision", "err_decision_choose"));
    }
    if let Err(f) = check_words(ruling.note) {
        problems.push(f);
    }
    let penalty = appeals::parse_penalty(ruling.penalty).unwrap_or_else(|code| {
        problems.push(FieldError::new("penalty", code));
        None
    });
    if penalty.is_some() && a.assignee_id.is_none() {
        problems.push(FieldError::new("penalty", "err_penalty_no_officer"));
    }
    Problem::check(problems)?;
    let decision = decision.expect("checked");
    let note = ruling.note.trim();
    let penalised = penalty.and(a.assignee_id);
    sqlx::query!(
        "UPDATE appeals SET decision = $2, decided_at = $3, decided_by = $4, penalty_paise = $5, penalised_id = $6
         WHERE id = $1",
        pending.id,
        decision.as_str(),
        now,
        by.uuid(),
        penalty.map(|p| p.0),
        penalised.map(Uuid::from),
    )
    .execute(&mut *tx)
    .await?;
    // Allowed: the department must decide again, soon; a rejection is undone.
    let (status, due_on) = if decision == Decision::Allowed && a.status != Status::Delivered {
        let status = if a.status == Status::Rejected {
            Status::Submitted
        } else {
            a.status
        };
        let due = calendar.add_working_days(today_day, appeals::ORDERED_WITHIN_WORKING_DAYS);
        (status, to_date(due)?)
    } else {
        (a.status, a.due_on)
    };
    let mut facts = Facts::new()
        .with("status", status.as_str())
        .with("level", pending.level.number())
        .with("decision", decision.as_str());
    if let (Some(p), Some(who)) = (penalty, penalised) {
        facts.set("penalty_paise", p.0);
        facts.set("penalised", who);
    }
    if due_on != a.due_on {
        facts.set("due_on", super::day_text(from_date(due_on)));
    }
    record(
        &mut tx,
        &a,
        Step {
            at: now,
            actor: Some(by),
            actor_kind: "official",
            kind: "appeal_decided",
            facts,
            note,
        },
    )
    .await?;
    sqlx::query!(
        "UPDATE applications SET status = $2, due_on = $3,
             decided_at = CASE WHEN $2 = 'submitted' THEN NULL ELSE decided_at END
         WHERE id = $1",
        a.id,
        status.as_str(),
        due_on,
    )
    .execute(&mut *tx)
    .await?;
    let notice = Notice::AppealDecided {
        number: a.number.clone(),
        decision,
        note: note.to_string(),
    };
    tell(&mut tx, a.id, a.applicant_id, &notice).await?;
    tx.commit().await?;
    Ok(decision)
}

/// A department's record under the Act: applications open, past their time limit, appealed,
/// and penalties ordered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentRecord {
    pub department_id: DepartmentId,
    pub name: String,
    pub open: i64,
    pub overdue: i64,
    pub appealed: i64,
    pub penalised: i64,
    pub penalties: Paise,
}

/// Every department's record (or one's), those with applications first.
pub async fn department_records(
    pool: &PgPool,
    department: Option<DepartmentId>,
    now: OffsetDateTime,
    locale: Locale,
) -> Result<Vec<DepartmentRecord>, Problem> {
    let today = to_date(today_in_india(now))?;
    let rows = sqlx::query!(
        r#"SELECT d.id, coalesce(dt.name, de.name) AS "name!",
                  count(a.id) FILTER (WHERE a.status NOT IN ('rejected', 'delivered')) AS "open!",
                  count(a.id) FILTER (WHERE a.status NOT IN ('rejected', 'delivered', 'awaiting_citizen')
                                        AND a.due_on < $2) AS "overdue!",
                  count(a.id) FILTER (WHERE EXISTS (SELECT 1 FROM appeals p WHERE p.application_id = a.id)) AS "appealed!",
                  (SELECT count(*) FROM appeals p JOIN applications x ON x.id = p.application_id
                   WHERE x.department_id = d.id AND p.penalty_paise IS NOT NULL) AS "penalised!",
                  (SELECT coalesce(sum(p.penalty_paise), 0)::bigint FROM appeals p JOIN applications x ON x.id = p.application_id
                   WHERE x.department_id = d.id) AS "penalties!"
           FROM departments d
           JOIN department_translations de ON de.department_id = d.id AND de.locale = 'en'
           LEFT JOIN department_translations dt ON dt.department_id = d.id AND dt.locale = $3
           LEFT JOIN applications a ON a.department_id = d.id
           WHERE $1::uuid IS NULL OR d.id = $1
           GROUP BY d.id, dt.name, de.name
           ORDER BY count(a.id) DESC, 2"#,
        department.map(Uuid::from),
        today,
        locale.code(),
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DepartmentRecord {
            department_id: r.id.into(),
            name: r.name,
            open: r.open,
            overdue: r.overdue,
            appealed: r.appealed,
            penalised: r.penalised,
            penalties: Paise(r.penalties),
        })
        .collect())
}
