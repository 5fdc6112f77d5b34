//! Demo data for grievances: Bhubaneswar's 67 wards, a category tree per department (with the
//! words SMS and email are matched by, and IVRS keypad codes), posts (categories in a jurisdiction) and
//! a ladder of its own for streetlights.
//!
//! `wards` and `categories` are seeded with the catalogue; `posts` once the staff who hold them exist.

mod categories;
mod posts;
mod wards;

pub use posts::{seed_posts, GRIEVANCE_STAFF};

use sqlx::PgPool;

/// The wards and the category tree, in one transaction.
pub async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    wards::seed(&mut tx).await?;
    categories::seed(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
