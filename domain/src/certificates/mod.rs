//! Certificates anyone can verify. An approved application issues one (a trade licence, a birth,
//! marriage or character certificate): a page, a PDF in the holder's language and English, and a
//! QR code holding a compact signed payload that verifies offline, in the shape of the EU digital
//! COVID certificates — a CBOR claim set (a CWT, RFC 8392) signed as COSE_Sign1 (RFC 9052) with
//! EdDSA/Ed25519, compressed with zlib and written in Base45 (RFC 9285) after the prefix `NC1:`.
//! The QR holds a link to `/verify#NC1:…`, so any phone camera opens the verification page.
//!
//! What a certificate says (`Claims`), its kinds and the verdicts compile for the browser too;
//! signing and reading codes (`code`), the keys (`keys`), the records (`store`), the PDF (`pdf`)
//! and the DigiLocker issuer API (`digilocker`) are the server's.

#[cfg(feature = "ssr")]
pub mod code;
#[cfg(feature = "ssr")]
pub mod digilocker;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod store;

use i18n::{t, Locale};
use serde::{Deserialize, Serialize};

/// The prefix of a code (as `HC1:` is the EU's).
pub const PREFIX: &str = "NC1:";

/// What a certificate certifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    TradeLicence,
    Birth,
    Marriage,
    Character,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::TradeLicence,
        Kind::Birth,
        Kind::Marriage,
        Kind::Character,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TradeLicence => "trade_licence",
            Kind::Birth => "birth",
            Kind::Marriage => "marriage",
            Kind::Character => "character",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The locker kind an issued certificate is kept as (and forms ask for).
    pub fn locker_kind(self) -> &'static str {
        match self {
            Kind::TradeLicence => "trade_licence",
            Kind::Birth => "birth_certificate",
            Kind::Marriage => "marriage_certificate",
            Kind::Character => "character_certificate",
        }
    }

    /// Its title, as the certificate and the verification page show it.
    pub fn title(self, l: Locale) -> &'static str {
        match self {
            Kind::TradeLicence => t::certificate_trade_licence(l),
            Kind::Birth => t::certificate_birth(l),
            Kind::Marriage => t::certificate_marriage(l),
            Kind::Character => t::certificate_character(l),
        }
    }
}

/// What a service's approval issues, as its form says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issues {
    pub kind: Kind,
    /// how long it is valid, in days from issue (none: for good, as a birth certificate is)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_days: Option<u16>,
}

/// The longest validity a form may give (ten years).
pub const VALID_DAYS_MAX: u16 = 3_660;

/// What a certificate says: the claims its code signs. Labels and values are English (or as the
/// applicant typed them), so the code stays small and reads the same wherever it is checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// the application's number, which names the certificate too (`cti`)
    pub number: String,
    pub kind: Kind,
    /// the department that issued it (`iss`)
    pub issuer: String,
    /// whom it was issued to
    pub holder: String,
    /// what it certifies, in the form's order: (label, value)
    pub facts: Vec<(String, String)>,
    /// seconds since 1970 (`iat`)
    pub issued_at: i64,
    /// seconds since 1970 (`exp`), for one valid for a time
    pub valid_until: Option<i64>,
}

/// What checking a code found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// signed by a key of ours, and neither revoked nor expired
    Valid { claims: Claims, key_id: String },
    /// signed by us, but withdrawn since
    Revoked {
        claims: Claims,
        key_id: String,
        /// RFC 3339
        revoked_at: String,
        reason: String,
    },
    /// signed by us, and past its end
    Expired { claims: Claims, key_id: String },
    /// a code, but not one any key of ours signed: altered, or forged
    Tampered,
    /// signed with a key we do not know (or no longer trust)
    UnknownKey { key_id: String },
    /// not a certificate's code at all
    NotACode,
}

impl Verdict {
    /// The verdict's name, as the API answers it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Valid { .. } => "valid",
            Verdict::Revoked { .. } => "revoked",
            Verdict::Expired { .. } => "expired",
            Verdict::Tampered => "tampered",
            Verdict::UnknownKey { .. } => "unknown_key",
            Verdict::NotACode => "not_a_code",
        }
    }

    /// What the verification page says of it.
    pub fn headline(&self, l: Locale) -> &'static str {
        match self {
            Verdict::Valid { .. } => t::verify_valid(l),
            Verdict::Revoked { .. } => t::verify_revoked(l),
            Verdict::Expired { .. } => t::verify_expired(l),
            Verdict::Tampered => t::verify_tampered(l),
            Verdict::UnknownKey { .. } => t::verify_unknown_key(l),
            Verdict::NotACode => t::verify_not_a_code(l),
        }
    }

    pub fn claims(&self) -> Option<&Claims> {
        match self {
            Verdict::Valid { claims, .. }
            | Verdict::Revoked { claims, .. }
            | Verdict::Expired { claims, .. } => Some(claims),
            _ => None,
        }
    }
}

/// The code inside what was scanned or pasted: the code itself (`NC1:…`), or the link the QR
/// holds (`https://…/verify#NC1:…`, its fragment percent-encoded or not). None: no code there.
pub fn code_in(text: &str) -> Option<String> {
    let text = text.trim();
    let fragment = match text.split_once('#') {
        Some((_, fragment)) => percent_decoded(fragment)?,
        None => text.to_string(),
    };
    let fragment = fragment.trim();
    // a camera may read the link in capitals, as QR's alphanumeric mode stores it
    let prefix = fragment.get(..PREFIX.len())?;
    prefix
        .eq_ignore_ascii_case(PREFIX)
        .then(|| format!("{PREFIX}{}", &fragment[PREFIX.len()..]))
}

/// The link a QR holds: Base45's space and `%` percent-encoded, so the link is one a URL parser
/// keeps as it is, and the code inside it is found again exactly.
pub fn link_for(base_url: &str, code: &str) -> String {
    let mut link = format!("{}/verify#", base_url.trim_end_matches('/'));
    for c in code.chars() {
        match c {
            ' ' => link.push_str("%20"),
            '%' => link.push_str("%25"),
            c => link.push(c),
        }
    }
    link
}

fn percent_decoded(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_found_in_the_link_the_qr_holds_and_in_itself() {
        let code =
            "NC1:6BF+70790T9WJWG.FKY*4GO0 O1CV2%O5 N2FBBRW1*70HS8WY04AC*WIFN0AHCD8KD97TK0F90K";
        let link = link_for("https://nagarik.example/", code);
        assert!(link.starts_with("https://nagarik.example/verify#NC1:"));
        assert!(!link.contains(' '));
        assert_eq!(code_in(&link).as_deref(), Some(code));
        assert_eq!(code_in(code).as_deref(), Some(code));
        // a camera that reads the link in capitals
        assert_eq!(
            code_in(&link.to_uppercase().replacen("NC1:", "nc1:", 1)).as_deref(),
            Some(code)
        );
        for not in [
            "",
            "hello",
            "https://x/verify",
            "https://x/verify#HC1:ABC",
            "NC1",
        ] {
            assert_eq!(code_in(not), None, "{not}");
        }
    }

    #[test]
    fn kinds_are_written_and_read_alike_and_kept_as_locker_kinds() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
            assert!(crate::locker::is_kind(kind.locker_kind()), "{kind:?}");
        }
        assert_eq!(Kind::parse("passport"), None);
    }
}
