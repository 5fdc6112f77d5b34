//! Grievance queries, one file per concern: `filing` (from any channel), `steps` (what people
//! do), `routing` (who gets it), `reading` (lists, queue, page, timeline), `kiosk`, `public` (the
//! Open311 view), `me_too` and `reassign` (a department admin's bulk reassignment). The ladders
//! and the clock's sweeps live in `escalation`, the history in the shared `crate::history`. What
//! they share is here: the locked grievance a change starts from, appending to its history, and
//! telling people.

mod filing;
mod kiosk;
mod me_too;
mod public;
mod reading;
mod reassign;
pub(in crate::grievances) mod routing;
mod steps;

pub use filing::*;
pub use kiosk::*;
pub use me_too::*;
pub use public::*;
pub use reading::*;
pub use reassign::*;
pub use steps::*;

use super::history::Entry;
use super::{Notice, Status};
use crate::history::{Facts, Subject};
use crate::ids::{AccountId, DepartmentId};
use crate::notifications;
use crate::Locale;
use sqlx::{Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

crate::text_enum!(super::Status);
crate::text_enum!(super::Channel);
crate::text_enum!(super::Action);

/// The states in which someone must still act (`Status::is_open`), for SQL.
pub const OPEN: &str = "('submitted', 'assigned', 'in_progress', 'reopened')";

/// A grievance as a change starts from it, read `FOR UPDATE`.
#[derive(sqlx::FromRow)]
pub(in crate::grievances) struct Locked {
    pub id: Uuid,
    pub number: String,
    pub status: Status,
    pub category_id: Uuid,
    pub department_id: DepartmentId,
    pub ward_number: Option<i32>,
    pub assignee_id: Option<AccountId>,
    pub level: i32,
    pub deadline_at: Option<OffsetDateTime>,
    pub reopen_count: i32,
    pub resolved_at: Option<OffsetDateTime>,
    pub history_seq: i32,
    pub history_head: Option<Vec<u8>>,
    pub contact_mobile: Option<String>,
    pub contact_email: Option<String>,
    pub locale: String,
    pub filer_id: Option<AccountId>,
}

pub(in crate::grievances) const LOCKED_COLUMNS: &str =
    "id, number, status, category_id, department_id, ward_number,
    assignee_id, level, deadline_at, reopen_count, resolved_at, history_seq, history_head,
    contact_mobile, contact_email, locale, filer_id";

impl Locked {
    /// The next history entry, by the clock (no person acted): the grievance as it stands, with
    /// `kind`; callers change what the step changes.
    pub fn system_entry(&self, kind: super::Event, now: OffsetDateTime) -> Entry {
        Entry {
            grievance_id: self.id,
            seq: self.history_seq + 1,
            at: now,
            actor_id: None,
            actor_kind: "system".into(),
            kind: kind.as_str().into(),
            status: self.status.as_str().into(),
            assignee_id: self.assignee_id,
            department_id: Some(self.department_id),
            level: self.level,
            deadline_at: self.deadline_at,
            note: String::new(),
            facts: Facts::new(),
            personal: Facts::new(),
            public: true,
        }
    }
    fn locale(&self) -> Locale {
        Locale::from_code(&self.locale).unwrap_or_default()
    }
}

/// Reads a grievance for a change, locking it until the transaction ends.
pub(in crate::grievances) async fn lock(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> Result<Locked, crate::problem::Problem> {
    sqlx::query_as(&format!(
        "SELECT {LOCKED_COLUMNS} FROM grievances WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(crate::problem::Problem::NotFound)
}

/// Claims up to `batch` grievances for a sweep: those `due` selects (SQL over `$1`), in `order`,
/// skipping any another instance holds, so each is handled once however many sweep at once.
pub(in crate::grievances) async fn claim(
    tx: &mut Transaction<'_, Postgres>,
    due: &str,
    order: &str,
    at: OffsetDateTime,
    batch: i64,
) -> Result<Vec<Locked>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LOCKED_COLUMNS} FROM grievances WHERE {due}
         ORDER BY {order} LIMIT $2 FOR UPDATE SKIP LOCKED"
    ))
    .bind(at)
    .bind(batch)
    .fetch_all(&mut **tx)
    .await
}

/// Appends one entry after the grievance's head in the shared history; returns the new head.
pub(in crate::grievances) async fn append(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    e: &Entry,
) -> Result<Vec<u8>, sqlx::Error> {
    crate::history::store::append(&mut **tx, g.history_head.as_deref(), &e.to_history()).await
}

/// Tells the filer, and every citizen who joined with "me too", each in their own language.
pub(in crate::grievances) async fn tell_filer(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    notice: &Notice,
) -> Result<(), sqlx::Error> {
    // The contact given with the grievance, not the account's: the filer may have asked to be
    // reached elsewhere. Push goes to the filer's devices, when any are subscribed.
    let pushable = match g.filer_id {
        Some(filer) => {
            notifications::reach_account(&mut **tx, filer)
                .await?
                .push_account
        }
        None => None,
    };
    let chain = notifications::delivery_chain(&notifications::Reach {
        push_account: pushable,
        mobile: g.contact_mobile.clone(),
        email: g.contact_email.clone(),
    });
    let text = notice.words(g.locale());
    let link = notice.link();
    let about = notifications::About::subject(Subject::Grievance, g.id, &link);
    notifications::send(&mut **tx, &chain, &g.number, &text, about).await?;
    let followers: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT u.id, u.locale FROM grievance_followers f JOIN users u ON u.id = f.account_id
         WHERE f.grievance_id = $1 ORDER BY f.joined_at",
    )
    .bind(g.id)
    .fetch_all(&mut **tx)
    .await?;
    for (follower, locale) in followers {
        let text = notice.words(Locale::from_code(&locale).unwrap_or_default());
        notifications::tell_account(tx, follower.into(), &g.number, &text, about).await?;
    }
    Ok(())
}

/// Tells a staff member about grievance `g` in their own language, on their best channel.
pub(in crate::grievances) async fn tell_staff(
    tx: &mut Transaction<'_, Postgres>,
    g: &Locked,
    user: Option<AccountId>,
    notice: &Notice,
) -> Result<(), sqlx::Error> {
    let Some(user) = user else { return Ok(()) };
    let locale: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(locale) = locale {
        let text = notice.words(Locale::from_code(&locale).unwrap_or_default());
        let link = notice.link();
        let about = notifications::About::subject(Subject::Grievance, g.id, &link);
        notifications::tell_account(tx, user, notice.number(), &text, about).await?;
    }
    Ok(())
}
