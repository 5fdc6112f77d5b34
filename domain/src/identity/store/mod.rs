//! Identity in Postgres, one file per concern: `passwords`, `registration` (and its one-time
//! codes), `accounts` (sign-in), `sessions` and `staff`.

mod accounts;
mod passwords;
mod registration;
mod sessions;
mod staff;

pub use accounts::*;
pub use passwords::*;
pub use registration::*;
pub use sessions::*;
pub use staff::*;
