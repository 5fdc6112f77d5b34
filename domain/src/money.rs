//! Money, in paise (i64): parsed once from what a person typed in rupees, shown in rupees with
//! Indian digit grouping. Fees today; payments, refunds and receipts tomorrow.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in paise (1/100 rupee). Never a float.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Paise(pub i64);

impl Paise {
    /// Rupees as a person types them: "1250", "1,250", "₹125.50", ".5"; empty is zero. None for
    /// anything else (letters, a third decimal, a sign, an amount too large to hold).
    pub fn parse_rupees(input: &str) -> Option<Paise> {
        let s = input.trim().replace(',', "");
        let s = s.strip_prefix('₹').unwrap_or(&s).trim();
        if s.is_empty() {
            return Some(Paise(0));
        }
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if frac.len() > 2
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let frac: i64 = format!("{frac:0<2}").parse().ok()?;
        whole.checked_mul(100)?.checked_add(frac).map(Paise)
    }
}

/// A whole number with Indian digit grouping: 6600 → "6,600", 1234567 → "12,34,567".
pub fn group_indian(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    if digits.len() <= 3 {
        return format!("{sign}{digits}");
    }
    let (head, last3) = digits.split_at(digits.len() - 3);
    let mut parts = Vec::new();
    let mut h = head;
    while h.len() > 2 {
        let (a, b) = h.split_at(h.len() - 2);
        parts.push(b.to_string());
        h = a;
    }
    if !h.is_empty() {
        parts.push(h.to_string());
    }
    parts.reverse();
    format!("{sign}{},{}", parts.join(","), last3)
}

/// In rupees with Indian digit grouping: 125000 paise → "₹1,250", 12550 → "₹125.50".
impl fmt::Display for Paise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grouped = group_indian(self.0 / 100);
        match self.0 % 100 {
            0 => write!(f, "₹{grouped}"),
            rest => write!(f, "₹{grouped}.{rest:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupees_use_indian_grouping() {
        assert_eq!(Paise(0).to_string(), "₹0");
        assert_eq!(Paise(5000).to_string(), "₹50");
        assert_eq!(Paise(12550).to_string(), "₹125.50");
        assert_eq!(Paise(125_000).to_string(), "₹1,250");
        assert_eq!(Paise(1_234_567_800).to_string(), "₹1,23,45,678");
    }

    #[test]
    fn counts_are_grouped_the_indian_way() {
        assert_eq!(group_indian(0), "0");
        assert_eq!(group_indian(6600), "6,600");
        assert_eq!(group_indian(1_234_567), "12,34,567");
    }

    #[test]
    fn typed_rupees_become_paise_or_nothing() {
        assert_eq!(Paise::parse_rupees(""), Some(Paise(0)));
        assert_eq!(Paise::parse_rupees("1250"), Some(Paise(125_000)));
        assert_eq!(Paise::parse_rupees(" ₹1,250.5 "), Some(Paise(125_050)));
        assert_eq!(Paise::parse_rupees(".05"), Some(Paise(5)));
        for bad in ["12.345", "-5", "ten", "1e3", "99999999999999999999"] {
            assert_eq!(Paise::parse_rupees(bad), None, "{bad}");
        }
        // what is shown reads back as the same amount
        let fee = Paise(1_234_567_850);
        assert_eq!(Paise::parse_rupees(&fee.to_string()), Some(fee));
    }
}
