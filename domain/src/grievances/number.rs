//! The grievance number: "GR-26-0000123-4" — the year filed, a serial, and a Verhoeff check
//! digit, so a number read out on the phone or typed into an SMS with one digit wrong, or two
//! neighbouring digits swapped, is caught instead of finding someone else's grievance.

use crate::identity::citizen_id::{verhoeff_check_digit, verhoeff_valid};
use serde::{Deserialize, Serialize};
use std::fmt;

const SERIAL_DIGITS: usize = 7;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GrievanceNumber(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("not a grievance number")]
    Malformed,
    #[error("the check digit does not match: a digit is mistyped")]
    CheckDigit,
}

impl GrievanceNumber {
    /// The number of the `serial`-th grievance of year `year` (two digits are kept).
    pub fn new(year: i32, serial: u64) -> GrievanceNumber {
        let body = format!(
            "{:02}{:0width$}",
            year.rem_euclid(100),
            serial,
            width = SERIAL_DIGITS
        );
        let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
        let check = verhoeff_check_digit(&digits);
        GrievanceNumber(format!("GR-{}-{}-{}", &body[..2], &body[2..], check))
    }

    /// Accepts what people type: any case, with or without the dashes and spaces.
    pub fn parse(input: &str) -> Result<GrievanceNumber, NumberError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '/')
            .collect::<String>()
            .to_ascii_uppercase();
        let digits = compact.strip_prefix("GR").ok_or(NumberError::Malformed)?;
        if digits.len() < 2 + SERIAL_DIGITS + 1 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::Malformed);
        }
        let values: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        if !verhoeff_valid(&values) {
            return Err(NumberError::CheckDigit);
        }
        let n = digits.len();
        Ok(GrievanceNumber(format!(
            "GR-{}-{}-{}",
            &digits[..2],
            &digits[2..n - 1],
            &digits[n - 1..]
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GrievanceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back() {
        let n = GrievanceNumber::new(2026, 123);
        assert!(n.as_str().starts_with("GR-26-0000123-"));
        assert_eq!(GrievanceNumber::parse(n.as_str()), Ok(n.clone()));
        let typed = n.as_str().replace('-', " ").to_lowercase();
        assert_eq!(GrievanceNumber::parse(&typed), Ok(n));
        // serials past ten million simply grow longer
        let big = GrievanceNumber::new(2031, 12_345_678);
        assert_eq!(GrievanceNumber::parse(big.as_str()), Ok(big));
    }

    #[test]
    fn every_single_mistyped_digit_and_adjacent_swap_is_caught() {
        for serial in (1..2_000u64).map(|i| i * 4_999 % 9_999_999) {
            let n = GrievanceNumber::new(26, serial);
            let digits: Vec<u8> = n.as_str().bytes().filter(u8::is_ascii_digit).collect();
            for i in 0..digits.len() {
                for d in b'0'..=b'9' {
                    if d == digits[i] {
                        continue;
                    }
                    let mut wrong = digits.clone();
                    wrong[i] = d;
                    let typed = format!("GR{}", String::from_utf8(wrong).unwrap());
                    assert_eq!(GrievanceNumber::parse(&typed), Err(NumberError::CheckDigit));
                }
                if i + 1 < digits.len() && digits[i] != digits[i + 1] {
                    let mut swapped = digits.clone();
                    swapped.swap(i, i + 1);
                    let typed = format!("GR{}", String::from_utf8(swapped).unwrap());
                    assert_eq!(GrievanceNumber::parse(&typed), Err(NumberError::CheckDigit));
                }
            }
        }
    }

    #[test]
    fn other_things_are_not_numbers() {
        assert_eq!(GrievanceNumber::parse("hello"), Err(NumberError::Malformed));
        assert_eq!(
            GrievanceNumber::parse("GR-26-12-3"),
            Err(NumberError::Malformed)
        );
        assert_eq!(
            GrievanceNumber::parse("234123412346"),
            Err(NumberError::Malformed)
        );
    }
}
