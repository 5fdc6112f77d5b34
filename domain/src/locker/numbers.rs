//! The two numbers Indian forms ask for. Aadhaar: 12 digits, the first not 0 or 1, the last a
//! Verhoeff check digit (UIDAI's scheme), shown only as its last four ("XXXX XXXX 1234", as
//! UIDAI's masked Aadhaar). PAN: five letters, four digits, a letter (the fourth letter names the
//! holder's status), shown with its last four alone.

use crate::identity::citizen_id::verhoeff_valid;

/// An Aadhaar number as typed (spaces and dashes allowed): its 12 digits, or why not.
pub fn parse_aadhaar(input: &str) -> Result<String, &'static str> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let values: Vec<u8> = digits.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    let ok = values.len() == 12
        && values.iter().all(|d| *d <= 9)
        && values[0] >= 2
        && verhoeff_valid(&values);
    if ok {
        Ok(digits)
    } else {
        Err("err_aadhaar_invalid")
    }
}

/// "XXXX XXXX 1234"
pub fn mask_aadhaar(number: &str) -> String {
    let tail: String = number
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("XXXX XXXX {tail}")
}

/// Statuses the fourth letter of a PAN may name (person, company, firm, trust, …).
const PAN_HOLDERS: &str = "ABCFGHJLPT";

/// A PAN as typed (any case): the ten characters, or why not.
pub fn parse_pan(input: &str) -> Result<String, &'static str> {
    let pan = input.trim().to_ascii_uppercase();
    let b = pan.as_bytes();
    let ok = b.len() == 10
        && b[..5].iter().all(u8::is_ascii_uppercase)
        && b[5..9].iter().all(u8::is_ascii_digit)
        && b[9].is_ascii_uppercase()
        && PAN_HOLDERS.as_bytes().contains(&b[3]);
    if ok {
        Ok(pan)
    } else {
        Err("err_pan_invalid")
    }
}

/// "XXXXXX234F"
pub fn mask_pan(pan: &str) -> String {
    let tail: String = pan.chars().skip(6).collect();
    format!("XXXXXX{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::citizen_id::verhoeff_check_digit;

    fn valid_aadhaar(body: &str) -> String {
        let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
        format!("{body}{}", verhoeff_check_digit(&digits))
    }

    #[test]
    fn an_aadhaar_number_is_twelve_digits_with_its_check_digit() {
        let n = valid_aadhaar("23456789012");
        assert_eq!(parse_aadhaar(&n), Ok(n.clone()));
        let spaced = format!("{} {} {}", &n[..4], &n[4..8], &n[8..]);
        assert_eq!(parse_aadhaar(&spaced), Ok(n.clone()));
        // one digit wrong, two swapped, too short, starting with 1, letters
        let mut wrong = n.clone().into_bytes();
        wrong[5] = if wrong[5] == b'9' { b'0' } else { wrong[5] + 1 };
        assert!(parse_aadhaar(std::str::from_utf8(&wrong).unwrap()).is_err());
        let swapped = format!("{}{}{}{}", &n[..2], &n[3..4], &n[2..3], &n[4..]);
        if swapped != n {
            assert!(parse_aadhaar(&swapped).is_err());
        }
        assert!(parse_aadhaar(&n[..11]).is_err());
        assert!(parse_aadhaar(&valid_aadhaar("13456789012")).is_err());
        assert!(parse_aadhaar("2345 6789 01ab").is_err());
        assert_eq!(mask_aadhaar(&n), format!("XXXX XXXX {}", &n[8..]));
    }

    #[test]
    fn a_pan_is_five_letters_four_digits_and_a_letter() {
        assert_eq!(parse_pan(" abcpe1234f "), Ok("ABCPE1234F".into()));
        assert!(parse_pan("ABCXE1234F").is_err(), "X names no holder");
        assert!(parse_pan("ABCPE12345").is_err());
        assert!(parse_pan("ABCP1234F").is_err());
        assert_eq!(mask_pan("ABCPE1234F"), "XXXXXX234F");
    }
}
