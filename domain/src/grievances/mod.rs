//! Grievances: one record whatever the channel, routed to one official, escalated when its
//! deadline passes, with every step kept in a hash-chained history.
//!
//! The rules here (states and who may move them, ladders and deadlines, grievance numbers) are
//! plain functions; the queries sit in `store` behind the `ssr` feature.

use crate::identity::{Actor, FieldError, Role};
use serde::{Deserialize, Serialize};

pub mod duplicates;
pub mod escalation;
pub mod number;

#[cfg(feature = "ssr")]
pub mod history;
#[cfg(feature = "ssr")]
pub mod intake;
#[cfg(feature = "ssr")]
pub mod photos;
#[cfg(feature = "ssr")]
pub mod store;

pub use escalation::{Level, LevelAssignee};
pub use number::GrievanceNumber;

/// Where a grievance came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    App,
    Web,
    Phone,
    Sms,
    Email,
    Ivrs,
    Kiosk,
    External,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::App,
        Channel::Web,
        Channel::Phone,
        Channel::Sms,
        Channel::Email,
        Channel::Ivrs,
        Channel::Kiosk,
        Channel::External,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::App => "app",
            Channel::Web => "web",
            Channel::Phone => "phone",
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Ivrs => "ivrs",
            Channel::Kiosk => "kiosk",
            Channel::External => "external",
        }
    }
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Submitted,
    Assigned,
    InProgress,
    Resolved,
    ClosedFixed,
    ClosedNotFixed,
    Rejected,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::Assigned,
        Status::InProgress,
        Status::Resolved,
        Status::ClosedFixed,
        Status::ClosedNotFixed,
        Status::Rejected,
        Status::Reopened,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Assigned => "assigned",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::ClosedFixed => "closed_fixed",
            Status::ClosedNotFixed => "closed_not_fixed",
            Status::Rejected => "rejected",
            Status::Reopened => "reopened",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// Someone must still act: the deadline runs and the ladder applies.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::Assigned | Status::InProgress | Status::Reopened
        )
    }
    /// Only a closure the citizen did not dispute counts as fixed; "resolved" is the official's
    /// word, and "closed, not fixed" never counts.
    pub fn counts_as_fixed(self) -> bool {
        self == Status::ClosedFixed
    }
}

/// What someone does to a grievance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// The assignee has seen it and is on it.
    Acknowledge,
    /// A note on the timeline: public (the citizen sees it) or internal (staff only).
    Comment,
    InternalNote,
    /// The official needs more from the citizen.
    AskCitizen,
    /// The citizen answers or adds something.
    CitizenReply,
    Resolve,
    Reject,
    /// To another department (and the official its routing names).
    Transfer,
    /// The citizen says it is not fixed, within the reopen window.
    Reopen,
    /// The citizen rates the resolution and says whether it was fixed.
    ConfirmFixed,
    ConfirmNotFixed,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Acknowledge => "acknowledged",
            Action::Comment => "comment",
            Action::InternalNote => "internal_note",
            Action::AskCitizen => "info_requested",
            Action::CitizenReply => "citizen_reply",
            Action::Resolve => "resolved",
            Action::Reject => "rejected",
            Action::Transfer => "transferred",
            Action::Reopen => "reopened",
            Action::ConfirmFixed => "closed_fixed",
            Action::ConfirmNotFixed => "closed_not_fixed",
        }
    }
    pub fn parse(s: &str) -> Option<Action> {
        use Action::*;
        [
            Acknowledge,
            Comment,
            InternalNote,
            AskCitizen,
            CitizenReply,
            Resolve,
            Reject,
            Transfer,
            Reopen,
            ConfirmFixed,
            ConfirmNotFixed,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
    /// Actions that belong to the staff working the grievance (the rest are the citizen's).
    pub fn is_staff_action(self) -> bool {
        matches!(
            self,
            Action::Acknowledge
                | Action::Comment
                | Action::InternalNote
                | Action::AskCitizen
                | Action::Resolve
                | Action::Reject
                | Action::Transfer
        )
    }
    /// Whether a note must come with the action (a reason, a resolution, a question).
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            Action::Comment
                | Action::InternalNote
                | Action::AskCitizen
                | Action::CitizenReply
                | Action::Resolve
                | Action::Reject
                | Action::Transfer
                | Action::Reopen
        )
    }
}

/// Days after resolution (or rejection) within which the citizen may reopen.
pub const REOPEN_WINDOW_DAYS: i64 = 7;
/// A grievance can be reopened this many times; after that it is closed as not fixed.
pub const MAX_REOPENS: i32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("this step does not apply to a grievance in this state")]
    NotNow,
    #[error("the window to reopen has passed")]
    ReopenWindowPassed,
    #[error("it has been reopened too many times")]
    TooManyReopens,
}

impl TransitionError {
    /// The translation key of the message shown to the person.
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::NotNow => "err_grievance_not_now",
            TransitionError::ReopenWindowPassed => "err_reopen_window_passed",
            TransitionError::TooManyReopens => "err_too_many_reopens",
        }
    }
}

/// The state after `action`, or why it may not happen now. `days_since_resolved` is counted from
/// the resolution or rejection.
pub fn next_status(
    status: Status,
    action: Action,
    days_since_resolved: i64,
    reopen_count: i32,
) -> Result<Status, TransitionError> {
    use Status::*;
    let open = status.is_open();
    match action {
        Action::Acknowledge if matches!(status, Assigned | Reopened | Submitted) => Ok(InProgress),
        Action::Comment | Action::InternalNote | Action::AskCitizen if open => Ok(status),
        Action::CitizenReply if open || status == Resolved => Ok(status),
        Action::Resolve if open => Ok(Resolved),
        Action::Reject if open => Ok(Rejected),
        Action::Transfer if open => Ok(Assigned),
        Action::Reopen if matches!(status, Resolved | Rejected) => {
            if days_since_resolved >= REOPEN_WINDOW_DAYS {
                Err(TransitionError::ReopenWindowPassed)
            } else if reopen_count >= MAX_REOPENS {
                Err(TransitionError::TooManyReopens)
            } else {
                Ok(Reopened)
            }
        }
        Action::ConfirmFixed if status == Resolved => Ok(ClosedFixed),
        Action::ConfirmNotFixed if status == Resolved => Ok(ClosedNotFixed),
        _ => Err(TransitionError::NotNow),
    }
}

/// The facts about a grievance that decide who may see and touch it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ownership {
    pub filer_id: Option<String>,
    pub department_id: String,
    pub assignee_id: Option<String>,
    /// Citizens who joined it with "me too".
    pub followers: Vec<String>,
}

/// Who may see a grievance: its filer and the citizens who joined it; staff of its department; its assignee (an escalation may
/// have taken it to someone outside); any city admin.
pub fn may_view(actor: &Actor, g: &Ownership) -> bool {
    if g.filer_id.as_deref() == Some(actor.user_id.as_str()) || g.followers.contains(&actor.user_id)
    {
        return true;
    }
    match actor.role {
        Role::CityAdmin => true,
        Role::Official | Role::DepartmentAdmin => {
            actor.department_id.as_deref() == Some(g.department_id.as_str())
                || g.assignee_id.as_deref() == Some(actor.user_id.as_str())
        }
        Role::Citizen => false,
    }
}

/// Who may take `action`: the citizen's actions are the filer's alone; staff actions are the
/// assignee's, their department admin's, or a city admin's.
pub fn may_act(actor: &Actor, g: &Ownership, action: Action) -> bool {
    if !action.is_staff_action() {
        return g.filer_id.as_deref() == Some(actor.user_id.as_str());
    }
    match actor.role {
        Role::CityAdmin => true,
        Role::DepartmentAdmin => {
            actor.department_id.as_deref() == Some(g.department_id.as_str())
                || g.assignee_id.as_deref() == Some(actor.user_id.as_str())
        }
        Role::Official => g.assignee_id.as_deref() == Some(actor.user_id.as_str()),
        Role::Citizen => false,
    }
}

pub const DESCRIPTION_MIN: usize = 10;
pub const DESCRIPTION_MAX: usize = 2000;
pub const NOTE_MAX: usize = 2000;

/// What a filer told us, before it is checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilingInput {
    pub category_chosen: bool,
    pub description: String,
    pub ward: Option<i32>,
    pub landmark: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The problems with a filing, each at its field. A map is never required: a ward (with or
/// without a landmark), an address, or the device's location each say where.
pub fn check_filing(f: &FilingInput) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if !f.category_chosen {
        problems.push(FieldError::new("category", "err_category_required"));
    }
    let len = f.description.trim().chars().count();
    if len < DESCRIPTION_MIN {
        problems.push(FieldError::new("description", "err_description_short"));
    } else if len > DESCRIPTION_MAX {
        problems.push(FieldError::new("description", "err_description_long"));
    }
    let located = match (f.latitude, f.longitude) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                problems.push(FieldError::new("location", "err_location_invalid"));
            }
            true
        }
        _ => false,
    };
    if f.landmark.chars().count() > 200 {
        problems.push(FieldError::new("landmark", "err_text_too_long"));
    }
    if f.address.chars().count() > 500 {
        problems.push(FieldError::new("address", "err_text_too_long"));
    }
    if f.ward.is_none() && f.address.trim().is_empty() && !located {
        problems.push(FieldError::new("ward", "err_place_required"));
    }
    problems
}

/// A note that goes with an action: required where the action needs one, never too long.
pub fn check_note(action: Action, note: &str) -> Option<FieldError> {
    let len = note.trim().chars().count();
    if action.needs_note() && len == 0 {
        Some(FieldError::new("note", "err_note_required"))
    } else if len > NOTE_MAX {
        Some(FieldError::new("note", "err_text_too_long"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: &str, role: Role, dept: Option<&str>) -> Actor {
        Actor {
            user_id: id.into(),
            role,
            department_id: dept.map(String::from),
        }
    }

    fn owned() -> Ownership {
        Ownership {
            filer_id: Some("citizen".into()),
            department_id: "bmc".into(),
            assignee_id: Some("official".into()),
            followers: vec!["neighbour".into()],
        }
    }

    #[test]
    fn the_life_of_a_grievance() {
        use Status::*;
        assert_eq!(
            next_status(Assigned, Action::Acknowledge, 0, 0),
            Ok(InProgress)
        );
        assert_eq!(next_status(InProgress, Action::Resolve, 0, 0), Ok(Resolved));
        assert_eq!(next_status(Resolved, Action::Reopen, 2, 0), Ok(Reopened));
        assert_eq!(next_status(Reopened, Action::Resolve, 0, 1), Ok(Resolved));
        assert_eq!(
            next_status(Resolved, Action::ConfirmFixed, 0, 1),
            Ok(ClosedFixed)
        );
        assert_eq!(
            next_status(Resolved, Action::ConfirmNotFixed, 0, 1),
            Ok(ClosedNotFixed)
        );
        assert_eq!(next_status(InProgress, Action::Reject, 0, 0), Ok(Rejected));
        assert_eq!(next_status(Rejected, Action::Reopen, 0, 0), Ok(Reopened));
        assert_eq!(
            next_status(InProgress, Action::Transfer, 0, 0),
            Ok(Assigned)
        );
        assert_eq!(
            next_status(InProgress, Action::Comment, 0, 0),
            Ok(InProgress)
        );
    }

    #[test]
    fn closed_grievances_stay_closed() {
        for s in [Status::ClosedFixed, Status::ClosedNotFixed] {
            for a in [
                Action::Resolve,
                Action::Reopen,
                Action::Acknowledge,
                Action::Comment,
                Action::Transfer,
            ] {
                assert_eq!(
                    next_status(s, a, 0, 0),
                    Err(TransitionError::NotNow),
                    "{s:?} {a:?}"
                );
            }
        }
        assert_eq!(
            next_status(Status::Assigned, Action::ConfirmFixed, 0, 0),
            Err(TransitionError::NotNow)
        );
        assert_eq!(
            next_status(Status::InProgress, Action::Reopen, 0, 0),
            Err(TransitionError::NotNow)
        );
        assert_eq!(
            next_status(Status::Resolved, Action::Resolve, 0, 0),
            Err(TransitionError::NotNow)
        );
    }

    #[test]
    fn reopening_has_a_window_and_a_limit() {
        assert_eq!(
            next_status(Status::Resolved, Action::Reopen, REOPEN_WINDOW_DAYS, 0),
            Err(TransitionError::ReopenWindowPassed)
        );
        assert_eq!(
            next_status(Status::Resolved, Action::Reopen, 1, MAX_REOPENS),
            Err(TransitionError::TooManyReopens)
        );
    }

    #[test]
    fn not_fixed_never_counts_as_fixed() {
        assert!(Status::ClosedFixed.counts_as_fixed());
        for s in Status::ALL
            .into_iter()
            .filter(|s| *s != Status::ClosedFixed)
        {
            assert!(!s.counts_as_fixed(), "{s:?}");
        }
        assert!(!Status::Resolved.is_open() && !Status::ClosedNotFixed.is_open());
        assert!(Status::Reopened.is_open());
    }

    #[test]
    fn who_may_see_and_act() {
        let g = owned();
        let filer = actor("citizen", Role::Citizen, None);
        let other_citizen = actor("someone", Role::Citizen, None);
        let assignee = actor("official", Role::Official, Some("bmc"));
        let colleague = actor("colleague", Role::Official, Some("bmc"));
        let outsider = actor("watco-official", Role::Official, Some("watco"));
        let dept_admin = actor("bmc-admin", Role::DepartmentAdmin, Some("bmc"));
        let other_admin = actor("watco-admin", Role::DepartmentAdmin, Some("watco"));
        let city = actor("city", Role::CityAdmin, None);

        assert!(may_view(&filer, &g) && !may_view(&other_citizen, &g));
        assert!(
            may_view(&colleague, &g) && !may_view(&outsider, &g) && !may_view(&other_admin, &g)
        );
        assert!(may_view(&city, &g));

        assert!(may_act(&assignee, &g, Action::Resolve));
        assert!(!may_act(&colleague, &g, Action::Resolve));
        assert!(!may_act(&outsider, &g, Action::Comment));
        assert!(may_act(&dept_admin, &g, Action::Transfer));
        assert!(!may_act(&other_admin, &g, Action::Reject));
        assert!(may_act(&city, &g, Action::Resolve));

        // the citizen's steps are the filer's alone, not even an admin's
        assert!(may_act(&filer, &g, Action::Reopen));
        assert!(!may_act(&other_citizen, &g, Action::Reopen));
        assert!(!may_act(&city, &g, Action::ConfirmFixed));
        assert!(!may_act(&filer, &g, Action::Resolve));

        // an escalation may hand it to someone outside the department
        let escalated = Ownership {
            assignee_id: Some("watco-official".into()),
            ..owned()
        };
        assert!(may_view(&outsider, &escalated) && may_act(&outsider, &escalated, Action::Resolve));

        // a citizen who joined with "me too" follows it, but takes no step of the filer's
        let neighbour = actor("neighbour", Role::Citizen, None);
        assert!(may_view(&neighbour, &g));
        assert!(!may_act(&neighbour, &g, Action::Reopen));
        assert!(!may_act(&neighbour, &g, Action::ConfirmFixed));
    }

    #[test]
    fn a_filing_needs_a_place_but_never_a_map() {
        let base = FilingInput {
            category_chosen: true,
            description: "Streetlight not working for a week".into(),
            ..Default::default()
        };
        let codes = |f: &FilingInput| {
            check_filing(f)
                .into_iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&base), vec!["err_place_required"]);
        assert!(codes(&FilingInput {
            ward: Some(12),
            ..base.clone()
        })
        .is_empty());
        assert!(codes(&FilingInput {
            address: "Plot 4, Saheed Nagar".into(),
            ..base.clone()
        })
        .is_empty());
        assert!(codes(&FilingInput {
            latitude: Some(20.29),
            longitude: Some(85.82),
            ..base.clone()
        })
        .is_empty());
        assert_eq!(
            codes(&FilingInput {
                latitude: Some(120.0),
                longitude: Some(85.0),
                ..base.clone()
            }),
            vec!["err_location_invalid"]
        );
        assert_eq!(
            codes(&FilingInput {
                description: "light".into(),
                category_chosen: false,
                ward: Some(1),
                ..base.clone()
            }),
            vec!["err_category_required", "err_description_short"]
        );
    }

    #[test]
    fn notes_where_they_are_needed() {
        assert!(check_note(Action::Acknowledge, "").is_none());
        assert_eq!(
            check_note(Action::Reject, "  ").map(|e| e.code),
            Some("err_note_required".to_string())
        );
        assert_eq!(
            check_note(Action::Comment, &"x".repeat(NOTE_MAX + 1)).map(|e| e.code),
            Some("err_text_too_long".to_string())
        );
    }
}

/// Something a person is told about a grievance, by SMS or email; the app words it in the
/// person's language (`Wording`), the store decides who is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// To the filer: it is in, with its number.
    Filed { number: String },
    /// To the filer: it moved up the ladder; to the new assignee: it is theirs now.
    Escalated { number: String, level: i32 },
    /// To the assignee: the deadline is near.
    DeadlineNear { number: String, hours_left: i64 },
    /// To the department admin: the ladder has nobody left to name.
    Overdue { number: String },
    /// To the filer: a step they should know about (resolved, rejected, a question, a comment).
    Updated {
        number: String,
        status: Status,
        action: Action,
        note: String,
    },
    /// To the assignee: the citizen reopened it or answered.
    CitizenActed { number: String, action: Action },
    /// To the new assignee of a transferred grievance.
    Assigned { number: String },
    /// To the assignee: so many people joined that its priority rose.
    PriorityRaised {
        number: String,
        people: i32,
        priority: duplicates::Priority,
    },
}

impl Notice {
    pub fn number(&self) -> &str {
        match self {
            Notice::Filed { number }
            | Notice::Escalated { number, .. }
            | Notice::DeadlineNear { number, .. }
            | Notice::Overdue { number }
            | Notice::Updated { number, .. }
            | Notice::CitizenActed { number, .. }
            | Notice::Assigned { number }
            | Notice::PriorityRaised { number, .. } => number,
        }
    }

    /// The page a notice opens: the grievance itself, for the citizen and the official alike.
    pub fn link(&self) -> String {
        format!("/grievances/{}", self.number())
    }
}

/// Puts a notice into words in a language. Implemented by the app, whose translation layer holds
/// every user-facing string.
pub trait Wording: Send + Sync {
    fn notice(&self, locale: crate::Locale, notice: &Notice) -> String;
}
