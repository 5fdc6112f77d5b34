//! An application's certificate once issued: its department's admin may revoke it (issued in
//! error, or its grounds gone), with a reason the holder is told and the history keeps.

use super::{lock, may_see, record, tell, Step};
use crate::applications::access::may_revoke;
use crate::applications::{ApplicationNumber, Notice};
use crate::certificates;
use crate::history::Facts;
use crate::identity::Actor;
use crate::ids::AccountId;
use crate::problem::{check_note, Problem};
use sqlx::PgPool;
use time::OffsetDateTime;

/// Revokes application `number`'s certificate as `actor` (`by` their account), for `reason`.
pub async fn revoke_certificate(
    pool: &PgPool,
    number: &ApplicationNumber,
    actor: &Actor,
    by: AccountId,
    reason: &str,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    let mut tx = pool.begin().await?;
    let a = lock(&mut tx, number).await?;
    if !may_see(actor, &a) {
        return Err(Problem::NotFound);
    }
    if !may_revoke(actor, &a.ownership()) {
        return Err(Problem::Forbidden);
    }
    if let Some(problem) = check_note(reason, true) {
        return Err(Problem::Invalid(vec![problem]));
    }
    let reason = reason.trim();
    certificates::store::revoke(&mut tx, a.id, by, reason, now).await?;
    let step = Step {
        at: now,
        actor: Some(by),
        actor_kind: "official",
        kind: "certificate_revoked",
        facts: Facts::new(),
        note: reason,
    };
    record(&mut tx, &a, step).await?;
    let notice = Notice::CertificateRevoked {
        number: a.number.clone(),
        note: reason.to_string(),
    };
    tell(&mut tx, a.id, a.applicant_id, &notice).await?;
    tx.commit().await?;
    Ok(())
}
