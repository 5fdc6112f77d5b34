//! Identity: registration with a one-time code, the citizen id, sign-in, sessions and roles.

pub mod citizen_id;
pub mod devices;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod second_factor;

#[cfg(feature = "ssr")]
pub mod store;

pub use citizen_id::{CitizenId, CitizenIdError};
pub use rules::*;
