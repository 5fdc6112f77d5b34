//! The citizen id: twelve digits, the last a Verhoeff check digit (as Aadhaar uses), which
//! catches every single-digit error and every swap of two adjacent digits.

use serde::{Deserialize, Serialize};
use std::fmt;

const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// The Verhoeff check digit to append to `digits`.
pub fn verhoeff_check_digit(digits: &[u8]) -> u8 {
    let mut c = 0u8;
    for (i, &d) in digits.iter().rev().enumerate() {
        c = D[c as usize][P[(i + 1) % 8][d as usize] as usize];
    }
    INV[c as usize]
}

/// Whether `digits` (check digit last) pass the Verhoeff check.
pub fn verhoeff_valid(digits: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, &d) in digits.iter().rev().enumerate() {
        c = D[c as usize][P[i % 8][d as usize] as usize];
    }
    c == 0
}

pub const CITIZEN_ID_DIGITS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CitizenId(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CitizenIdError {
    #[error("a citizen id has 12 digits")]
    WrongLength,
    #[error("the check digit does not match: a digit is mistyped")]
    CheckDigit,
}

impl CitizenId {
    /// Accepts what a person types: spaces and dashes between the groups are ignored.
    pub fn parse(input: &str) -> Result<CitizenId, CitizenIdError> {
        let digits: Vec<u8> = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| {
                c.to_digit(10)
                    .map(|d| d as u8)
                    .ok_or(CitizenIdError::WrongLength)
            })
            .collect::<Result<_, _>>()?;
        if digits.len() != CITIZEN_ID_DIGITS {
            return Err(CitizenIdError::WrongLength);
        }
        if !verhoeff_valid(&digits) {
            return Err(CitizenIdError::CheckDigit);
        }
        Ok(CitizenId(
            digits.iter().map(|d| char::from(b'0' + d)).collect(),
        ))
    }

    /// Builds an id from eleven digits by appending their check digit. The first digit is never
    /// 0 or 1, so an id never reads like a mobile number with a lost digit.
    pub fn from_body(body: &[u8; 11]) -> CitizenId {
        let check = verhoeff_check_digit(body);
        let mut s: String = body.iter().map(|d| char::from(b'0' + d)).collect();
        s.push(char::from(b'0' + check));
        CitizenId(s)
    }

    /// The twelve digits without separators, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Shown in groups of four, like an Aadhaar number: "2345 6789 0124".
impl fmt::Display for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "{} {} {}", &s[0..4], &s[4..8], &s[8..12])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn known_verhoeff_values() {
        // The textbook example: 236 has check digit 3.
        assert_eq!(verhoeff_check_digit(&digits("236")), 3);
        assert!(verhoeff_valid(&digits("2363")));
        assert!(!verhoeff_valid(&digits("2364")));
    }

    #[test]
    fn catches_every_single_digit_error_and_adjacent_swap() {
        // Exhaustive over many bodies: every substitution and every adjacent transposition of a
        // valid id must fail the check.
        let mut seed = 0x2545F4914F6CDD1Du64;
        for _ in 0..2000 {
            let mut body = [0u8; 11];
            for d in body.iter_mut() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *d = (seed % 10) as u8;
            }
            body[0] = 2 + body[0] % 8;
            let id = CitizenId::from_body(&body);
            let good = digits(id.as_str());
            assert!(verhoeff_valid(&good));
            for pos in 0..good.len() {
                for wrong in 0..10u8 {
                    if wrong == good[pos] {
                        continue;
                    }
                    let mut bad = good.clone();
                    bad[pos] = wrong;
                    assert!(!verhoeff_valid(&bad), "substitution at {pos} not caught");
                }
                if pos + 1 < good.len() && good[pos] != good[pos + 1] {
                    let mut bad = good.clone();
                    bad.swap(pos, pos + 1);
                    assert!(!verhoeff_valid(&bad), "swap at {pos} not caught");
                }
            }
        }
    }

    #[test]
    fn parse_accepts_groups_and_rejects_typos() {
        let id = CitizenId::from_body(&[2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2]);
        let shown = id.to_string();
        assert_eq!(shown.len(), 14);
        assert_eq!(CitizenId::parse(&shown), Ok(id.clone()));
        assert_eq!(CitizenId::parse(&shown.replace(' ', "-")), Ok(id.clone()));
        let mut typo: Vec<char> = id.as_str().chars().collect();
        typo[3] = if typo[3] == '9' { '8' } else { '9' };
        let typo: String = typo.into_iter().collect();
        assert_eq!(CitizenId::parse(&typo), Err(CitizenIdError::CheckDigit));
        assert_eq!(CitizenId::parse("12345"), Err(CitizenIdError::WrongLength));
        assert_eq!(
            CitizenId::parse("abcd efgh ijkl"),
            Err(CitizenIdError::WrongLength)
        );
    }
}
