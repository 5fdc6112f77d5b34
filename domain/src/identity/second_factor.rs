//! The second factor's rules: time-based codes (TOTP, RFC 6238: HMAC-SHA1, six digits, 30-second
//! steps, one step either side for a phone's clock), one-time recovery codes, who must have
//! one, and the `otpauth://` address and QR code an authenticator app scans.
//!
//! The queries (set-up, the sign-in challenge, each step accepted once) are in
//! `store::second_factor`.

use super::Role;
use rand::Rng;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, TOTP};

/// Seconds per code.
pub const STEP_SECONDS: u64 = 30;
/// Bytes of secret: 160 bits, as RFC 4226 recommends for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at set-up (and when renewed).
pub const RECOVERY_CODES: usize = 10;
/// Wrong codes one sign-in challenge takes before it ends.
pub const CHALLENGE_TRIES: i16 = 5;
/// Minutes a password that was right waits for its second step.
pub const CHALLENGE_MINUTES: i64 = 10;
/// What an authenticator app shows as the account's issuer.
pub const ISSUER: &str = "Nagarik";

/// Officials and admins must pass a second step at sign-in; citizens may choose to.
pub fn required(role: Role) -> bool {
    role != Role::Citizen
}

/// A code as typed at the second step: six digits from the app, or a recovery code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Code {
    Totp(String),
    Recovery(String),
}

/// The letters recovery codes are made of: no 0/o, 1/l/i, so they read back unambiguously.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

impl Code {
    /// Spaces and dashes are ignored and letters read in either case; six digits are an app's
    /// code, ten letters and digits of the recovery alphabet a recovery code.
    pub fn parse(typed: &str) -> Result<Code, &'static str> {
        let s: String = typed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
            .flat_map(char::to_lowercase)
            .collect();
        if s.is_empty() {
            return Err("err_second_factor_required");
        }
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Code::Totp(s));
        }
        if s.len() == 10 && s.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
            return Ok(Code::Recovery(s));
        }
        Err("err_second_factor_format")
    }
}

/// A fresh random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill(&mut secret[..]);
    secret
}

/// The secret as an authenticator app's "enter a key" screen takes it: Base32 in groups of four.
pub fn secret_text(secret: &[u8]) -> String {
    let b32 = totp_rs::Secret::Raw(secret.to_vec())
        .to_encoded()
        .to_string();
    b32.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A secret typed or pasted as Base32 (spaces ignored), as the demo's published one is.
pub fn secret_from_text(text: &str) -> Option<Vec<u8>> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    totp_rs::Secret::Encoded(compact).to_bytes().ok()
}

fn totp(secret: &[u8], account: &str) -> Option<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        secret.to_vec(),
        Some(ISSUER.to_string()),
        // The account name may not hold a colon (it separates the issuer in the label).
        account.replace(':', " "),
    )
    .ok()
}

/// The code for the step that holds `unix_seconds`.
pub fn code_at(secret: &[u8], unix_seconds: u64) -> String {
    totp(secret, "")
        .map(|t| t.generate(unix_seconds))
        .unwrap_or_default()
}

/// The step of the window around `now` (one step either side) whose code this is, if any.
/// The caller accepts each step once.
pub fn matching_step(secret: &[u8], code: &str, unix_seconds: u64) -> Option<u64> {
    let t = totp(secret, "")?;
    let now = unix_seconds / STEP_SECONDS;
    [now, now.saturating_sub(1), now + 1]
        .into_iter()
        .find(|step| constant_time_eq(t.generate(step * STEP_SECONDS).as_bytes(), code.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://totp/…` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &[u8], account: &str) -> String {
    totp(secret, account)
        .map(|t| t.get_url())
        .unwrap_or_default()
}

/// The address as a QR code: an SVG image in a `data:` address, for an `<img>` with its own
/// text alternative (no script, no request).
pub fn qr_data_url(url: &str) -> String {
    use base64::Engine;
    use qrcode::render::svg;
    let Ok(code) = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M) else {
        return String::new();
    };
    let image = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(image)
    )
}

/// New recovery codes, shown once as `xxxxx-xxxxx`.
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            let letters: String = (0..10)
                .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &letters[..5], &letters[5..])
        })
        .collect()
}

/// How a recovery code is kept: SHA-256 of its normalised form (it is random, so no salt or
/// slow hash is needed).
pub fn recovery_hash(code: &str) -> Vec<u8> {
    let normal = match Code::parse(code) {
        Ok(Code::Recovery(s)) => s,
        _ => code.to_string(),
    };
    Sha256::digest(normal.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890"; six digits are the last six
    // of the eight the RFC lists.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_test_vectors() {
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(RFC_SECRET, time), &eight[2..], "at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_names_its_step() {
        let now = 1_111_111_111;
        let step = now / STEP_SECONDS;
        let code = code_at(RFC_SECRET, now);
        assert_eq!(matching_step(RFC_SECRET, &code, now), Some(step));
        assert_eq!(matching_step(RFC_SECRET, &code, now + 30), Some(step));
        assert_eq!(matching_step(RFC_SECRET, &code, now - 30), Some(step));
        assert_eq!(matching_step(RFC_SECRET, &code, now + 90), None);
        assert_eq!(matching_step(RFC_SECRET, "000000", now), None);
    }

    #[test]
    fn what_is_typed_reads_as_an_app_code_or_a_recovery_code() {
        assert_eq!(Code::parse(" 123 456 "), Ok(Code::Totp("123456".into())));
        assert_eq!(
            Code::parse("ABCDE-FGHJK"),
            Ok(Code::Recovery("abcdefghjk".into()))
        );
        assert_eq!(Code::parse(""), Err("err_second_factor_required"));
        assert_eq!(Code::parse("12345"), Err("err_second_factor_format"));
        // 0, 1, i, l and o are not in the recovery alphabet.
        assert_eq!(Code::parse("abcde-fghi0"), Err("err_second_factor_format"));
    }

    #[test]
    fn recovery_codes_are_distinct_and_read_back_as_recovery_codes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        for c in &codes {
            assert!(matches!(Code::parse(c), Ok(Code::Recovery(_))), "{c}");
            assert_eq!(recovery_hash(c), recovery_hash(&c.to_uppercase()));
        }
    }

    #[test]
    fn the_secret_round_trips_through_its_text_and_the_app_address() {
        let secret = new_secret();
        let text = secret_text(&secret);
        assert_eq!(secret_from_text(&text), Some(secret.clone()));
        let url = otpauth_url(&secret, "Anita Mohanty: BMC");
        assert!(url.starts_with("otpauth://totp/Nagarik:"), "{url}");
        assert!(url.contains(&text.replace(' ', "")), "{url}");
        assert!(qr_data_url(&url).starts_with("data:image/svg+xml;base64,"));
    }

    #[test]
    fn staff_must_have_a_second_factor_and_citizens_may() {
        assert!(!required(Role::Citizen));
        assert!(required(Role::Official));
        assert!(required(Role::DepartmentAdmin));
        assert!(required(Role::CityAdmin));
    }
}
