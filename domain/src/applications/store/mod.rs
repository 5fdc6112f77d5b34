//! Application queries, one file per concern: `forms` (the versioned forms and the holiday
//! calendar), `filing` (drafts kept as people type, and filing one exactly once), `reading` (a
//! person's list, one application with its answers and timeline) and `steps` (what the
//! department and the applicant do to it), `consent` (locker documents shared with the department
//! for one application), `issued` (revoking its certificate) and `appeals` (appeal, revision, penalties, and a department's record). What they share is here: the locked application a
//! change starts from, its history entries, the sealed answers, and telling people.

mod appeals;
mod consent;
mod fees;
mod filing;
mod forms;
mod issued;
mod reading;
mod steps;

pub use appeals::*;
pub use consent::*;
pub use fees::*;
pub use filing::*;
pub use forms::*;
pub use issued::*;
pub use reading::*;
pub use steps::*;

use super::form::{Answers, Day};
use super::{Notice, Status};
use crate::history::{self, Entry, Facts, Private, Subject};
use crate::ids::{AccountId, DepartmentId};
use crate::notifications;
use crate::problem::Problem;
use crate::sealed::DataKey;
use crate::Locale;
use sqlx::{Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

crate::text_enum!(super::Status);

/// A day as Postgres keeps it.
pub fn to_date((y, m, d): Day) -> Result<time::Date, Problem> {
    time::Month::try_from(m)
        .ok()
        .and_then(|m| time::Date::from_calendar_date(y, m, d).ok())
        .ok_or_else(|| Problem::field("day", "err_answer_not_a_date"))
}

/// A day from Postgres.
pub fn from_date(date: time::Date) -> Day {
    (date.year(), u8::from(date.month()), date.day())
}

/// The day it is in Bhubaneswar at `now`: what "today" means for a date of birth and a due date.
pub fn today_in_india(now: OffsetDateTime) -> Day {
    from_date(now.to_offset(time::macros::offset!(+5:30)).date())
}

/// A day as people in Odisha write it (DD-MM-YYYY).
pub fn day_text((y, m, d): Day) -> String {
    format!("{d:02}-{m:02}-{y}")
}

/// What the answers are sealed to: a copy moved to another application's row does not open.
fn answers_bound_to(id: Uuid) -> Vec<u8> {
    [b"applications:".as_slice(), id.as_bytes()].concat()
}

fn seal_answers(key: &DataKey, id: Uuid, answers: &Answers) -> Result<Vec<u8>, Problem> {
    let json = serde_json::to_vec(answers).map_err(|e| Problem::Unexpected(e.into()))?;
    Ok(key.seal(&json, &answers_bound_to(id)))
}

pub(crate) fn open_answers(key: &DataKey, id: Uuid, sealed: &[u8]) -> Result<Answers, Problem> {
    let json = key
        .open(sealed, &answers_bound_to(id))
        .ok_or_else(|| Problem::unexpected("an application's answers do not open with this key"))?;
    serde_json::from_slice(&json).map_err(|e| Problem::Unexpected(e.into()))
}

/// An application as a change starts from it, read `FOR UPDATE`.
#[derive(sqlx::FromRow)]
pub(super) struct Locked {
    pub id: Uuid,
    pub number: String,
    pub status: Status,
    pub department_id: DepartmentId,
    pub applicant_id: Option<AccountId>,
    pub assignee_id: Option<AccountId>,
    pub due_on: time::Date,
    pub waiting_since: Option<time::Date>,
    pub history_seq: i32,
    pub history_head: Option<Vec<u8>>,
}

impl Locked {
    pub fn ownership(&self) -> super::access::Ownership {
        super::access::Ownership {
            applicant_id: self.applicant_id,
            department_id: self.department_id,
            assignee_id: self.assignee_id,
        }
    }
}

/// Whether `actor` may see the locked application.
pub(super) fn may_see(actor: &crate::identity::Actor, a: &Locked) -> bool {
    super::access::may_view(actor, &a.ownership())
}

/// What a step writes to an application's history.
pub(super) struct Step<'a> {
    pub at: OffsetDateTime,
    pub actor: Option<AccountId>,
    pub actor_kind: &'a str,
    pub kind: &'a str,
    pub facts: Facts,
    pub note: &'a str,
}

/// Appends the `seq`-th entry of application `id`'s chain after `head`; answers the new head.
pub(super) async fn append(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    seq: i32,
    head: Option<&[u8]>,
    step: Step<'_>,
) -> Result<Vec<u8>, Problem> {
    let private = Private::new(step.note, Facts::new());
    let entry = Entry {
        subject: Subject::Application,
        subject_id: id,
        seq,
        format: history::FORMAT,
        at: history::to_micros(step.at),
        actor_id: step.actor.map(Into::into),
        actor_kind: step.actor_kind.into(),
        kind: step.kind.into(),
        public: true,
        facts: step.facts,
        digest: private.digest(),
        private,
    };
    Ok(history::store::append(&mut **tx, head, &entry).await?)
}

/// Records a step on the locked application: its history entry, and the application's head
/// moved to it, in the command's transaction. (The command writes what the step changed.)
pub(super) async fn record(
    tx: &mut Transaction<'_, Postgres>,
    a: &Locked,
    step: Step<'_>,
) -> Result<(), Problem> {
    let at = step.at;
    let head = append(tx, a.id, a.history_seq + 1, a.history_head.as_deref(), step).await?;
    sqlx::query!(
        "UPDATE applications SET history_seq = history_seq + 1, history_head = $2, updated_at = $3
         WHERE id = $1",
        a.id,
        head,
        at,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells an account about an application, in its own language, on its best channel.
pub(super) async fn tell(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    account: Option<AccountId>,
    notice: &Notice,
) -> Result<(), Problem> {
    let Some(account) = account else {
        return Ok(());
    };
    let locale: Option<String> =
        sqlx::query_scalar!("SELECT locale FROM users WHERE id = $1", account.uuid())
            .fetch_optional(&mut **tx)
            .await?;
    let Some(locale) = locale else {
        return Ok(());
    };
    let text = notice.words(Locale::from_code(&locale).unwrap_or_default());
    let link = notice.link();
    let about = notifications::About::subject(Subject::Application, id, &link);
    notifications::tell_account(tx, account, notice.number(), &text, about).await?;
    Ok(())
}
