//! Demo data that reads like Bhubaneswar's real services, and a generator for UMANG scale
//! (2,039 services over 189 departments) for benchmarks. Both can run again without harm.
//!
//! One room per thing seeded: `catalogue` (departments, categories, life events, search
//! synonyms), `services`, `grievances` (wards, grievance categories, posts and a ladder),
//! `identity` (the demo accounts) and `umang` (the benchmark's scale).

mod catalogue;
mod facilities;
pub mod forms;
pub mod grievances;
mod holidays;
mod identity;
mod services;
mod umang;

pub use umang::umang_scale;

use sqlx::PgPool;

pub const DEMO_PASSWORD: &str = "mango river kite lamp";
/// The demo staff's second factor, published with the demo data: add it to an authenticator app
/// (or run `./dev code`) to sign in as them. Never a real account's.
pub const DEMO_TOTP_KEY: &str = "NAGA RIKD EMOS TAFF SECO NDST EP23 4567";

type Tx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

/// The demo data, in the order each part needs: the catalogue's departments before the services
/// and grievance categories that name them, the staff before the posts they hold.
pub async fn demo(pool: &PgPool, data_key: &domain::sealed::DataKey) -> anyhow::Result<()> {
    catalogue::seed(pool).await?;
    services::seed(pool).await?;
    forms::seed(pool).await?;
    holidays::seed(pool).await?;
    facilities::seed(pool).await?;
    grievances::seed(pool).await?;
    identity::seed(pool, data_key).await?;
    grievances::seed_posts(pool).await?;
    Ok(())
}
