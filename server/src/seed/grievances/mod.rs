//! Demo data for grievances: Bhubaneswar's 67 wards, a category tree per department (with the
//! words SMS and email are matched by, and IVRS keypad codes), routes by category and ward, and
//! a ladder of its own for streetlights.
//!
//! `wards` and `categories` are seeded with the catalogue; `routes` once the staff they name exist.

mod categories;
mod routes;
mod wards;

pub use routes::{seed_routes, GRIEVANCE_STAFF};

use sqlx::PgPool;

/// The wards and the category tree, in one transaction.
pub async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    wards::seed(&mut tx).await?;
    categories::seed(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
