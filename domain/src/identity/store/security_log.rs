//! An account's security history: the events that change who can get into it or what it may do
//! (a second factor set up, turned off or reset by an admin, a recovery code spent, a staff role
//! given or taken, a password changed or reset, a sign-in from a new browser), and an admin's
//! acts on keys, ladders, services, departments, posts and jobs, chained in the shared history like a
//! grievance's steps, so an admin's act on an account is recorded where the admin cannot
//! quietly change it.
//!
//! Facts are references only (the actor's id, a role, a department id): nothing personal, so the
//! chain stays as it is when the account is closed (its label, the citizen id, is cleared).

use crate::history::{self, Facts, Private, Subject};
use crate::ids::AccountId;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

/// What happened to the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    SecondFactorOn,
    SecondFactorOff,
    /// by an admin, for a lost phone
    SecondFactorReset,
    RecoveryCodesRenewed,
    RecoveryCodeUsed,
    StaffAppointed,
    StaffRemoved,
    PasswordChanged,
    PasswordReset,
    /// a sign-in from a browser the account had not used before
    NewDeviceSignIn,
    // What an admin did beyond accounts, in the admin's own chain (`record_act`):
    IntakeKeyIssued,
    IntakeKeyRevoked,
    LadderSaved,
    ServiceSaved,
    DepartmentCreated,
    PostCreated,
    PostHandedOver,
    /// which services' applications a post decides
    PostServicesSaved,
    JobRetried,
    /// a service's application form saved (a new version)
    FormSaved,
    /// a holiday added to (or renamed in) the city's calendar
    HolidayKept,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::SecondFactorOn => "second_factor_on",
            Event::SecondFactorOff => "second_factor_off",
            Event::SecondFactorReset => "second_factor_reset",
            Event::RecoveryCodesRenewed => "recovery_codes_renewed",
            Event::RecoveryCodeUsed => "recovery_code_used",
            Event::StaffAppointed => "staff_appointed",
            Event::StaffRemoved => "staff_removed",
            Event::PasswordChanged => "password_changed",
            Event::PasswordReset => "password_reset",
            Event::NewDeviceSignIn => "new_device_sign_in",
            Event::IntakeKeyIssued => "intake_key_issued",
            Event::IntakeKeyRevoked => "intake_key_revoked",
            Event::LadderSaved => "ladder_saved",
            Event::ServiceSaved => "service_saved",
            Event::DepartmentCreated => "department_created",
            Event::PostCreated => "post_created",
            Event::PostHandedOver => "post_handed_over",
            Event::PostServicesSaved => "post_services_saved",
            Event::JobRetried => "job_retried",
            Event::FormSaved => "form_saved",
            Event::HolidayKept => "holiday_kept",
        }
    }
}

/// Who did it: the account holder, someone else (an admin), or the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Holder,
    Admin(AccountId),
    System,
}

/// Appends one event to the account's chain, in the caller's transaction.
pub async fn record(
    tx: &mut Transaction<'_, Postgres>,
    account: AccountId,
    event: Event,
    by: By,
    facts: Facts,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO account_chains (id, label)
         SELECT id, citizen_id FROM users WHERE id = $1
         ON CONFLICT (id) DO NOTHING",
        account.uuid(),
    )
    .execute(&mut **tx)
    .await?;
    let head = sqlx::query!(
        "SELECT history_seq, history_head FROM account_chains WHERE id = $1 FOR UPDATE",
        account.uuid(),
    )
    .fetch_one(&mut **tx)
    .await?;
    let (actor_id, actor_kind) = match by {
        By::Holder => (Some(account), "holder"),
        By::Admin(admin) => (Some(admin), "admin"),
        By::System => (None, "system"),
    };
    let entry = history::Entry {
        subject: Subject::Account,
        subject_id: account.uuid(),
        seq: head.history_seq + 1,
        format: history::FORMAT,
        at: history::to_micros(time::OffsetDateTime::now_utc()),
        actor_id: actor_id.map(Uuid::from),
        actor_kind: actor_kind.to_string(),
        kind: event.as_str().to_string(),
        public: false,
        facts,
        private: Private::new("", Facts::new()),
        digest: None,
    };
    let new_head = history::store::append(&mut **tx, head.history_head.as_deref(), &entry).await?;
    sqlx::query!(
        "UPDATE account_chains SET history_seq = $2, history_head = $3 WHERE id = $1",
        account.uuid(),
        entry.seq,
        new_head,
    )
    .execute(&mut **tx)
    .await?;
    tracing::info!(target: "security", %account, event = event.as_str(), actor = ?actor_id, "account event");
    Ok(())
}

/// An admin's act on something other than an account (an intake key, a ladder, a service, a
/// department, a post, a job), in the act's own transaction: appended to the chain of the admin
/// who acted, the facts naming what was acted on. `None` is an operator at the command line,
/// whose acts the shell's history keeps, not this one.
pub async fn record_act(
    tx: &mut Transaction<'_, Postgres>,
    admin: Option<AccountId>,
    event: Event,
    facts: Facts,
) -> Result<(), sqlx::Error> {
    match admin {
        Some(admin) => record(tx, admin, event, By::Holder, facts).await,
        None => Ok(()),
    }
}

/// An account's events, oldest first: (when, what, who acted).
pub async fn events(
    pool: &sqlx::PgPool,
    account: AccountId,
) -> Result<Vec<(time::OffsetDateTime, String, Option<Uuid>)>, sqlx::Error> {
    Ok(
        history::store::chain(pool, Subject::Account, account.uuid())
            .await?
            .into_iter()
            .map(|(e, _, _)| (e.at, e.kind, e.actor_id))
            .collect(),
    )
}
