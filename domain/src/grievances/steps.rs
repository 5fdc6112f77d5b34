//! The steps people take on a grievance, as rules: what a step needs (a note, a rating), which
//! steps a person may take now, and what a step changes (`effects`) — decided here without a
//! database, so `store::steps::take_step` only reads, applies and records.

use super::escalation::{self, Level};
use super::{may_act, next_status, Action, Ownership, Status, TransitionError};
use crate::identity::Actor;
use crate::problem::FieldError;
pub use crate::problem::NOTE_MAX;

/// A note that goes with an action: required where the action needs one, never too long.
pub fn check_note(action: Action, note: &str) -> Option<FieldError> {
    crate::problem::check_note(note, action.needs_note())
}

/// The problems with a step as a person sent it: its note, and the rating a confirmation needs.
pub fn check_step(action: Action, note: &str, rating: Option<i16>) -> Vec<FieldError> {
    let mut problems: Vec<FieldError> = check_note(action, note).into_iter().collect();
    if matches!(action, Action::ConfirmFixed | Action::ConfirmNotFixed)
        && !rating.is_some_and(|r| (1..=5).contains(&r))
    {
        problems.push(FieldError::new("rating", "err_rating_required"));
    }
    problems
}

/// The steps `actor` may take on a grievance now, in the order a page offers them.
pub fn steps_open_to(
    actor: &Actor,
    owner: &Ownership,
    status: Status,
    days_since_resolved: i64,
    reopen_count: i32,
) -> Vec<Action> {
    use Action::*;
    [
        Acknowledge,
        Comment,
        InternalNote,
        AskCitizen,
        Resolve,
        Reject,
        Transfer,
        CitizenReply,
        Reopen,
        ConfirmFixed,
        ConfirmNotFixed,
    ]
    .into_iter()
    .filter(|a| may_act(actor, owner, *a))
    .filter(|a| next_status(status, *a, days_since_resolved, reopen_count).is_ok())
    .collect()
}

/// A deadline that starts again from now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restart {
    /// The level the grievance is on afterwards.
    pub level: i32,
    pub deadline_after_seconds: i64,
    pub warn_after_seconds: i64,
}

/// What a step changes on the grievance and who hears of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effects {
    pub status: Status,
    /// The deadline and its warning start again (a transfer, at level 1 of the new ladder; a
    /// reopening, at the level it was on).
    pub restart: Option<Restart>,
    /// No warning is due any more (it is resolved, rejected or closed).
    pub clears_warning: bool,
    /// An overdue mark no longer holds (the clock started again).
    pub clears_overdue: bool,
    /// It counts as one more reopening (and is no longer resolved).
    pub reopens: bool,
    /// The citizen's rating and comment are kept.
    pub keeps_rating: bool,
    /// The citizen sees the entry (an internal note they do not).
    pub public: bool,
    /// The filer and the citizens who joined are told (`Notice::Updated`).
    pub tells_filer: bool,
    /// The assignee is told the citizen acted (`Notice::CitizenActed`).
    pub tells_assignee: bool,
    /// The new assignee of a transfer is told it is theirs (`Notice::Assigned`).
    pub tells_new_assignee: bool,
}

/// What `action` does to a grievance in `status` at `level`, or why it may not happen now.
/// `clock` is the level whose time starts again where the step restarts it: for a transfer the
/// first level of the new category's ladder, for a reopening the level it is on (the default
/// ladder's first when none is given).
pub fn effects(
    action: Action,
    status: Status,
    level: i32,
    days_since_resolved: i64,
    reopen_count: i32,
    clock: Option<&Level>,
) -> Result<Effects, TransitionError> {
    let next = next_status(status, action, days_since_resolved, reopen_count)?;
    let restart = matches!(action, Action::Transfer | Action::Reopen).then(|| {
        let first = escalation::default_ladder().swap_remove(0);
        let clock = clock.unwrap_or(&first);
        Restart {
            level: if action == Action::Transfer { 1 } else { level },
            deadline_after_seconds: clock.hours as i64 * 3600,
            warn_after_seconds: escalation::warn_after_seconds(clock.hours, clock.warn_percent),
        }
    });
    let closes = matches!(
        action,
        Action::Resolve | Action::Reject | Action::ConfirmFixed | Action::ConfirmNotFixed
    );
    let confirms = matches!(action, Action::ConfirmFixed | Action::ConfirmNotFixed);
    Ok(Effects {
        status: next,
        restart,
        clears_warning: closes,
        clears_overdue: restart.is_some(),
        reopens: action == Action::Reopen,
        keeps_rating: confirms,
        public: action != Action::InternalNote,
        tells_filer: matches!(
            action,
            Action::AskCitizen
                | Action::Comment
                | Action::Resolve
                | Action::Reject
                | Action::Transfer
        ),
        tells_assignee: matches!(action, Action::Reopen | Action::CitizenReply),
        tells_new_assignee: action == Action::Transfer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grievances::escalation::LevelAssignee;

    fn level(n: i32, hours: i32) -> Level {
        Level {
            level: n,
            assignee: LevelAssignee::DepartmentAdmin,
            hours,
            warn_percent: 50,
        }
    }

    #[test]
    fn reopening_restarts_the_clock_of_the_level_it_is_on() {
        let e = effects(
            Action::Reopen,
            Status::Resolved,
            2,
            1,
            0,
            Some(&level(2, 24)),
        )
        .unwrap();
        assert_eq!(e.status, Status::Reopened);
        assert_eq!(
            e.restart,
            Some(Restart {
                level: 2,
                deadline_after_seconds: 24 * 3600,
                warn_after_seconds: 12 * 3600
            })
        );
        assert!(e.reopens && e.clears_overdue && !e.clears_warning);
        assert!(e.tells_assignee && !e.tells_filer);
    }

    #[test]
    fn a_transfer_starts_at_the_first_level_of_the_new_ladder() {
        let e = effects(
            Action::Transfer,
            Status::InProgress,
            3,
            0,
            0,
            Some(&level(1, 10)),
        )
        .unwrap();
        assert_eq!(e.status, Status::Assigned);
        assert_eq!(
            e.restart.map(|r| (r.level, r.deadline_after_seconds)),
            Some((1, 36_000))
        );
        assert!(e.tells_filer && e.tells_new_assignee && !e.reopens);
        // without a ladder of its own the default one's first level applies (72 h)
        let e = effects(Action::Transfer, Status::Assigned, 1, 0, 0, None).unwrap();
        assert_eq!(e.restart.map(|r| r.deadline_after_seconds), Some(72 * 3600));
    }

    #[test]
    fn closing_steps_stop_the_warning_and_keep_the_deadline() {
        for (action, from, to) in [
            (Action::Resolve, Status::InProgress, Status::Resolved),
            (Action::Reject, Status::Assigned, Status::Rejected),
            (Action::ConfirmFixed, Status::Resolved, Status::ClosedFixed),
            (
                Action::ConfirmNotFixed,
                Status::Resolved,
                Status::ClosedNotFixed,
            ),
        ] {
            let e = effects(action, from, 1, 0, 0, None).unwrap();
            assert_eq!(e.status, to);
            assert!(
                e.clears_warning && e.restart.is_none() && !e.clears_overdue,
                "{action:?}"
            );
        }
        let confirm = effects(Action::ConfirmFixed, Status::Resolved, 1, 0, 0, None).unwrap();
        assert!(confirm.keeps_rating && !confirm.tells_filer);
    }

    #[test]
    fn notes_and_questions_change_nothing_but_the_timeline() {
        let e = effects(Action::InternalNote, Status::InProgress, 1, 0, 0, None).unwrap();
        assert_eq!(e.status, Status::InProgress);
        assert!(!e.public && !e.tells_filer && e.restart.is_none() && !e.clears_warning);
        let asked = effects(Action::AskCitizen, Status::InProgress, 1, 0, 0, None).unwrap();
        assert!(asked.public && asked.tells_filer);
    }

    #[test]
    fn a_step_that_does_not_apply_is_refused() {
        assert_eq!(
            effects(Action::Resolve, Status::ClosedFixed, 1, 0, 0, None),
            Err(TransitionError::NotNow)
        );
        assert_eq!(
            effects(Action::Reopen, Status::Resolved, 1, 9, 0, None),
            Err(TransitionError::ReopenWindowPassed)
        );
    }

    #[test]
    fn a_confirmation_needs_a_rating_and_a_refusal_a_reason() {
        let codes = |action, note, rating| -> Vec<String> {
            check_step(action, note, rating)
                .into_iter()
                .map(|e| e.code)
                .collect()
        };
        assert_eq!(
            codes(Action::ConfirmFixed, "", None),
            vec!["err_rating_required"]
        );
        assert_eq!(
            codes(Action::ConfirmFixed, "", Some(6)),
            vec!["err_rating_required"]
        );
        assert!(codes(Action::ConfirmFixed, "", Some(5)).is_empty());
        assert_eq!(codes(Action::Reject, " ", None), vec!["err_note_required"]);
    }

    #[test]
    fn each_person_is_offered_only_their_own_steps() {
        use crate::identity::Role;
        use crate::ids::named;
        let owner = Ownership {
            filer_id: Some(named("citizen")),
            department_id: named("bmc"),
            assignee_id: Some(named("official")),
            followers: vec![named("neighbour")],
        };
        let who = |id: &str, role| Actor {
            user_id: named(id),
            role,
            department_id: (role != Role::Citizen).then(|| named("bmc")),
        };
        let official = steps_open_to(
            &who("official", Role::Official),
            &owner,
            Status::Assigned,
            0,
            0,
        );
        assert!(official.contains(&Action::Acknowledge) && official.contains(&Action::Resolve));
        assert!(!official.contains(&Action::Reopen));
        let filer = steps_open_to(
            &who("citizen", Role::Citizen),
            &owner,
            Status::Resolved,
            1,
            0,
        );
        assert_eq!(
            filer,
            vec![
                Action::CitizenReply,
                Action::Reopen,
                Action::ConfirmFixed,
                Action::ConfirmNotFixed
            ]
        );
        assert!(steps_open_to(
            &who("neighbour", Role::Citizen),
            &owner,
            Status::Resolved,
            1,
            0
        )
        .is_empty());
        assert!(steps_open_to(
            &who("colleague", Role::Official),
            &owner,
            Status::Assigned,
            0,
            0
        )
        .is_empty());
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
