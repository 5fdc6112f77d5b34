//! Nagarik's rules and data, one module per capability.
//!
//! The rules are plain functions over plain types that compile for the browser too; the queries
//! sit beside them behind the `ssr` feature.

pub mod catalogue;
pub mod grievances;
pub mod identity;
pub mod locale;
pub mod notifications;

#[cfg(feature = "ssr")]
pub mod db;

pub use locale::Locale;
