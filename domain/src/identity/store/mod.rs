//! Identity in Postgres, one file per concern: `passwords`, `registration` (and its one-time
//! codes), `reset` (a forgotten password), `export` (all of a person's data), `closure` (erasing it), `accounts` (sign-in), `sessions` and `staff`.

mod accounts;
mod closure;
mod export;
mod passwords;
mod registration;
mod reset;
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
