//! The numbers people read out and type for what they filed: a prefix, the year filed, a serial
//! and a Verhoeff check digit ("GR-26-0000123-4" for a grievance, "AP-26-0000045-1" for an
//! application), so one digit mistyped or two neighbouring digits swapped are caught instead of
//! finding someone else's case.

use crate::identity::citizen_id::{verhoeff_check_digit, verhoeff_valid};

const SERIAL_DIGITS: usize = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("not a number of this kind")]
    Malformed,
    #[error("the check digit does not match: a digit is mistyped")]
    CheckDigit,
}

/// The number of the `serial`-th case of year `year` (two digits are kept).
pub fn make(prefix: &str, year: i32, serial: u64) -> String {
    let body = format!(
        "{:02}{:0width$}",
        year.rem_euclid(100),
        serial,
        width = SERIAL_DIGITS
    );
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    let check = verhoeff_check_digit(&digits);
    format!("{prefix}-{}-{}-{}", &body[..2], &body[2..], check)
}

/// Reads what people type: any case, with or without the dashes, slashes and spaces; answers
/// the number as it is written.
pub fn parse(prefix: &str, input: &str) -> Result<String, NumberError> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '/')
        .collect::<String>()
        .to_ascii_uppercase();
    let digits = compact.strip_prefix(prefix).ok_or(NumberError::Malformed)?;
    if digits.len() < 2 + SERIAL_DIGITS + 1
        || digits.len() > 2 + 12 + 1
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(NumberError::Malformed);
    }
    let values: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    if !verhoeff_valid(&values) {
        return Err(NumberError::CheckDigit);
    }
    let n = digits.len();
    Ok(format!(
        "{prefix}-{}-{}-{}",
        &digits[..2],
        &digits[2..n - 1],
        &digits[n - 1..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_in_any_spelling() {
        let n = make("AP", 2026, 45);
        assert!(n.starts_with("AP-26-0000045-"));
        assert_eq!(parse("AP", &n), Ok(n.clone()));
        assert_eq!(
            parse("AP", &n.replace('-', " ").to_lowercase()),
            Ok(n.clone())
        );
        assert_eq!(
            parse("GR", &n),
            Err(NumberError::Malformed),
            "another kind's prefix"
        );
        assert_eq!(parse("AP", "AP-26-12-3"), Err(NumberError::Malformed));
        assert_eq!(
            parse("AP", &format!("AP{}", "1".repeat(40))),
            Err(NumberError::Malformed)
        );
    }

    #[test]
    fn every_single_mistyped_digit_and_adjacent_swap_is_caught() {
        for serial in (1..2_000u64).map(|i| i * 4_999 % 9_999_999) {
            let n = make("AP", 26, serial);
            let digits: Vec<u8> = n.bytes().filter(u8::is_ascii_digit).collect();
            for i in 0..digits.len() {
                for d in b'0'..=b'9' {
                    if d == digits[i] {
                        continue;
                    }
                    let mut wrong = digits.clone();
                    wrong[i] = d;
                    let typed = format!("AP{}", String::from_utf8(wrong).unwrap());
                    assert_eq!(parse("AP", &typed), Err(NumberError::CheckDigit));
                }
                if i + 1 < digits.len() && digits[i] != digits[i + 1] {
                    let mut swapped = digits.clone();
                    swapped.swap(i, i + 1);
                    let typed = format!("AP{}", String::from_utf8(swapped).unwrap());
                    assert_eq!(parse("AP", &typed), Err(NumberError::CheckDigit));
                }
            }
        }
    }
}
