//! Grievances in the app, one file per page or concern: `filing` (a map is never required),
//! `lists` (the citizen's own list; the officials' queue is `crate::work`'s), `page` (one grievance: its facts,
//! timeline and messages), `steps` (what people do to it), `view` (how the page reads),
//! `assisted` (call centre and kiosk), `me_too` and `admin` (ladders and intake keys). Every
//! server function checks the caller against the grievance itself (`may_view`, `may_act`).

pub mod admin;
pub mod assisted;
pub mod filing;
pub mod lists;
pub mod me_too;
pub mod page;
pub mod steps;
pub mod view;

pub use filing::*;
pub use lists::*;
pub use page::*;
pub use steps::*;
pub use view::*;

use crate::i18n::Locale;
use domain::grievances::{Channel, Event, Status};

// Words: labels for stored states, steps and channels (the domain names the typed ones).

/// A state's name, from its stored name (an unknown one shows as it is stored).
pub fn status_label(l: Locale, status: &str) -> String {
    Status::parse(status).map_or_else(|| status.to_string(), |s| s.label(l).to_string())
}

/// A timeline entry's name, from its stored kind.
pub fn step_label(l: Locale, kind: &str) -> String {
    Event::parse(kind).map_or_else(|| kind.to_string(), |e| e.label(l).to_string())
}

/// A channel's name, from its stored name.
pub fn channel_label(l: Locale, channel: &str) -> String {
    Channel::parse(channel).map_or_else(|| channel.to_string(), |c| c.label(l).to_string())
}

/// Date and time as Bhubaneswar reads it (IST).
#[cfg(feature = "ssr")]
pub fn ist(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::macros::offset!(+5:30));
    let f = time::macros::format_description!("[day]-[month]-[year] [hour]:[minute]");
    at.format(&f).unwrap_or_default()
}

#[cfg(feature = "ssr")]
pub(crate) fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}
