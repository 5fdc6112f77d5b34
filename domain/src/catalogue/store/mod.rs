//! The catalogue's queries, one file per concern: `topics` (categories and life events),
//! `cards` (services as listed: popular, by department, category or life event), `search`
//! (finding a service by what a person types, and the search text it reads), `service` (the
//! service page) and `editing` (the admin's editor and list).

/// The SQL for a translated column with English as the fallback. `t` is the translation in the
/// asked locale, `e` the English one.
macro_rules! tr {
    ($col:literal) => {
        concat!("COALESCE(NULLIF(t.", $col, ", ''), e.", $col, ")")
    };
}

mod cards;
mod editing;
mod search;
mod service;
mod topics;

pub use cards::*;
pub use editing::*;
pub use search::*;
pub use service::*;
pub use topics::*;
