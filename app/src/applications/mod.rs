//! Applications in the app, one file per page or concern: `apply` (the form, kept as a draft as
//! the person types, then checked before it is filed), `page` (one application: its facts,
//! answers, timeline and the steps open to the caller), `lists` (the person's own) and
//! `device_draft` (the draft kept encrypted on the phone while offline) and `appeals`. Every
//! server function checks the caller against the application itself (`access::may_view`,
//! `may_act`).

pub mod appeals;
pub mod apply;
pub mod device_draft;
pub mod lists;
pub mod page;

pub use apply::*;
pub use lists::*;
pub use page::*;

#[cfg(feature = "ssr")]
pub(crate) fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// Days counted from 1970 (to compare two days).
#[cfg(feature = "ssr")]
pub(crate) fn day_number(d: domain::applications::form::Day) -> i64 {
    domain::applications::calendar::day_number(d)
}

/// A day as the pages show it (DD-MM-YYYY).
#[cfg(feature = "ssr")]
pub(crate) fn day(d: domain::applications::form::Day) -> String {
    domain::applications::store::day_text(d)
}
