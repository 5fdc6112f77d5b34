//! The life of an application: the state it is in (`Status`), what people do to it (`Action`),
//! which state each action leads to (`Status::after`), and the time limit's clock, which stops
//! while the department waits on the citizen (`due_after_answer`).

use super::calendar::{day_number, Calendar};
use super::form::Day;
use i18n::{t, Locale};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Filed; waiting for the department to check it.
    Submitted,
    /// The official checked the answers and the documents.
    Verified,
    /// The official asked the citizen for more; the clock stands still.
    AwaitingCitizen,
    /// Granted; the certificate or licence is being made ready.
    Approved,
    Rejected,
    /// What was applied for has reached the citizen.
    Delivered,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Submitted,
        Status::Verified,
        Status::AwaitingCitizen,
        Status::Approved,
        Status::Rejected,
        Status::Delivered,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Verified => "verified",
            Status::AwaitingCitizen => "awaiting_citizen",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Delivered => "delivered",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// Someone must still act on it.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Rejected | Status::Delivered)
    }
    /// The department is the one who must act (the time limit runs).
    pub fn clock_runs(self) -> bool {
        self.is_open() && self != Status::AwaitingCitizen
    }
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Status::Submitted => t::app_status_submitted(l),
            Status::Verified => t::app_status_verified(l),
            Status::AwaitingCitizen => t::app_status_awaiting_citizen(l),
            Status::Approved => t::app_status_approved(l),
            Status::Rejected => t::app_status_rejected(l),
            Status::Delivered => t::app_status_delivered(l),
        }
    }

    /// The state `action` leads to from this one, if it may be taken here.
    pub fn after(self, action: Action) -> Option<Status> {
        use Action as A;
        use Status as S;
        match (self, action) {
            (S::Submitted, A::Verify) => Some(S::Verified),
            (S::Submitted | S::Verified, A::AskForMore) => Some(S::AwaitingCitizen),
            // the answer goes back to be checked again
            (S::AwaitingCitizen, A::Answer) => Some(S::Submitted),
            (S::Verified, A::Approve) => Some(S::Approved),
            (S::Submitted | S::Verified, A::Reject) => Some(S::Rejected),
            (S::Approved, A::Deliver) => Some(S::Delivered),
            _ => None,
        }
    }
}

/// What someone does to an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Verify,
    /// Ask the citizen for something more (a document, a correction), saying what.
    AskForMore,
    /// The citizen's answer to that.
    Answer,
    Approve,
    /// Refuse it, saying why (the citizen may appeal).
    Reject,
    Deliver,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Verify,
        Action::AskForMore,
        Action::Answer,
        Action::Approve,
        Action::Reject,
        Action::Deliver,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Verify => "verify",
            Action::AskForMore => "ask_for_more",
            Action::Answer => "answer",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Deliver => "deliver",
        }
    }
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// Taken by the department's staff; the others by the applicant.
    pub fn by_staff(self) -> bool {
        self != Action::Answer
    }
    /// It must say something to the citizen (what is wanted, why it was refused, the answer).
    pub fn needs_note(self) -> bool {
        matches!(self, Action::AskForMore | Action::Reject | Action::Answer)
    }
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Action::Verify => t::app_action_verify(l),
            Action::AskForMore => t::app_action_ask_for_more(l),
            Action::Answer => t::app_action_answer(l),
            Action::Approve => t::app_action_approve(l),
            Action::Reject => t::app_action_reject(l),
            Action::Deliver => t::app_action_deliver(l),
        }
    }
}

/// What is wrong with a step's note: missing where the step must say something, or too long.
pub fn check_note(action: Action, note: &str) -> Option<crate::problem::FieldError> {
    crate::problem::check_note(note, action.needs_note())
}

/// A timeline entry's name, from its stored kind (`filed` or a step's name).
pub fn event_label(kind: &str, l: Locale) -> Option<&'static str> {
    Some(match Action::parse(kind) {
        Some(Action::Verify) => t::app_event_verify(l),
        Some(Action::AskForMore) => t::app_event_ask_for_more(l),
        Some(Action::Answer) => t::app_event_answer(l),
        Some(Action::Approve) => t::app_event_approve(l),
        Some(Action::Reject) => t::app_event_reject(l),
        Some(Action::Deliver) => t::app_event_deliver(l),
        None if kind == "filed" => t::app_event_filed(l),
        None if kind == "reassigned" => t::app_event_reassigned(l),
        None if kind == "document_opened" => t::app_event_document_opened(l),
        None if kind == "share_withdrawn" => t::app_event_share_withdrawn(l),
        None if kind == "appealed" => t::app_event_appealed(l),
        None if kind == "revision_asked" => t::app_event_revision_asked(l),
        None if kind == "appeal_decided" => t::app_event_appeal_decided(l),
        None if kind == "certificate_issued" => t::app_event_certificate_issued(l),
        None if kind == "certificate_revoked" => t::app_event_certificate_revoked(l),
        None if kind == "fee_paid" => t::app_event_fee_paid(l),
        None if kind == "fee_refunded" => t::app_event_fee_refunded(l),
        None => return None,
    })
}

/// The steps `status` allows, for staff or for the applicant.
pub fn steps_open_to(status: Status, staff: bool) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| a.by_staff() == staff && status.after(*a).is_some())
        .collect()
}

/// The due date once the citizen has answered: the clock stood still from the working day the
/// department asked (`asked`) to the day the answer came (`answered`), so the due date moves on by
/// the working days in between.
pub fn due_after_answer(calendar: &Calendar, due: Day, asked: Day, answered: Day) -> Day {
    if day_number(answered) <= day_number(asked) {
        return due;
    }
    let waited = calendar.working_days_between(asked, answered);
    calendar.add_working_days(due, u16::try_from(waited).unwrap_or(u16::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_and_unknown_ones_do_not() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(Status::parse("reopened"), None);
        assert_eq!(Action::parse("resolve"), None);
    }

    #[test]
    fn an_application_is_checked_before_it_is_granted_and_granted_before_it_is_delivered() {
        use Action as A;
        use Status as S;
        assert_eq!(S::Submitted.after(A::Approve), None, "not before verifying");
        assert_eq!(S::Submitted.after(A::Verify), Some(S::Verified));
        assert_eq!(S::Verified.after(A::Approve), Some(S::Approved));
        assert_eq!(S::Approved.after(A::Deliver), Some(S::Delivered));
        assert_eq!(S::Verified.after(A::Deliver), None);
        assert_eq!(
            S::Approved.after(A::Reject),
            None,
            "a grant is not taken back here"
        );
        assert_eq!(S::Delivered.after(A::Reject), None);
        assert_eq!(S::Rejected.after(A::Verify), None);
    }

    #[test]
    fn asking_for_more_waits_on_the_citizen_whose_answer_is_checked_again() {
        use Status as S;
        assert_eq!(
            S::Verified.after(Action::AskForMore),
            Some(S::AwaitingCitizen)
        );
        assert_eq!(
            steps_open_to(S::AwaitingCitizen, false),
            vec![Action::Answer]
        );
        assert!(steps_open_to(S::AwaitingCitizen, true).is_empty());
        assert_eq!(S::AwaitingCitizen.after(Action::Answer), Some(S::Submitted));
        assert!(steps_open_to(S::Submitted, false).is_empty());
        assert_eq!(
            steps_open_to(S::Submitted, true),
            vec![Action::Verify, Action::AskForMore, Action::Reject]
        );
        assert!(!S::AwaitingCitizen.clock_runs());
        assert!(S::Approved.clock_runs());
        assert!(!S::Delivered.is_open() && !S::Rejected.is_open());
    }

    #[test]
    fn asking_and_refusing_must_say_what_and_why() {
        assert!(check_note(Action::Verify, "").is_none());
        assert_eq!(
            check_note(Action::Reject, "  ").unwrap().code,
            "err_note_required"
        );
        assert_eq!(check_note(Action::AskForMore, "").unwrap().field, "note");
        assert!(check_note(Action::Answer, "Here it is").is_none());
        assert_eq!(
            check_note(Action::Approve, &"x".repeat(crate::problem::NOTE_MAX + 1))
                .unwrap()
                .code,
            "err_text_too_long"
        );
    }

    #[test]
    fn the_days_spent_waiting_on_the_citizen_move_the_due_date() {
        let c = Calendar::default();
        // Due Friday 18 December 2026; asked Monday 7th, answered Thursday 10th: three working
        // days waited, so due three working days later (Saturday 19th is the third Saturday,
        // Sunday skipped): Tuesday 22nd.
        assert_eq!(
            due_after_answer(&c, (2026, 12, 18), (2026, 12, 7), (2026, 12, 10)),
            (2026, 12, 22)
        );
        // answered the day it was asked: no working day lost
        assert_eq!(
            due_after_answer(&c, (2026, 12, 18), (2026, 12, 7), (2026, 12, 7)),
            (2026, 12, 18)
        );
    }
}
