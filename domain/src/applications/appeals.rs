//! Appeals, as the Odisha Right to Public Services Act, 2012 provides: an applicant whose
//! application was rejected, or not decided within its time limit, may appeal to the
//! department's appellate officer, who must decide within 30 days; if the appeal is dismissed or
//! not decided in time, they may ask the revision officer for a revision. Either may order a
//! penalty against the officer who failed, which is recorded. An appeal allowed sends the
//! application back to be decided within a short time.

use super::Status;
use crate::money::Paise;
use i18n::{t, Locale};
use serde::{Deserialize, Serialize};

/// The days (calendar days, as the Act counts them) an appeal or a revision must be decided in.
pub const DECIDE_WITHIN_DAYS: i64 = 30;
/// The working days an allowed appeal gives the department to decide.
pub const ORDERED_WITHIN_WORKING_DAYS: u16 = 7;
/// The most penalty one order may set (₹5,000, the Act's ceiling).
pub const PENALTY_MAX: Paise = Paise(500_000);

/// Appeal (1) or revision (2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    Appeal,
    Revision,
}

impl Level {
    pub fn number(self) -> i16 {
        match self {
            Level::Appeal => 1,
            Level::Revision => 2,
        }
    }
    pub fn from_number(n: i16) -> Option<Level> {
        match n {
            1 => Some(Level::Appeal),
            2 => Some(Level::Revision),
            _ => None,
        }
    }
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Level::Appeal => t::appeal_level_appeal(l),
            Level::Revision => t::appeal_level_revision(l),
        }
    }
}

/// An appeal's state in the work queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    Pending,
    Allowed,
    Dismissed,
}

impl State {
    pub const ALL: [State; 3] = [State::Pending, State::Allowed, State::Dismissed];
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Allowed => "allowed",
            State::Dismissed => "dismissed",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }
    pub fn is_open(self) -> bool {
        self == State::Pending
    }
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            State::Pending => t::appeal_pending(l),
            State::Allowed => t::appeal_allowed(l),
            State::Dismissed => t::appeal_dismissed(l),
        }
    }
}

/// Why the applicant appeals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ground {
    Rejected,
    Overdue,
}

impl Ground {
    pub fn as_str(self) -> &'static str {
        match self {
            Ground::Rejected => "rejected",
            Ground::Overdue => "overdue",
        }
    }
    pub fn parse(s: &str) -> Option<Ground> {
        [Ground::Rejected, Ground::Overdue]
            .into_iter()
            .find(|g| g.as_str() == s)
    }
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Ground::Rejected => t::appeal_ground_rejected(l),
            Ground::Overdue => t::appeal_ground_overdue(l),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// The appeal stands: the department must decide (again) within `ORDERED_WITHIN_WORKING_DAYS`.
    Allowed,
    Dismissed,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::Dismissed => "dismissed",
        }
    }
    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Allowed, Decision::Dismissed]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Decision::Allowed => t::appeal_allowed(l),
            Decision::Dismissed => t::appeal_dismissed(l),
        }
    }
}

/// An appeal as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appeal {
    pub level: Level,
    /// `None` while it waits for a decision.
    pub decision: Option<Decision>,
    /// Its 30 days have passed without a decision.
    pub overdue: bool,
}

/// What the applicant may ask for now, and on what ground: an appeal when the application was
/// rejected or is past its due date while the department must act; a revision once the appeal
/// was dismissed or was not decided in time. Nothing while an appeal or revision is pending in
/// time, and nothing after a revision.
pub fn may_ask(status: Status, past_due: bool, appeals: &[Appeal]) -> Option<(Level, Ground)> {
    let ground = if status == Status::Rejected {
        Ground::Rejected
    } else if status.clock_runs() && past_due {
        Ground::Overdue
    } else {
        // e.g. an appeal allowed, and the department has decided again in time
        return match appeals.iter().find(|a| a.level == Level::Appeal) {
            Some(a) if a.decision.is_none() && a.overdue => {
                revision_allowed(appeals).then_some((Level::Revision, Ground::Overdue))
            }
            _ => None,
        };
    };
    match appeals.iter().find(|a| a.level == Level::Appeal) {
        None => Some((Level::Appeal, ground)),
        Some(_) if revision_allowed(appeals) => Some((Level::Revision, ground)),
        Some(_) => None,
    }
}

/// A revision may be asked once: after the appeal was dismissed, or left undecided past its time.
fn revision_allowed(appeals: &[Appeal]) -> bool {
    let appeal = appeals.iter().find(|a| a.level == Level::Appeal);
    let revised = appeals.iter().any(|a| a.level == Level::Revision);
    !revised
        && appeal.is_some_and(|a| {
            a.decision == Some(Decision::Dismissed) || (a.decision.is_none() && a.overdue)
        })
}

/// A penalty as typed (rupees; empty: none): within the Act's ceiling.
pub fn parse_penalty(text: &str) -> Result<Option<Paise>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let paise = Paise::parse_rupees(text).ok_or("err_penalty_invalid")?;
    if paise.0 <= 0 || paise.0 > PENALTY_MAX.0 {
        return Err("err_penalty_invalid");
    }
    Ok(Some(paise))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(level: Level, overdue: bool) -> Appeal {
        Appeal {
            level,
            decision: None,
            overdue,
        }
    }

    #[test]
    fn a_rejection_or_a_missed_limit_may_be_appealed_once() {
        assert_eq!(
            may_ask(Status::Rejected, false, &[]),
            Some((Level::Appeal, Ground::Rejected))
        );
        assert_eq!(
            may_ask(Status::Submitted, true, &[]),
            Some((Level::Appeal, Ground::Overdue))
        );
        assert_eq!(
            may_ask(Status::Submitted, false, &[]),
            None,
            "still in time"
        );
        assert_eq!(
            may_ask(Status::AwaitingCitizen, true, &[]),
            None,
            "the clock stands still while the department waits on the applicant"
        );
        assert_eq!(may_ask(Status::Delivered, true, &[]), None);
        assert_eq!(
            may_ask(Status::Rejected, false, &[pending(Level::Appeal, false)]),
            None,
            "one appeal at a time, decided within its days"
        );
    }

    #[test]
    fn a_revision_follows_a_dismissed_or_forgotten_appeal_and_nothing_follows_it() {
        let dismissed = Appeal {
            level: Level::Appeal,
            decision: Some(Decision::Dismissed),
            overdue: false,
        };
        assert_eq!(
            may_ask(Status::Rejected, false, &[dismissed]),
            Some((Level::Revision, Ground::Rejected))
        );
        assert_eq!(
            may_ask(Status::Verified, false, &[pending(Level::Appeal, true)]),
            Some((Level::Revision, Ground::Overdue)),
            "an appeal left undecided past its 30 days"
        );
        let revised = [dismissed, pending(Level::Revision, true)];
        assert_eq!(may_ask(Status::Rejected, false, &revised), None);
        let allowed = Appeal {
            level: Level::Appeal,
            decision: Some(Decision::Allowed),
            overdue: false,
        };
        assert_eq!(
            may_ask(Status::Submitted, false, &[allowed]),
            None,
            "allowed, and the department is within its new time"
        );
    }

    #[test]
    fn a_penalty_is_in_rupees_within_the_act_s_ceiling() {
        assert_eq!(parse_penalty(""), Ok(None));
        assert_eq!(parse_penalty("1,250"), Ok(Some(Paise(125_000))));
        assert_eq!(parse_penalty("5000"), Ok(Some(Paise(500_000))));
        assert_eq!(parse_penalty("5001"), Err("err_penalty_invalid"));
        assert_eq!(parse_penalty("0"), Err("err_penalty_invalid"));
        assert_eq!(parse_penalty("ten"), Err("err_penalty_invalid"));
    }
}
