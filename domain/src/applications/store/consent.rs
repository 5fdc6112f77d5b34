//! Consent: a locker document attached to an application is shared with that application's
//! department, for that application alone, while it is being decided. The applicant sees who
//! opened which document and when (each opening is in the application's history) and may
//! withdraw a share nobody has used yet.

use super::{lock, record, Step};
use crate::applications::access::may_view;
use crate::applications::ApplicationNumber;
use crate::history::Facts;
use crate::identity::Actor;
use crate::ids::{AccountId, DocumentId};
use crate::locker::store::{self as locker, Document};
use crate::problem::Problem;
use crate::sealed::DataKey;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// A document attached to an application, as its page lists it.
#[derive(Clone, Debug)]
pub struct Shared {
    pub field: String,
    pub document: DocumentId,
    pub opened_at: Option<OffsetDateTime>,
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// The documents attached to an application, in the order of its fields.
pub async fn shares(pool: &PgPool, application: Uuid) -> Result<Vec<Shared>, Problem> {
    let rows = sqlx::query!(
        "SELECT field_key, document_id, first_opened_at, withdrawn_at FROM document_shares
         WHERE application_id = $1 ORDER BY shared_at, field_key",
        application
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Shared {
            field: r.field_key,
            document: r.document_id.into(),
            opened_at: r.first_opened_at,
            withdrawn_at: r.withdrawn_at,
        })
        .collect())
}

/// Opens the document attached at `field` of application `number` for `viewer` (`by` their
/// account): its applicant, or its department's staff while it is being decided and the share
/// stands; a staff opening is recorded in the application's history.
pub async fn open_shared(
    pool: &PgPool,
    master: &DataKey,
    number: &ApplicationNumber,
    field: &str,
    viewer: &Actor,
    by: AccountId,
    now: OffsetDateTime,
) -> Result<(Document, Vec<u8>), Problem> {
    let mut tx = pool.begin().await?;
    let a = lock(&mut tx, number).await?;
    let own = a.ownership();
    if !may_view(viewer, &own) {
        return Err(Problem::NotFound);
    }
    let share = sqlx::query!(
        "SELECT document_id, withdrawn_at FROM document_shares
         WHERE application_id = $1 AND field_key = $2",
        a.id,
        field
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Problem::NotFound)?;
    let applicant = own.applicant_id == Some(viewer.user_id);
    if !applicant {
        // The department sees it while it decides, and only while the share stands.
        if share.withdrawn_at.is_some() || !a.status.is_open() {
            return Err(Problem::Forbidden);
        }
        record(
            &mut tx,
            &a,
            Step {
                at: now,
                actor: Some(by),
                actor_kind: "official",
                kind: "document_opened",
                facts: Facts::new()
                    .with("status", a.status.as_str())
                    .with("field", field)
                    .with("document", share.document_id),
                note: "",
            },
        )
        .await?;
        sqlx::query!(
            "UPDATE document_shares SET first_opened_at = coalesce(first_opened_at, $3)
             WHERE application_id = $1 AND field_key = $2",
            a.id,
            field,
            now
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let (_, doc, body) = locker::open(pool, master, share.document_id.into())
        .await?
        .ok_or(Problem::NotFound)?;
    Ok((doc, body))
}

/// The applicant withdraws the share at `field`, if nobody has opened it yet and the
/// application is still being decided.
pub async fn withdraw_share(
    pool: &PgPool,
    number: &ApplicationNumber,
    field: &str,
    applicant: AccountId,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    let mut tx = pool.begin().await?;
    let a = lock(&mut tx, number).await?;
    if a.applicant_id != Some(applicant) {
        return Err(Problem::NotFound);
    }
    let share = sqlx::query!(
        "SELECT first_opened_at, withdrawn_at FROM document_shares
         WHERE application_id = $1 AND field_key = $2 FOR UPDATE",
        a.id,
        field
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Problem::NotFound)?;
    if share.withdrawn_at.is_some() {
        return Ok(());
    }
    if share.first_opened_at.is_some() || !a.status.is_open() {
        return Err(Problem::Conflict("err_share_used"));
    }
    record(
        &mut tx,
        &a,
        Step {
            at: now,
            actor: Some(applicant),
            actor_kind: "citizen",
            kind: "share_withdrawn",
            facts: Facts::new()
                .with("status", a.status.as_str())
                .with("field", field),
            note: "",
        },
    )
    .await?;
    sqlx::query!(
        "UPDATE document_shares SET withdrawn_at = $3 WHERE application_id = $1 AND field_key = $2",
        a.id,
        field,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
