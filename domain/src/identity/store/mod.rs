//! Identity in Postgres, one file per concern: `passwords`, `registration` (and its one-time
//! codes), `reset` (a forgotten password), `export` (all of a person's data), `closure` (erasing it), `accounts` (sign-in), `second_factor` (TOTP and recovery codes), `devices` (the browsers signed in from), `sessions`, `staff`, and
//! `security_log` (an account's chained history of security events).

mod accounts;
mod closure;
pub mod devices;
mod export;
mod passwords;
mod registration;
mod reset;
pub mod second_factor;
pub mod security_log;
mod sessions;
mod staff;

pub use accounts::*;
pub use closure::*;
pub use export::*;
pub use passwords::*;
pub use registration::*;
pub use reset::*;
pub use sessions::*;
pub use staff::*;

crate::text_enum!(super::Role);
