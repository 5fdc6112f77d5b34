//! Nagarik's rules and data, one module per capability.
//!
//! The rules are plain functions over plain types that compile for the browser too; the queries
//! sit beside them behind the `ssr` feature.

pub mod applications;
pub mod bills;
pub mod bookings;
pub mod catalogue;
pub mod certificates;
pub mod departments;
pub mod grievances;
pub mod identity;
pub mod ids;
pub mod jobs;
pub mod locker;
pub mod money;
pub mod notifications;
pub mod payments;
pub mod place;
pub mod problem;
pub mod reference;
pub mod work;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod history;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod rotation;
#[cfg(feature = "ssr")]
pub mod sealed;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use i18n::Locale;
