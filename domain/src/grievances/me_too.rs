//! "Me too": the same problem reported again near an open grievance of the same category is
//! offered to join it. Joined citizens hear its updates, and their number raises its priority.

use serde::{Deserialize, Serialize};

/// An open grievance counts as "near" when it is in the same ward, or within this distance
/// where both have a location.
pub const NEAR_METRES: f64 = 300.0;
/// Only grievances filed within this many days are offered: older ones are likely a new failure.
pub const RECENT_DAYS: i32 = 30;
/// The least trigram similarity of the two texts (description and landmark) to offer a join.
pub const LEAST_TEXT_SIMILARITY: f32 = 0.2;
/// At most this many are offered.
pub const MOST_OFFERED: i64 = 3;

/// How urgent a grievance is in the officials' queues, raised by the people who joined it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Priority {
    Normal,
    High,
    Urgent,
}

/// People joined (beside the filer) for High and for Urgent.
pub const HIGH_FROM: i32 = 3;
pub const URGENT_FROM: i32 = 10;

impl Priority {
    pub fn of(me_too_count: i32) -> Priority {
        if me_too_count >= URGENT_FROM {
            Priority::Urgent
        } else if me_too_count >= HIGH_FROM {
            Priority::High
        } else {
            Priority::Normal
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// The priority's name in a language.
    pub fn label(self, l: i18n::Locale) -> &'static str {
        match self {
            Priority::Normal => i18n::t::priority_normal(l),
            Priority::High => i18n::t::priority_high(l),
            Priority::Urgent => i18n::t::priority_urgent(l),
        }
    }
}

/// An offer to join stands this long: the citizen is filing now, not browsing numbers.
pub const OFFER_VALID_MINUTES: i64 = 60;

/// Why a citizen cannot join a grievance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinRefusal {
    /// It is theirs already.
    OwnGrievance,
    /// It was never offered to them (or the offer lapsed): a grievance number is not a way in.
    /// Answered as "not found", so that numbers cannot be probed.
    NotOffered,
    /// It is resolved, closed or rejected: a new grievance is the way.
    NotOpen,
}

impl JoinRefusal {
    pub fn code(self) -> &'static str {
        match self {
            JoinRefusal::OwnGrievance => "err_me_too_own",
            JoinRefusal::NotOffered => "err_me_too_not_open",
            JoinRefusal::NotOpen => "err_me_too_not_open",
        }
    }
}

/// Whether a citizen may join: an open grievance, not their own, that was offered to them while
/// they filed (within `OFFER_VALID_MINUTES`).
pub fn check_join(is_filer: bool, offered: bool, open: bool) -> Result<(), JoinRefusal> {
    if is_filer {
        Err(JoinRefusal::OwnGrievance)
    } else if !offered {
        Err(JoinRefusal::NotOffered)
    } else if !open {
        Err(JoinRefusal::NotOpen)
    } else {
        Ok(())
    }
}

/// Whether joining made the grievance cross into a higher priority (the assignee is told).
pub fn raised_priority(count_before: i32, count_after: i32) -> Option<Priority> {
    let after = Priority::of(count_after);
    (after > Priority::of(count_before)).then_some(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_joining_raise_priority_at_three_and_ten() {
        assert_eq!(Priority::of(0), Priority::Normal);
        assert_eq!(Priority::of(2), Priority::Normal);
        assert_eq!(Priority::of(3), Priority::High);
        assert_eq!(Priority::of(9), Priority::High);
        assert_eq!(Priority::of(10), Priority::Urgent);
        assert_eq!(raised_priority(2, 3), Some(Priority::High));
        assert_eq!(raised_priority(3, 4), None);
        assert_eq!(raised_priority(9, 10), Some(Priority::Urgent));
    }

    #[test]
    fn only_an_open_grievance_of_someone_else_can_be_joined() {
        assert_eq!(check_join(false, true, true), Ok(()));
        assert_eq!(check_join(true, true, true), Err(JoinRefusal::OwnGrievance));
        assert_eq!(check_join(false, true, false), Err(JoinRefusal::NotOpen));
        // a number alone is no way in: only what was offered while filing can be joined
        assert_eq!(check_join(false, false, true), Err(JoinRefusal::NotOffered));
        assert_eq!(
            check_join(false, false, false),
            Err(JoinRefusal::NotOffered)
        );
    }
}
