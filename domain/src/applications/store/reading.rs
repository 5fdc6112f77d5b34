//! Reading applications: a person's own list, one application as its page shows it (the form
//! version it was filed with, its answers opened), and its timeline from the shared history.

use super::{from_date, open_answers, Locked};
use crate::applications::form::{Answers, Day, Form};
use crate::applications::{ApplicationNumber, Status};
use crate::ids::AccountId;
use crate::money::Paise;
use crate::problem::Problem;
use crate::sealed::DataKey;
use crate::Locale;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// One application as a list shows it.
#[derive(Clone, Debug)]
pub struct Summary {
    pub number: String,
    pub service_name: String,
    pub department_name: String,
    pub status: Status,
    pub filed_on: Day,
    pub due_on: Day,
    pub fee: Paise,
    pub fee_status: String,
}

/// The applications a person made, newest first.
pub async fn mine(
    pool: &PgPool,
    applicant: AccountId,
    locale: Locale,
) -> Result<Vec<Summary>, Problem> {
    let rows = sqlx::query!(
        r#"SELECT a.number, a.status AS "status: Status", a.filed_on, a.due_on, a.fee_paise, a.fee_status,
                  coalesce(nullif(st.name, ''), se.name) AS "service_name!",
                  coalesce(dt.name, de.name) AS "department_name!"
           FROM applications a
           JOIN service_translations se ON se.service_id = a.service_id AND se.locale = 'en'
           LEFT JOIN service_translations st ON st.service_id = a.service_id AND st.locale = $2
           JOIN department_translations de ON de.department_id = a.department_id AND de.locale = 'en'
           LEFT JOIN department_translations dt ON dt.department_id = a.department_id AND dt.locale = $2
           WHERE a.applicant_id = $1
           ORDER BY a.created_at DESC, a.id
           LIMIT 200"#,
        applicant.uuid(),
        locale.code()
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Summary {
            number: r.number,
            service_name: r.service_name,
            department_name: r.department_name,
            status: r.status,
            filed_on: from_date(r.filed_on),
            due_on: from_date(r.due_on),
            fee: Paise(r.fee_paise),
            fee_status: r.fee_status,
        })
        .collect())
}

/// One application with what its page shows.
#[derive(Clone, Debug)]
pub struct Application {
    pub id: Uuid,
    pub number: String,
    pub service_slug: String,
    pub service_name: String,
    pub department_name: String,
    pub status: Status,
    /// The form as it was when this application was filed.
    pub form: Form,
    pub form_version: i32,
    /// `None` once erased at the applicant's request.
    pub answers: Option<Answers>,
    pub fee: Paise,
    pub fee_status: String,
    pub filed_on: Day,
    pub due_on: Day,
    /// Since when the department waits on the applicant (the clock stands still).
    pub waiting_since: Option<Day>,
    pub applicant_name: Option<String>,
    pub assignee_name: Option<String>,
    pub ownership: crate::applications::access::Ownership,
    pub filed_at: OffsetDateTime,
}

/// An application by its number, whoever asks (the caller checks `access::may_view`).
pub async fn by_number(
    pool: &PgPool,
    key: &DataKey,
    number: &ApplicationNumber,
    locale: Locale,
) -> Result<Option<Application>, Problem> {
    let row = sqlx::query!(
        r#"SELECT a.id, a.number, a.status AS "status: Status", a.service_id, a.form_version, a.answers,
                  a.fee_paise, a.fee_status, a.filed_on, a.due_on, a.waiting_since, a.department_id,
                  a.applicant_id, a.assignee_id, a.created_at, s.slug,
                  coalesce(nullif(st.name, ''), se.name) AS "service_name!",
                  coalesce(dt.name, de.name) AS "department_name!",
                  ap.name AS "applicant_name?", asg.name AS "assignee_name?"
           FROM applications a
           JOIN services s ON s.id = a.service_id
           JOIN service_translations se ON se.service_id = a.service_id AND se.locale = 'en'
           LEFT JOIN service_translations st ON st.service_id = a.service_id AND st.locale = $2
           JOIN department_translations de ON de.department_id = a.department_id AND de.locale = 'en'
           LEFT JOIN department_translations dt ON dt.department_id = a.department_id AND dt.locale = $2
           LEFT JOIN users ap ON ap.id = a.applicant_id
           LEFT JOIN users asg ON asg.id = a.assignee_id
           WHERE a.number = $1"#,
        number.as_str(),
        locale.code()
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let form = super::form_version(pool, r.service_id.into(), r.form_version)
        .await?
        .ok_or_else(|| Problem::unexpected("an application's form version is missing"))?;
    let answers = r
        .answers
        .as_deref()
        .map(|sealed| open_answers(key, r.id, sealed))
        .transpose()?;
    Ok(Some(Application {
        id: r.id,
        number: r.number,
        service_slug: r.slug,
        service_name: r.service_name,
        department_name: r.department_name,
        status: r.status,
        form,
        form_version: r.form_version,
        answers,
        fee: Paise(r.fee_paise),
        fee_status: r.fee_status,
        filed_on: from_date(r.filed_on),
        due_on: from_date(r.due_on),
        waiting_since: r.waiting_since.map(from_date),
        applicant_name: r.applicant_name,
        assignee_name: r.assignee_name,
        ownership: crate::applications::access::Ownership {
            applicant_id: r.applicant_id.map(Into::into),
            department_id: r.department_id.into(),
            assignee_id: r.assignee_id.map(Into::into),
        },
        filed_at: r.created_at,
    }))
}

/// Who an application belongs to, by its number (for a check before anything else is read).
pub async fn ownership(
    pool: &PgPool,
    number: &ApplicationNumber,
) -> Result<Option<crate::applications::access::Ownership>, Problem> {
    let row = sqlx::query!(
        "SELECT applicant_id, department_id, assignee_id FROM applications WHERE number = $1",
        number.as_str()
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| crate::applications::access::Ownership {
        applicant_id: r.applicant_id.map(Into::into),
        department_id: r.department_id.into(),
        assignee_id: r.assignee_id.map(Into::into),
    }))
}

/// One step of an application's timeline.
#[derive(Clone, Debug)]
pub struct TimelineEntry {
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_name: Option<String>,
    /// `filed` or a step (`lifecycle::Action::as_str`)
    pub kind: String,
    pub status: Option<Status>,
    pub note: String,
}

/// Every step taken on an application, oldest first, with who took it.
pub async fn timeline(pool: &PgPool, id: Uuid) -> Result<Vec<TimelineEntry>, Problem> {
    let rows = sqlx::query!(
        r#"SELECT h.at, h.actor_kind, u.name AS "actor_name?", h.kind, h.facts->>'status' AS status,
                  coalesce(h.note, '') AS "note!"
           FROM history h LEFT JOIN users u ON u.id = h.actor_id
           WHERE h.subject = 'application' AND h.subject_id = $1 AND h.public
           ORDER BY h.seq"#,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TimelineEntry {
            at: r.at,
            actor_kind: r.actor_kind,
            actor_name: r.actor_name,
            kind: r.kind,
            status: r.status.as_deref().and_then(Status::parse),
            note: r.note,
        })
        .collect())
}

/// An application locked for a change, by its number.
pub(super) async fn lock(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    number: &ApplicationNumber,
) -> Result<Locked, Problem> {
    sqlx::query_as!(
        Locked,
        r#"SELECT id, number, status AS "status: Status", department_id,
                  applicant_id AS "applicant_id: AccountId", assignee_id AS "assignee_id: AccountId",
                  due_on, waiting_since, history_seq, history_head
           FROM applications WHERE number = $1 FOR UPDATE"#,
        number.as_str()
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Problem::NotFound)
}

/// A person's applications and drafts as "Download my data" gives them: each with its answers
/// (opened), its steps and what it cost.
pub async fn export_of(
    pool: &PgPool,
    key: &DataKey,
    applicant: AccountId,
) -> Result<serde_json::Value, Problem> {
    let rows = sqlx::query!(
        r#"SELECT a.id, a.number, a.status, s.slug, a.form_version, a.answers, a.fee_paise, a.fee_status,
                  a.filed_on, a.due_on, a.decided_at, a.created_at
           FROM applications a JOIN services s ON s.id = a.service_id
           WHERE a.applicant_id = $1 ORDER BY a.created_at"#,
        applicant.uuid()
    )
    .fetch_all(pool)
    .await?;
    let mut applications = Vec::new();
    for r in rows {
        let answers = r
            .answers
            .as_deref()
            .map(|sealed| open_answers(key, r.id, sealed))
            .transpose()?;
        let steps: Vec<serde_json::Value> = timeline(pool, r.id)
            .await?
            .into_iter()
            .map(|e| serde_json::json!({ "at": e.at.to_string(), "step": e.kind, "by": e.actor_kind, "note": e.note }))
            .collect();
        applications.push(serde_json::json!({
            "number": r.number, "service": r.slug, "status": r.status, "form_version": r.form_version,
            "answers": answers, "fee_paise": r.fee_paise, "fee_status": r.fee_status,
            "filed_on": r.filed_on.to_string(), "due_on": r.due_on.to_string(),
            "decided_at": r.decided_at.map(|t| t.to_string()), "steps": steps,
        }));
    }
    let drafts = sqlx::query!(
        r#"SELECT d.service_id, s.slug, d.updated_at FROM application_drafts d
           JOIN services s ON s.id = d.service_id WHERE d.applicant_id = $1"#,
        applicant.uuid()
    )
    .fetch_all(pool)
    .await?;
    let mut kept = Vec::new();
    for d in drafts {
        let answers = super::draft(pool, key, applicant, d.service_id.into())
            .await?
            .map(|d| d.answers);
        kept.push(serde_json::json!({ "service": d.slug, "answers": answers, "kept_at": d.updated_at.to_string() }));
    }
    Ok(serde_json::json!({ "made": applications, "drafts": kept }))
}

/// What closing an account does to its applications, in the closure's transaction: finished ones
/// keep no answers; open ones keep theirs while the department works them (the row loses the
/// person when the account goes). Drafts go with the account. Answers how many were kept.
pub async fn forget_applicant(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    applicant: AccountId,
) -> Result<u64, Problem> {
    let kept = sqlx::query!(
        "UPDATE applications SET answers = CASE WHEN status IN ('rejected', 'delivered') THEN NULL
                                                ELSE answers END
         WHERE applicant_id = $1",
        applicant.uuid()
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query!(
        "DELETE FROM application_drafts WHERE applicant_id = $1",
        applicant.uuid()
    )
    .execute(&mut **tx)
    .await?;
    Ok(kept)
}

/// An application locked for a change, by its id.
pub(super) async fn lock_id(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    id: Uuid,
) -> Result<Locked, Problem> {
    sqlx::query_as!(
        Locked,
        r#"SELECT id, number, status AS "status: Status", department_id,
                  applicant_id AS "applicant_id: AccountId", assignee_id AS "assignee_id: AccountId",
                  due_on, waiting_since, history_seq, history_head
           FROM applications WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Problem::NotFound)
}
