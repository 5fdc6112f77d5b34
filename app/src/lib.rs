//! Nagarik's pages, islands and server functions: one module per capability, as in `domain`.
//!
//! The app renders on the server; only islands (`#[island]`) hydrate in the browser, which keeps
//! the WASM bundle small for cheap phones.
#![recursion_limit = "256"]

pub mod admin;
pub mod applications;
pub mod bills;
pub mod bookings;
pub mod catalogue;
pub mod certificates;
pub mod dev;
pub mod forms;
pub mod grievances;
pub mod i18n;
pub mod identity;
pub mod layout;
pub mod locker;
pub mod notifications;
pub mod payments;
pub mod pwa;
#[cfg(feature = "ssr")]
pub mod request;
pub mod shell;
#[cfg(feature = "ssr")]
pub(crate) mod uploads;
pub mod work;

pub use shell::{shell, App};
