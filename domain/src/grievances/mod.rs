//! Grievances: one record whatever the channel, routed to one official, escalated when its
//! deadline passes, with every step kept in a hash-chained history.
//!
//! The rules are plain functions, one module per concern: `lifecycle` (channels, states,
//! actions and which state each action leads to), `access` (who may see and act), `filing` (what
//! a filing must say), `steps` (what a step needs and changes), `escalation` (ladders, and the
//! clock's sweeps behind `ssr`), `me_too`, `notices` (what people are told, in their words) and
//! `number`. The queries sit in `store` behind the `ssr` feature.

pub mod access;
pub mod escalation;
pub mod filing;
pub mod lifecycle;
pub mod me_too;
pub mod notices;
pub mod number;
pub mod steps;

#[cfg(feature = "ssr")]
pub mod history;
#[cfg(feature = "ssr")]
pub mod intake;
#[cfg(feature = "ssr")]
pub mod photos;
#[cfg(feature = "ssr")]
pub mod store;

pub use access::{may_act, may_view, Ownership};
pub use escalation::{Level, LevelAssignee};
pub use filing::{
    Checked, Contact, FilingText, Place, Position, ADDRESS_MAX, DESCRIPTION_MAX, DESCRIPTION_MIN,
    LANDMARK_MAX, NAME_MAX,
};
pub use lifecycle::{
    next_status, Action, Channel, Event, Status, TransitionError, MAX_REOPENS, REOPEN_WINDOW_DAYS,
};
pub use notices::Notice;
pub use number::GrievanceNumber;
pub use steps::{check_note, NOTE_MAX};
