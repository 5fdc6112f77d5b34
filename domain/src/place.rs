//! Where things are in the city: its wards. A ward number is parsed once, where it comes in
//! (a form, an SMS, another system's request), and travels as a `Ward` after that.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A ward of the city by its number. Whether the city has that ward is the database's to say
/// (the `wards` table); this says only that it is a ward number at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Ward(i32);

/// The highest ward number a city has (Indian municipal corporations have up to ~250).
pub const WARD_MAX: i32 = 999;

impl Ward {
    /// A ward number as people write it: "12", " 12 ", "Ward 12", "ward no. 12".
    pub fn parse(s: &str) -> Option<Ward> {
        let s = s.trim();
        let lower = s.to_ascii_lowercase();
        let digits = lower
            .strip_prefix("ward")
            .map(|r| {
                r.trim_start()
                    .trim_start_matches("no.")
                    .trim_start_matches("no")
                    .trim()
            })
            .unwrap_or(s);
        let n: i32 = digits.parse().ok()?;
        Ward::new(n)
    }

    pub fn new(n: i32) -> Option<Ward> {
        (1..=WARD_MAX).contains(&n).then_some(Ward(n))
    }

    pub fn number(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Ward {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wards_are_numbers_from_one() {
        assert_eq!(Ward::parse("12").map(Ward::number), Some(12));
        assert_eq!(Ward::parse(" 7 ").map(Ward::number), Some(7));
        assert_eq!(Ward::parse("Ward 33").map(Ward::number), Some(33));
        assert_eq!(Ward::parse("ward no. 4").map(Ward::number), Some(4));
        assert_eq!(Ward::parse("0"), None);
        assert_eq!(Ward::parse("-3"), None);
        assert_eq!(Ward::parse("1000"), None);
        assert_eq!(Ward::parse("12a"), None);
        assert_eq!(Ward::parse(""), None);
    }
}
