//! Bookings of a department's facilities (kalyan mandaps, auditoriums, parks): the rules of which
//! slots a day has, which days may be booked, how long a hold lasts, and what a cancellation gives
//! back; the queries in `store`. That two bookings never overlap is the database's to enforce
//! (an exclusion constraint), not these rules'.

use crate::money::Paise;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod store;

/// How long a slot is held while the person pays.
pub const HOLD_MINUTES: i64 = 10;

/// The bookings' numbers: "BK-26-0000001-7".
pub const NUMBER_PREFIX: &str = "BK";

/// One slot of a day, in minutes from midnight in India.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub from: u16,
    pub to: u16,
}

impl Slot {
    /// "09:00–14:00"
    pub fn label(self) -> String {
        format!(
            "{:02}:{:02}–{:02}:{:02}",
            self.from / 60,
            self.from % 60,
            self.to / 60,
            self.to % 60
        )
    }
}

/// A facility's slots as kept (`[[540, 840], …]`): each within the day, each ending after it
/// starts, in order and not overlapping. None for anything else.
pub fn parse_slots(pairs: &[(i64, i64)]) -> Option<Vec<Slot>> {
    let mut slots = Vec::new();
    let mut last_end = 0;
    for &(from, to) in pairs {
        if from < last_end || to <= from || to > 24 * 60 {
            return None;
        }
        slots.push(Slot {
            from: from as u16,
            to: to as u16,
        });
        last_end = to;
    }
    (!slots.is_empty()).then_some(slots)
}

/// Why a day cannot be booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unbookable {
    Past,
    TooFarAhead,
    Closed,
}

impl Unbookable {
    pub fn code(self) -> &'static str {
        match self {
            Unbookable::Past => "err_booking_past",
            Unbookable::TooFarAhead => "err_booking_too_far",
            Unbookable::Closed => "err_booking_closed",
        }
    }
}

/// Whether `day` (a day number: days since 1970-01-01) may be booked on `today`: from today (a
/// slot already begun is refused by its own start) to `ahead` days on, and not a closed day.
pub fn day_bookable(day: i64, today: i64, ahead: i64, closed: bool) -> Result<(), Unbookable> {
    if day < today {
        Err(Unbookable::Past)
    } else if day > today + ahead {
        Err(Unbookable::TooFarAhead)
    } else if closed {
        Err(Unbookable::Closed)
    } else {
        Ok(())
    }
}

/// The facility's rules for giving money back when a booking is cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelRules {
    pub full_refund_days: i64,
    pub half_refund_days: i64,
}

/// What a cancellation `days_ahead` of the booked day gives back of `fee` and `deposit`: the
/// deposit always; the fee in full, half (rounded down to the paisa) or not at all.
pub fn cancel_refund(rules: CancelRules, days_ahead: i64, fee: Paise, deposit: Paise) -> Paise {
    let fee_back = if days_ahead >= rules.full_refund_days {
        fee.0
    } else if days_ahead >= rules.half_refund_days {
        fee.0 / 2
    } else {
        0
    };
    Paise(fee_back + deposit.0)
}

/// Where a booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    Held,
    Confirmed,
    Cancelled,
    Expired,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Held => "held",
            State::Confirmed => "confirmed",
            State::Cancelled => "cancelled",
            State::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        match s {
            "held" => Some(State::Held),
            "confirmed" => Some(State::Confirmed),
            "cancelled" => Some(State::Cancelled),
            "expired" => Some(State::Expired),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_whole_ordered_and_apart() {
        assert_eq!(
            parse_slots(&[(540, 840), (1020, 1380)]),
            Some(vec![
                Slot { from: 540, to: 840 },
                Slot {
                    from: 1020,
                    to: 1380
                }
            ])
        );
        assert_eq!(parse_slots(&[(540, 840), (800, 900)]), None, "overlap");
        assert_eq!(parse_slots(&[(840, 540)]), None, "backwards");
        assert_eq!(parse_slots(&[(0, 1441)]), None, "past midnight");
        assert_eq!(parse_slots(&[]), None);
        assert_eq!(
            Slot {
                from: 540,
                to: 1380
            }
            .label(),
            "09:00–23:00"
        );
    }

    #[test]
    fn a_day_is_bookable_from_today_to_the_horizon_unless_closed() {
        assert_eq!(day_bookable(100, 100, 90, false), Ok(()));
        assert_eq!(day_bookable(190, 100, 90, false), Ok(()));
        assert_eq!(day_bookable(99, 100, 90, false), Err(Unbookable::Past));
        assert_eq!(
            day_bookable(191, 100, 90, false),
            Err(Unbookable::TooFarAhead)
        );
        assert_eq!(day_bookable(120, 100, 90, true), Err(Unbookable::Closed));
    }

    #[test]
    fn a_cancellation_gives_back_the_deposit_and_the_fee_by_the_rules() {
        let rules = CancelRules {
            full_refund_days: 7,
            half_refund_days: 2,
        };
        let (fee, deposit) = (Paise(1_500_001), Paise(500_000));
        assert_eq!(cancel_refund(rules, 10, fee, deposit), Paise(2_000_001));
        assert_eq!(cancel_refund(rules, 7, fee, deposit), Paise(2_000_001));
        assert_eq!(
            cancel_refund(rules, 6, fee, deposit),
            Paise(750_000 + 500_000)
        );
        assert_eq!(
            cancel_refund(rules, 2, fee, deposit),
            Paise(750_000 + 500_000)
        );
        assert_eq!(cancel_refund(rules, 1, fee, deposit), Paise(500_000));
        assert_eq!(cancel_refund(rules, 0, Paise(0), Paise(0)), Paise(0));
    }
}
