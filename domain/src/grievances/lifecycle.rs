//! The life of a grievance: where it came in (`Channel`), the state it is in (`Status`), what
//! people do to it (`Action`), and which state each action leads to (`next_status`).

use i18n::{t, Locale};
use serde::{Deserialize, Serialize};

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
    pub const ALL: [Action; 11] = [
        Action::Acknowledge,
        Action::Comment,
        Action::InternalNote,
        Action::AskCitizen,
        Action::CitizenReply,
        Action::Resolve,
        Action::Reject,
        Action::Transfer,
        Action::Reopen,
        Action::ConfirmFixed,
        Action::ConfirmNotFixed,
    ];
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
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

impl Status {
    /// The state's name in a language.
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Status::Submitted => t::status_submitted(l),
            Status::Assigned => t::status_assigned(l),
            Status::InProgress => t::status_in_progress(l),
            Status::Resolved => t::status_resolved(l),
            Status::ClosedFixed => t::status_closed_fixed(l),
            Status::ClosedNotFixed => t::status_closed_not_fixed(l),
            Status::Rejected => t::status_rejected(l),
            Status::Reopened => t::status_reopened(l),
        }
    }
}

impl Channel {
    /// The channel's name in a language.
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Channel::App => t::channel_app(l),
            Channel::Web => t::channel_web(l),
            Channel::Phone => t::channel_phone(l),
            Channel::Sms => t::channel_sms(l),
            Channel::Email => t::channel_email(l),
            Channel::Ivrs => t::channel_ivrs(l),
            Channel::Kiosk => t::channel_kiosk(l),
            Channel::External => t::channel_external(l),
        }
    }
}

/// What a history entry records: a person's step, or something that happened by the clock or
/// by the filing itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    Filed,
    Step(Action),
    Escalated,
    Overdue,
    DeadlineNear,
    MeToo,
    ClosedUnanswered,
    /// A department admin gave it to another of the department's staff.
    Reassigned,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Filed => "filed",
            Event::Step(a) => a.as_str(),
            Event::Escalated => "escalated",
            Event::Overdue => "overdue",
            Event::DeadlineNear => "deadline_near",
            Event::MeToo => "me_too",
            Event::ClosedUnanswered => "closed_unanswered",
            Event::Reassigned => "reassigned",
        }
    }
    pub fn parse(s: &str) -> Option<Event> {
        let other = [
            Event::Filed,
            Event::Escalated,
            Event::Overdue,
            Event::DeadlineNear,
            Event::MeToo,
            Event::ClosedUnanswered,
            Event::Reassigned,
        ];
        other
            .into_iter()
            .find(|e| e.as_str() == s)
            .or_else(|| Action::parse(s).map(Event::Step))
    }
    /// The entry's name on a timeline, in a language.
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Event::Filed => t::step_filed(l),
            Event::Step(a) => match a {
                Action::Acknowledge => t::step_acknowledged(l),
                Action::Comment => t::step_comment(l),
                Action::InternalNote => t::step_internal_note(l),
                Action::AskCitizen => t::step_info_requested(l),
                Action::CitizenReply => t::step_citizen_reply(l),
                Action::Resolve => t::step_resolved(l),
                Action::Reject => t::step_rejected(l),
                Action::Transfer => t::step_transferred(l),
                Action::Reopen => t::step_reopened(l),
                Action::ConfirmFixed => t::step_closed_fixed(l),
                Action::ConfirmNotFixed => t::step_closed_not_fixed(l),
            },
            Event::Escalated => t::step_escalated(l),
            Event::Overdue => t::step_overdue(l),
            Event::DeadlineNear => t::step_deadline_near(l),
            Event::MeToo => t::step_me_too(l),
            Event::ClosedUnanswered => t::step_closed_unanswered(l),
            Event::Reassigned => t::step_reassigned(l),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        for a in Action::ALL {
            assert_eq!(Event::parse(Event::Step(a).as_str()), Some(Event::Step(a)));
        }
        for e in [
            "filed",
            "escalated",
            "overdue",
            "deadline_near",
            "me_too",
            "closed_unanswered",
        ] {
            assert_eq!(Event::parse(e).map(Event::as_str), Some(e));
        }
        assert_eq!(Status::parse("reopend"), None);
        assert_eq!(Event::parse("something_else"), None);
    }
}
