//! Drafts and filing: what a citizen types into a service's form is kept as they go (sealed, one
//! draft per person and service), checked by the form's rules when they continue, and filed from
//! the draft exactly once: a second submit of the same draft finds the application it made.

use super::{append, current_form, seal_answers, tell, to_date, today_in_india, Step};
use crate::applications::calendar::Calendar;
use crate::applications::form::{Answers, Checked, Day, FieldKind, Form};
use crate::applications::{ApplicationNumber, Notice, Status};
use crate::db::new_id;
use crate::history::Facts;
use crate::ids::{AccountId, ServiceId};
use crate::money::Paise;
use crate::problem::{FieldError, Problem};
use crate::sealed::DataKey;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// The most characters a draft keeps of one answer (more than any field takes).
const DRAFT_ANSWER_MAX: usize = 2_000;

/// What a person has typed into a service's form and not yet submitted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// The version of the form it answers.
    pub version: i32,
    pub answers: Answers,
    /// Names this draft when it is submitted (a second submit finds what the first filed).
    pub token: Uuid,
}

/// An application just filed, as its confirmation shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filed {
    pub number: String,
    pub due: Day,
    pub fee: Paise,
}

fn draft_bound_to(applicant: AccountId, service: ServiceId) -> Vec<u8> {
    [
        b"application_drafts:".as_slice(),
        applicant.uuid().as_bytes(),
        service.uuid().as_bytes(),
    ]
    .concat()
}

/// The person's draft for the service, if they began one.
pub async fn draft(
    pool: &PgPool,
    key: &DataKey,
    applicant: AccountId,
    service: ServiceId,
) -> Result<Option<Draft>, Problem> {
    let row = sqlx::query!(
        "SELECT form_version, answers, token FROM application_drafts
         WHERE applicant_id = $1 AND service_id = $2",
        applicant.uuid(),
        service.uuid()
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        let json = key
            .open(&r.answers, &draft_bound_to(applicant, service))
            .ok_or_else(|| Problem::unexpected("a draft does not open with this key"))?;
        Ok(Draft {
            version: r.form_version,
            answers: serde_json::from_slice(&json).map_err(|e| Problem::Unexpected(e.into()))?,
            token: r.token,
        })
    })
    .transpose()
}

/// A service people may apply for, by its slug (`None`: no such published service).
pub async fn service_id(pool: &PgPool, slug: &str) -> Result<Option<ServiceId>, Problem> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id: ServiceId" FROM services WHERE slug = $1 AND published"#,
        slug
    )
    .fetch_optional(pool)
    .await?)
}

/// The form a draft is kept against: the service's current one (none: it cannot be applied for).
async fn form_of(pool: &PgPool, service: ServiceId) -> Result<(i32, Form), Problem> {
    current_form(pool, service).await?.ok_or(Problem::NotFound)
}

/// Keeps what was typed, as typed: only the form's own fields, each cut to a sane length.
pub async fn keep_draft(
    pool: &PgPool,
    key: &DataKey,
    applicant: AccountId,
    service: ServiceId,
    answers: &Answers,
    now: OffsetDateTime,
) -> Result<Draft, Problem> {
    Ok(keep(pool, key, applicant, service, answers, now).await?.0)
}

/// Keeps the draft against the service's current form; answers the draft and that form.
async fn keep(
    pool: &PgPool,
    key: &DataKey,
    applicant: AccountId,
    service: ServiceId,
    answers: &Answers,
    now: OffsetDateTime,
) -> Result<(Draft, Form), Problem> {
    let (version, form) = form_of(pool, service).await?;
    let kept: Answers = form
        .fields
        .iter()
        .filter_map(|f| {
            let a = answers.get(&f.key)?;
            Some((f.key.clone(), a.chars().take(DRAFT_ANSWER_MAX).collect()))
        })
        .collect();
    let json = serde_json::to_vec(&kept).map_err(|e| Problem::Unexpected(e.into()))?;
    let sealed = key.seal(&json, &draft_bound_to(applicant, service));
    let token = sqlx::query_scalar!(
        "INSERT INTO application_drafts (applicant_id, service_id, form_version, answers, token, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (applicant_id, service_id) DO UPDATE
             SET form_version = $3, answers = $4, updated_at = $6
         RETURNING token",
        applicant.uuid(),
        service.uuid(),
        version,
        sealed,
        new_id(),
        now,
    )
    .fetch_one(pool)
    .await?;
    let draft = Draft {
        version,
        answers: kept,
        token,
    };
    Ok((draft, form))
}

/// Keeps the draft, then checks it by the form's rules: every problem at its field, and what was
/// typed kept all the same.
pub async fn check_draft(
    pool: &PgPool,
    key: &DataKey,
    applicant: AccountId,
    service: ServiceId,
    answers: &Answers,
    now: OffsetDateTime,
) -> Result<Draft, Problem> {
    let (draft, form) = keep(pool, key, applicant, service, answers, now).await?;
    let checked = form
        .check(&draft.answers, today_in_india(now))
        .map_err(Problem::Invalid)?;
    Problem::check(foreign_documents(pool, applicant, &form, &checked).await?)?;
    Ok(draft)
}

/// Files the person's draft for the service (`token` names the draft they saw checked): checked
/// once more, with its fee, its due date in working days, routed to the post that decides the
/// service, and the draft gone. A second submit of the same draft answers what the first filed.
pub async fn submit(
    pool: &PgPool,
    key: &DataKey,
    applicant: AccountId,
    service: ServiceId,
    token: Uuid,
    now: OffsetDateTime,
) -> Result<Filed, Problem> {
    let today = today_in_india(now);
    let calendar = super::calendar(pool, today).await?;
    let mut tx = pool.begin().await?;
    let draft = sqlx::query!(
        "SELECT form_version, answers, token FROM application_drafts
         WHERE applicant_id = $1 AND service_id = $2 FOR UPDATE",
        applicant.uuid(),
        service.uuid()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(draft) = draft.filter(|d| d.token == token) else {
        return already_filed(pool, applicant, token).await;
    };
    let (current, form) = form_of(pool, service).await?;
    if current != draft.form_version {
        return Err(Problem::Conflict("err_form_changed"));
    }
    let json = key
        .open(&draft.answers, &draft_bound_to(applicant, service))
        .ok_or_else(|| Problem::unexpected("a draft does not open with this key"))?;
    let answers: Answers =
        serde_json::from_slice(&json).map_err(|e| Problem::Unexpected(e.into()))?;
    let checked = form.check(&answers, today).map_err(Problem::Invalid)?;
    Problem::check(foreign_documents(pool, applicant, &form, &checked).await?)?;
    let fee = form.fee(&checked);
    let due = Calendar::add_working_days(&calendar, today, form.working_days);
    let route = sqlx::query!(
        r#"SELECT s.department_id, p.id AS "post?", p.holder_id AS "holder?"
           FROM services s
           LEFT JOIN LATERAL (
               SELECT p.id, p.holder_id FROM post_services ps JOIN posts p ON p.id = ps.post_id
               WHERE ps.service_id = s.id AND p.department_id = s.department_id
                 AND p.holder_id IS NOT NULL
               ORDER BY (SELECT count(*) FROM applications a
                         WHERE a.post_id = p.id AND a.status NOT IN ('rejected', 'delivered')), p.id
               LIMIT 1) p ON true
           WHERE s.id = $1 AND s.published"#,
        service.uuid()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Problem::NotFound)?;
    let serial = sqlx::query_scalar!(r#"SELECT nextval('application_number_seq') AS "n!""#)
        .fetch_one(&mut *tx)
        .await?;
    let id = new_id();
    let number = ApplicationNumber::new(now.year(), serial as u64).to_string();
    let locale: String =
        sqlx::query_scalar!("SELECT locale FROM users WHERE id = $1", applicant.uuid())
            .fetch_one(&mut *tx)
            .await?;
    let fee_status = if fee.0 == 0 { "none" } else { "due" };
    let facts = Facts::new()
        .with("status", Status::Submitted.as_str())
        .with("service", service)
        .with("form_version", draft.form_version)
        .with("fee_paise", fee.0)
        .with("due_on", super::day_text(due))
        .with(
            "post",
            route.post.map(|p| p.to_string()).unwrap_or_default(),
        )
        .with(
            "assignee",
            route.holder.map(|p| p.to_string()).unwrap_or_default(),
        );
    let head = append(
        &mut tx,
        id,
        1,
        None,
        Step {
            at: now,
            actor: Some(applicant),
            actor_kind: "citizen",
            kind: "filed",
            facts,
            note: "",
        },
    )
    .await?;
    sqlx::query!(
        "INSERT INTO applications (id, number, service_id, form_version, department_id, applicant_id,
             status, answers, locale, fee_paise, fee_status, filed_on, due_on, post_id, assignee_id,
             draft_token, history_seq, history_head, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16,
             $17, $17)",
        id,
        number,
        service.uuid(),
        draft.form_version,
        route.department_id,
        applicant.uuid(),
        seal_answers(key, id, &checked.0)?,
        locale,
        fee.0,
        fee_status,
        to_date(today)?,
        to_date(due)?,
        route.post,
        route.holder,
        token,
        head,
        now,
    )
    .execute(&mut *tx)
    .await?;
    // Consent: each attached document is shared with the department for this application.
    for (field, _, answer) in documents_of(&form, &checked) {
        let document = Uuid::parse_str(answer).map_err(|e| Problem::Unexpected(e.into()))?;
        sqlx::query!(
            "INSERT INTO document_shares (document_id, application_id, field_key, shared_at)
             VALUES ($1, $2, $3, $4)",
            document,
            id,
            field,
            now,
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "DELETE FROM application_drafts WHERE applicant_id = $1 AND service_id = $2",
        applicant.uuid(),
        service.uuid()
    )
    .execute(&mut *tx)
    .await?;
    let due_text = super::day_text(due);
    let filed = Notice::Filed {
        number: number.clone(),
        due: due_text.clone(),
    };
    tell(&mut tx, id, Some(applicant), &filed).await?;
    let assigned = Notice::Assigned {
        number: number.clone(),
        due: due_text,
    };
    tell(&mut tx, id, route.holder.map(Into::into), &assigned).await?;
    tx.commit().await?;
    Ok(Filed { number, due, fee })
}

/// Each document answer that names no document of the person's own locker of the kind the field
/// asks for (a made-up id, another person's document, a photograph given as a rent agreement).
async fn foreign_documents(
    pool: &PgPool,
    applicant: AccountId,
    form: &Form,
    answers: &Checked,
) -> Result<Vec<FieldError>, Problem> {
    let mut problems = Vec::new();
    for (field, kind, answer) in documents_of(form, answers) {
        let owned = match Uuid::parse_str(answer) {
            Ok(id) => crate::locker::store::owned_of_kind(pool, applicant, id.into(), kind).await?,
            Err(_) => false,
        };
        if !owned {
            problems.push(FieldError::new(field, "err_answer_document"));
        }
    }
    Ok(problems)
}

/// The document answers: (field, the kind it asks for, the answer).
fn documents_of<'a>(form: &'a Form, answers: &'a Checked) -> Vec<(&'a str, &'a str, &'a str)> {
    form.fields
        .iter()
        .filter_map(|f| match &f.kind {
            FieldKind::Document { document } => Some((
                f.key.as_str(),
                document.as_str(),
                answers.0.get(&f.key)?.as_str(),
            )),
            _ => None,
        })
        .collect()
}

/// The application a draft already made, for a second submit of it; else the draft is gone
/// (submitted elsewhere, or replaced) and the page the person saw is out of date.
async fn already_filed(pool: &PgPool, applicant: AccountId, token: Uuid) -> Result<Filed, Problem> {
    let found = sqlx::query!(
        "SELECT number, due_on, fee_paise FROM applications WHERE draft_token = $1 AND applicant_id = $2",
        token,
        applicant.uuid()
    )
    .fetch_optional(pool)
    .await?;
    match found {
        Some(r) => Ok(Filed {
            number: r.number,
            due: super::from_date(r.due_on),
            fee: Paise(r.fee_paise),
        }),
        None => Err(Problem::Conflict("err_form_changed")),
    }
}

/// Re-seals every application's answers and every draft under `new` (`crate::rotation`).
/// Answers how many values were re-sealed.
pub async fn reseal(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    old: &DataKey,
    new: &DataKey,
) -> Result<u64, Problem> {
    let answers =
        sqlx::query!("SELECT id, answers FROM applications WHERE answers IS NOT NULL FOR UPDATE")
            .fetch_all(&mut **tx)
            .await?;
    for a in &answers {
        let plain = super::open_answers(old, a.id, a.answers.as_deref().unwrap_or_default())?;
        sqlx::query!(
            "UPDATE applications SET answers = $2 WHERE id = $1",
            a.id,
            super::seal_answers(new, a.id, &plain)?,
        )
        .execute(&mut **tx)
        .await?;
    }
    let drafts =
        sqlx::query!("SELECT applicant_id, service_id, answers FROM application_drafts FOR UPDATE")
            .fetch_all(&mut **tx)
            .await?;
    for d in &drafts {
        let bound = draft_bound_to(d.applicant_id.into(), d.service_id.into());
        let plain = old
            .open(&d.answers, &bound)
            .ok_or_else(|| Problem::unexpected("a draft does not open with the old key"))?;
        sqlx::query!(
            "UPDATE application_drafts SET answers = $3 WHERE applicant_id = $1 AND service_id = $2",
            d.applicant_id,
            d.service_id,
            new.seal(&plain, &bound),
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok((answers.len() + drafts.len()) as u64)
}
