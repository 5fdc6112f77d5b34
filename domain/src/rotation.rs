//! Changing the master key (`NAGARIK_DATA_KEY`), as `nagarik rotate-master-key` does: every
//! value sealed under it is opened with the old key and sealed again under the new one, in one
//! transaction, so the database is never half one and half the other. What is sealed under the
//! master: the second factors' keys, the push key, application answers and drafts, and the
//! locker's per-person keys (whose documents are sealed under those keys and stay untouched, the
//! point of keeping one key per person) with the numbers' keyed digests, and the certificate
//! signing keys and issued certificates' codes.
//!
//! Run it with every server stopped (a server still holding the old key cannot open what the new
//! one sealed), then start them with the new key. One-time codes in flight were digested under
//! the old key and no longer match: people ask for a new code.

use crate::problem::Problem;
use crate::sealed::DataKey;
use sqlx::PgPool;

/// What one rotation re-sealed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rotated {
    pub second_factors: u64,
    pub settings: u64,
    pub application_values: u64,
    pub locker_keys: u64,
    pub certificate_values: u64,
}

pub async fn rotate_master_key(
    pool: &PgPool,
    old: &DataKey,
    new: &DataKey,
) -> Result<Rotated, Problem> {
    let mut tx = pool.begin().await?;
    let rotated = Rotated {
        second_factors: crate::identity::store::second_factor::reseal(&mut tx, old, new).await?,
        settings: crate::notifications::reseal_settings(&mut tx, old, new).await?,
        application_values: crate::applications::store::reseal(&mut tx, old, new).await?,
        locker_keys: crate::locker::store::reseal(&mut tx, old, new).await?,
        certificate_values: (crate::certificates::keys::reseal(&mut tx, old, new).await?
            + crate::certificates::store::reseal(&mut tx, old, new).await?)
            as u64,
    };
    tx.commit().await?;
    Ok(rotated)
}
