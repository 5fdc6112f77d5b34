//! Applications in the app, one file per page or concern: `apply` (the form, kept as a draft as
//! the person types, then checked before it is filed), `page` (one application: its facts,
//! answers, timeline and the steps open to the caller), `lists` (the person's own) and
//! `device_draft` (the draft kept encrypted on the phone while offline), `appeals` and
//! `certificate` (what an approval issued). Every
//! server function checks the caller against the application itself (`access::may_view`,
//! `may_act`).

pub mod appeals;
pub mod apply;
pub mod certificate;
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

/// The answer to a step on application `number`: done, the browser (without JavaScript) goes
/// back to its page; refused or invalid, as `request::answer` maps it.
#[cfg(feature = "ssr")]
pub(crate) fn back_to_page<T>(
    number: &domain::applications::ApplicationNumber,
    done: Result<T, domain::problem::Problem>,
) -> Result<crate::forms::FormResult<T>, leptos::prelude::ServerFnError> {
    if done.is_ok() {
        leptos_axum::redirect(&format!("/applications/{number}"));
    }
    crate::request::answer(done)
}

/// A day as the pages show it (DD-MM-YYYY).
#[cfg(feature = "ssr")]
pub(crate) fn day(d: domain::applications::form::Day) -> String {
    domain::applications::store::day_text(d)
}
