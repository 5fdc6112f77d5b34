//! Working days, as the Right to Public Services Act counts a service's time limit: every day but
//! Sundays, second Saturdays and the holidays the city keeps. Pure rules over calendar days, for
//! the server and the browser alike.

use super::form::{parse_date, Day, Words};
use crate::problem::FieldError;
use std::collections::BTreeSet;

/// The city's calendar: the holidays it keeps, on top of the weekly days off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    pub holidays: BTreeSet<Day>,
}

/// Days counted from 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub fn day_number((y, m, d): Day) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar day of a day number (Howard Hinnant's `civil_from_days`).
pub fn day_of(number: i64) -> Day {
    let z = number + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

/// 0 = Monday … 6 = Sunday.
pub fn weekday(day: Day) -> u8 {
    // 1970-01-01 was a Thursday
    ((day_number(day) + 3).rem_euclid(7)) as u8
}

impl Calendar {
    /// Whether offices work on `day`: not a Sunday, not a second Saturday, not a holiday.
    pub fn is_working(&self, day: Day) -> bool {
        let wd = weekday(day);
        let second_saturday = wd == 5 && (8..=14).contains(&day.2);
        wd != 6 && !second_saturday && !self.holidays.contains(&day)
    }

    /// The day the `n`th working day after `from` falls on (`from` itself is not counted: an
    /// application made on a holiday or late in the day starts the next working day). A time
    /// limit of `n` working days from `from` is due by the end of that day.
    pub fn add_working_days(&self, from: Day, n: u16) -> Day {
        let mut number = day_number(from);
        let mut left = n;
        while left > 0 {
            number += 1;
            if self.is_working(day_of(number)) {
                left -= 1;
            }
        }
        day_of(number)
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`):
    /// how much of a limit has gone, and how long the clock stood still while a person answered.
    pub fn working_days_between(&self, from: Day, to: Day) -> u32 {
        let (a, b) = (day_number(from), day_number(to));
        (a + 1..=b).filter(|n| self.is_working(day_of(*n))).count() as u32
    }
}

/// A holiday as an admin typed it: its day (YYYY-MM-DD, as a date input sends it) and its
/// names, English required. Every problem at its field.
pub fn parse_holiday(day: &str, name: &Words) -> Result<Day, Vec<FieldError>> {
    let mut problems = Vec::new();
    let parsed = parse_date(day.trim());
    if parsed.is_none() {
        let code = if day.trim().is_empty() {
            "err_holiday_day_required"
        } else {
            "err_answer_not_a_date"
        };
        problems.push(FieldError::new("day", code));
    }
    let en = name.en.trim();
    if en.is_empty() || en.chars().count() > 100 {
        problems.push(FieldError::new("name_en", "err_name_required"));
    }
    for (field, text) in [("name_or", &name.or), ("name_hi", &name.hi)] {
        if text.trim().chars().count() > 100 {
            problems.push(FieldError::new(field, "err_answer_too_long"));
        }
    }
    match parsed {
        Some(day) if problems.is_empty() => Ok(day),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holiday_needs_a_real_day_and_an_english_name_and_says_both_at_once() {
        let named = Words::en("Holi");
        assert_eq!(parse_holiday(" 2027-03-04 ", &named), Ok((2027, 3, 4)));
        let codes = |r: Result<Day, Vec<FieldError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(parse_holiday("", &Words::en(" "))),
            vec![
                ("day".to_string(), "err_holiday_day_required".to_string()),
                ("name_en".to_string(), "err_name_required".to_string())
            ]
        );
        assert_eq!(
            codes(parse_holiday("2027-02-30", &named)),
            vec![("day".to_string(), "err_answer_not_a_date".to_string())]
        );
    }

    fn city() -> Calendar {
        Calendar {
            // Gandhi Jayanti, Christmas
            holidays: [(2026, 10, 2), (2026, 12, 25)].into(),
        }
    }

    #[test]
    fn days_and_weekdays_are_the_real_calendar() {
        assert_eq!(day_number((1970, 1, 1)), 0);
        assert_eq!(day_of(day_number((2024, 2, 29))), (2024, 2, 29));
        assert_eq!(day_of(day_number((2026, 11, 30)) + 1), (2026, 12, 1));
        assert_eq!(day_of(day_number((2026, 12, 31)) + 1), (2027, 1, 1));
        // 2026-11-30 is a Monday, 2026-12-12 a (second) Saturday, 2026-12-13 a Sunday
        assert_eq!(weekday((2026, 11, 30)), 0);
        assert_eq!(weekday((2026, 12, 12)), 5);
        assert_eq!(weekday((2026, 12, 13)), 6);
        for n in -1_000..100_000 {
            assert_eq!(day_number(day_of(n)), n);
        }
    }

    #[test]
    fn sundays_second_saturdays_and_holidays_are_not_working_days() {
        let c = city();
        assert!(c.is_working((2026, 11, 30)));
        assert!(!c.is_working((2026, 12, 13)), "a Sunday");
        assert!(!c.is_working((2026, 12, 12)), "the second Saturday");
        assert!(c.is_working((2026, 12, 5)), "the first Saturday");
        assert!(c.is_working((2026, 12, 19)), "the third Saturday");
        assert!(!c.is_working((2026, 12, 25)), "a holiday the city keeps");
    }

    #[test]
    fn a_limit_of_working_days_skips_the_days_off() {
        let c = city();
        // Applied on Monday 30 November: seven working days are Tue 1 … Sat 5 (five), Mon 7,
        // Tue 8 (Sunday 6 is off)
        assert_eq!(c.add_working_days((2026, 11, 30), 7), (2026, 12, 8));
        // Fifteen: past the second Saturday (12th) and Sunday 13th
        assert_eq!(c.add_working_days((2026, 11, 30), 15), (2026, 12, 18));
        // Across Christmas (Friday 25th) and Sunday 27th
        assert_eq!(c.add_working_days((2026, 12, 23), 3), (2026, 12, 28));
        // applied on a Sunday, the count starts on Monday
        assert_eq!(c.add_working_days((2026, 12, 13), 1), (2026, 12, 14));
        assert_eq!(c.add_working_days((2026, 12, 13), 0), (2026, 12, 13));
    }

    #[test]
    fn working_days_between_count_what_has_gone() {
        let c = city();
        let from = (2026, 11, 30);
        let due = c.add_working_days(from, 15);
        assert_eq!(c.working_days_between(from, due), 15);
        assert_eq!(c.working_days_between(from, from), 0);
        assert_eq!(c.working_days_between(due, from), 0);
        // the second Saturday and the Sunday after it do not count
        assert_eq!(c.working_days_between((2026, 12, 11), (2026, 12, 14)), 1);
    }
}
