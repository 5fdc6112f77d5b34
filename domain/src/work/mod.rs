//! The officials' work queue: items of every kind that wait on an official (grievances today;
//! applications to decide and bookings to approve as those capabilities land), in one list
//! ordered by priority and deadline, paged, counted and filtered.
//!
//! A capability joins the queue in three places: a `Kind` variant (its name, its link, the
//! label of its states), a `UNION ALL` arm in the `work_items` view (a migration), and a branch
//! in `store::reassign` if its items can be handed to another official.
//!
//! Work is routed to posts (`posts`): a role in a department with a jurisdiction that a person
//! holds. When the holder changes, the post's open work moves to the successor.

use crate::applications::appeals::State as AppealState;
use crate::applications::Status as ApplicationStatus;
use crate::grievances::me_too::Priority;
use crate::grievances::Status;
use crate::Locale;
use serde::{Deserialize, Serialize};

pub mod posts;
#[cfg(feature = "ssr")]
pub mod store;

/// Items a page of the queue holds.
pub const QUEUE_PAGE: i64 = 50;
/// The most items one reassignment takes (two pages of the queue).
pub const REASSIGN_MAX: usize = 100;

/// What kind of thing waits on an official.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Grievance,
    Application,
    /// an appeal (or revision) of an application, for its officer to decide
    Appeal,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Grievance, Kind::Application, Kind::Appeal];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Grievance => "grievance",
            Kind::Application => "application",
            Kind::Appeal => "appeal",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Where an official works the item.
    pub fn link(self, reference: &str) -> String {
        match self {
            Kind::Grievance => format!("/grievances/{reference}"),
            Kind::Application | Kind::Appeal => format!("/applications/{reference}"),
        }
    }
}

/// An item's state, read as its own kind's state: a value the code does not know is an error
/// when it is read, never shown as some other state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Grievance(Status),
    Application(ApplicationStatus),
    Appeal(AppealState),
}

impl State {
    pub fn parse(kind: Kind, state: &str) -> Option<State> {
        match kind {
            Kind::Grievance => Status::parse(state).map(State::Grievance),
            Kind::Application => ApplicationStatus::parse(state).map(State::Application),
            Kind::Appeal => AppealState::parse(state).map(State::Appeal),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Grievance(s) => s.as_str(),
            State::Application(s) => s.as_str(),
            State::Appeal(s) => s.as_str(),
        }
    }

    pub fn label(self, l: Locale) -> &'static str {
        match self {
            State::Grievance(s) => s.label(l),
            State::Application(s) => s.label(l),
            State::Appeal(s) => s.label(l),
        }
    }

    pub fn is_open(self) -> bool {
        match self {
            State::Grievance(s) => s.is_open(),
            State::Application(s) => s.is_open(),
            State::Appeal(s) => s.is_open(),
        }
    }

    /// The state as the queue's address names it: a grievance's by its stored name (the
    /// addresses people kept before other kinds joined), another kind's as `kind:state`.
    pub fn key(self) -> String {
        match self {
            State::Grievance(s) => s.as_str().to_string(),
            State::Application(s) => format!("application:{}", s.as_str()),
            State::Appeal(s) => format!("appeal:{}", s.as_str()),
        }
    }

    /// A state from its `key`.
    pub fn parse_key(key: &str) -> Option<State> {
        match key.trim().split_once(':') {
            Some((kind, state)) => State::parse(Kind::parse(kind)?, state),
            None => State::parse(Kind::Grievance, key.trim()),
        }
    }

    /// The state's name in the queue's filter, which lists every kind's: another kind's states
    /// say their kind.
    pub fn filter_label(self, l: Locale) -> String {
        match self {
            State::Grievance(s) => s.label(l).to_string(),
            State::Application(s) => {
                format!("{} · {}", i18n::t::work_kind_application(l), s.label(l))
            }
            State::Appeal(s) => format!("{} · {}", i18n::t::work_kind_appeal(l), s.label(l)),
        }
    }

    /// The kind of item in this state.
    pub fn kind(self) -> Kind {
        match self {
            State::Grievance(_) => Kind::Grievance,
            State::Application(_) => Kind::Application,
            State::Appeal(_) => Kind::Appeal,
        }
    }

    /// Every state the queue can be filtered by, kind by kind.
    pub fn all() -> Vec<State> {
        Status::ALL
            .into_iter()
            .map(State::Grievance)
            .chain(ApplicationStatus::ALL.into_iter().map(State::Application))
            .chain(AppealState::ALL.into_iter().map(State::Appeal))
            .collect()
    }
}

impl Priority {
    /// The priority from the rank the `work_items` view gives (0, 1, 2).
    pub fn from_rank(rank: i32) -> Priority {
        match rank {
            i32::MIN..=0 => Priority::Normal,
            1 => Priority::High,
            _ => Priority::Urgent,
        }
    }
}

/// A reference to one item: its kind and the number people read (`grievance:GR2026…`), as the
/// queue's checkboxes carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRef {
    pub kind: Kind,
    pub reference: String,
}

impl ItemRef {
    pub fn parse(s: &str) -> Option<ItemRef> {
        let (kind, reference) = s.trim().split_once(':')?;
        let kind = Kind::parse(kind)?;
        let reference = reference.trim();
        let ok = (1..=40).contains(&reference.len())
            && reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        ok.then(|| ItemRef {
            kind,
            reference: reference.to_string(),
        })
    }
}

impl std::fmt::Display for ItemRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.reference)
    }
}

/// Which items a page shows (from, to, 1-based) and the pages before and after it, if any.
pub fn pager(total: i64, page: i64, per_page: i64) -> (i64, i64, Option<i64>, Option<i64>) {
    let to = (page * per_page).min(total);
    let previous = (page > 1).then_some(page - 1);
    let next = (to < total).then_some(page + 1);
    ((page - 1) * per_page + 1, to, previous, next)
}

/// The last page of a queue of `total` items (page 1 when it is empty).
pub fn last_page(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page).max(1)
}

/// A page number as the address gives it: from 1, within reason; anything else is page 1.
pub fn parse_page(s: Option<&str>) -> i64 {
    s.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_count_from_one_and_stop_at_the_end() {
        assert_eq!(pager(6600, 1, 50), (1, 50, None, Some(2)));
        assert_eq!(pager(6600, 2, 50), (51, 100, Some(1), Some(3)));
        assert_eq!(pager(6600, 132, 50), (6551, 6600, Some(131), None));
        assert_eq!(pager(30, 1, 50), (1, 30, None, None));
        assert_eq!(pager(0, 1, 50).3, None);
        assert_eq!(last_page(6600, 50), 132);
        assert_eq!(last_page(6601, 50), 133);
        assert_eq!(last_page(0, 50), 1);
        assert_eq!(parse_page(Some(" 3 ")), 3);
        assert_eq!(parse_page(Some("0")), 1);
        assert_eq!(parse_page(Some("-2")), 1);
        assert_eq!(parse_page(Some("x")), 1);
        assert_eq!(parse_page(None), 1);
    }

    #[test]
    fn an_item_is_named_by_its_kind_and_number() {
        let r = ItemRef::parse("grievance:GR2026000017").unwrap();
        assert_eq!(r.kind, Kind::Grievance);
        assert_eq!(r.reference, "GR2026000017");
        assert_eq!(r.to_string(), "grievance:GR2026000017");
        assert_eq!(ItemRef::parse("GR2026000017"), None, "no kind");
        assert_eq!(ItemRef::parse("parcel:GR1"), None, "unknown kind");
        assert_eq!(ItemRef::parse("grievance:"), None);
        assert_eq!(ItemRef::parse("grievance:GR 1"), None);
        assert_eq!(Kind::Grievance.link("GR1"), "/grievances/GR1");
    }

    #[test]
    fn a_state_s_key_names_its_kind_unless_it_is_a_grievance_s() {
        for s in State::all() {
            assert_eq!(State::parse_key(&s.key()), Some(s));
        }
        assert_eq!(
            State::parse_key("submitted"),
            Some(State::Grievance(Status::Submitted))
        );
        assert_eq!(
            State::parse_key("application:submitted"),
            Some(State::Application(ApplicationStatus::Submitted))
        );
        assert_eq!(
            State::parse_key("approved"),
            None,
            "not a grievance's state"
        );
        assert_eq!(State::parse_key("parcel:submitted"), None);
        let keys: Vec<String> = State::all().into_iter().map(State::key).collect();
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(keys.len(), unique.len(), "each state has a key of its own");
    }

    #[test]
    fn states_are_read_as_their_kind_and_unknown_ones_refused() {
        let s = State::parse(Kind::Grievance, "in_progress").unwrap();
        assert!(s.is_open());
        assert_eq!(s.as_str(), "in_progress");
        assert_eq!(State::parse(Kind::Grievance, "approved"), None);
        assert!(!State::parse(Kind::Grievance, "closed_fixed")
            .unwrap()
            .is_open());
    }

    #[test]
    fn ranks_read_back_as_the_priorities_they_stand_for() {
        // That the work_items view gives these ranks by Priority::of's thresholds is checked
        // against Postgres (integration test `items_say_their_kind_and_rank_by_the_me_too_rule`).
        for count in 0..15 {
            let rank = match Priority::of(count) {
                Priority::Normal => 0,
                Priority::High => 1,
                Priority::Urgent => 2,
            };
            assert_eq!(Priority::from_rank(rank), Priority::of(count));
        }
    }
}
