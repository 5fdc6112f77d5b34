//! What people are told about a grievance, and the words for it in each language.

use super::me_too::Priority;
use super::{Action, Event, Status};
use i18n::{fill, t, Locale};

/// Something a person is told about a grievance, by push, SMS or email, worded in the person's
/// language (`Notice::words`); the store decides who is told.
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
        priority: Priority,
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

    /// The notice in words, in a language.
    pub fn words(&self, l: Locale) -> String {
        use Notice::*;
        match self {
            Filed { number } => fill(t::notice_filed(l), &[("number", number)]),
            Escalated { number, level } => fill(
                t::notice_escalated(l),
                &[("number", number), ("level", &level.to_string())],
            ),
            DeadlineNear { number, hours_left } => fill(
                t::notice_deadline_near(l),
                &[("number", number), ("hours", &hours_left.to_string())],
            ),
            Overdue { number } => fill(t::notice_overdue(l), &[("number", number)]),
            Updated {
                number,
                status,
                action,
                note,
            } => {
                let what = match action {
                    Action::AskCitizen => t::notice_info_requested(l),
                    Action::Comment => t::notice_comment(l),
                    _ => t::notice_status(l),
                };
                fill(
                    what,
                    &[
                        ("number", number),
                        ("status", status.label(l)),
                        ("note", note),
                    ],
                )
            }
            CitizenActed { number, action } => fill(
                t::notice_citizen_acted(l),
                &[("number", number), ("step", Event::Step(*action).label(l))],
            ),
            Assigned { number } => fill(t::notice_assigned(l), &[("number", number)]),
            PriorityRaised {
                number,
                people,
                priority,
            } => fill(
                t::notice_priority_raised(l),
                &[
                    ("number", number),
                    ("count", &people.to_string()),
                    ("priority", priority.label(l)),
                ],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_worded_in_the_person_s_language() {
        let filed = Notice::Filed {
            number: "GR-26-0000001-5".into(),
        };
        for l in Locale::ALL {
            assert!(filed.words(l).contains("GR-26-0000001-5"), "{l:?}");
        }
        assert_ne!(filed.words(Locale::En), filed.words(Locale::Or));
        let updated = Notice::Updated {
            number: "GR-26-0000001-5".into(),
            status: Status::Resolved,
            action: Action::Resolve,
            note: "Lamp replaced".into(),
        };
        let en = updated.words(Locale::En);
        assert!(en.contains(Status::Resolved.label(Locale::En)) && en.contains("Lamp replaced"));
        assert!(!en.contains('{'), "a placeholder was left unfilled: {en}");
        assert_eq!(updated.link(), "/grievances/GR-26-0000001-5");
    }
}
