//! Integration tests: the real router over real HTTP against a real Postgres, one database per
//! test (cloned from a migrated and seeded template).

mod catalogue;
mod helpers;
mod identity;
mod notifications;
mod role_gate;
