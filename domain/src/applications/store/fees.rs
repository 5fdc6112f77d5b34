//! An application's fee, as payments settle it: paid (once; a second payment for it is refunded by
//! `payments`), and money given back. Each is a step on the application's timeline naming the
//! receipt.

use super::{lock_id, record, Step};
use crate::history::Facts;
use crate::money::Paise;
use crate::problem::Problem;
use sqlx::{Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

/// The fee of application `id` is paid (`receipt`). Answers false when it was not due (paid
/// already, or none): the payment is then refunded.
pub async fn fee_paid(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    amount: Paise,
    receipt: &str,
    now: OffsetDateTime,
) -> Result<bool, Problem> {
    let a = lock_id(tx, id).await?;
    let due = sqlx::query_scalar!(
        r#"UPDATE applications SET fee_status = 'paid' WHERE id = $1 AND fee_status = 'due'
           AND fee_paise = $2 RETURNING id"#,
        id,
        amount.0
    )
    .fetch_optional(&mut **tx)
    .await?
    .is_some();
    if due {
        let facts = Facts::new()
            .with("receipt", receipt)
            .with("amount_paise", amount.0);
        record(tx, &a, step("fee_paid", facts, now)).await?;
    }
    Ok(due)
}

/// Money paid for application `id` went back (`receipt`).
pub async fn fee_refunded(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    amount: Paise,
    receipt: &str,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    let a = lock_id(tx, id).await?;
    let facts = Facts::new()
        .with("receipt", receipt)
        .with("amount_paise", amount.0);
    record(tx, &a, step("fee_refunded", facts, now)).await
}

fn step(kind: &str, facts: Facts, at: OffsetDateTime) -> Step<'_> {
    Step {
        at,
        actor: None,
        actor_kind: "system",
        kind,
        facts,
        note: "",
    }
}

/// An application whose fee its applicant is about to pay: its id, department and fee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeDue {
    pub id: Uuid,
    pub department: crate::ids::DepartmentId,
    pub fee: Paise,
}

/// The fee `applicant` owes on application `number`: not theirs, not found; nothing owed,
/// `Conflict("err_already_paid")`.
pub async fn fee_due(
    pool: &sqlx::PgPool,
    number: &crate::applications::ApplicationNumber,
    applicant: crate::ids::AccountId,
) -> Result<FeeDue, Problem> {
    let a = sqlx::query!(
        "SELECT id, department_id, fee_paise, fee_status, applicant_id FROM applications
         WHERE number = $1",
        number.as_str()
    )
    .fetch_optional(pool)
    .await?
    .filter(|a| a.applicant_id == Some(applicant.uuid()))
    .ok_or(Problem::NotFound)?;
    if a.fee_status != "due" {
        return Err(Problem::Conflict("err_already_paid"));
    }
    Ok(FeeDue {
        id: a.id,
        department: a.department_id.into(),
        fee: Paise(a.fee_paise),
    })
}
