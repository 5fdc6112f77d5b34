//! The document locker: a citizen's own papers (Aadhaar, PAN, proofs, photographs, certificates),
//! kept so they are attached to an application, not photocopied. The rules here compile for the
//! browser too: which kinds of document there are, what an upload must be (a PDF, JPEG or PNG by
//! its content, not its name; within the size and the quota), and the two numbers India's forms
//! ask for (`numbers`: Aadhaar with its Verhoeff check, PAN by its format), shown masked.
//!
//! Storage (`store`): each person's documents are sealed with a data key of their own, and that
//! key is kept wrapped (sealed) under the master key from configuration (`NAGARIK_DATA_KEY`), so
//! the database, its backups and its logs hold no document and no number in clear.

pub mod numbers;
#[cfg(feature = "ssr")]
pub mod store;

use crate::problem::FieldError;
use i18n::{t, Locale};
use serde::{Deserialize, Serialize};

/// The largest document (5 MiB: a scanned page as a PDF or a phone photo).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// What one person's locker holds at most.
pub const QUOTA_BYTES: i64 = 50 * 1024 * 1024;
/// The longest name a person gives a document.
pub const TITLE_MAX: usize = 120;

/// The kinds of document, as forms ask for them (`FieldKind::Document { document }`).
pub const KINDS: [&str; 15] = [
    "aadhaar",
    "pan",
    "address_proof",
    "photograph",
    "birth_certificate",
    "marriage_certificate",
    "trade_licence",
    "character_certificate",
    "hospital_discharge",
    "fssai_registration",
    "owner_consent",
    "marriage_evidence",
    "rent_agreement",
    "property_document",
    "other",
];

pub fn is_kind(kind: &str) -> bool {
    KINDS.contains(&kind)
}

/// A kind's name in a language (an unknown one as it is written).
pub fn kind_label(kind: &str, l: Locale) -> String {
    let label = match kind {
        "aadhaar" => t::doc_kind_aadhaar(l),
        "pan" => t::doc_kind_pan(l),
        "address_proof" => t::doc_kind_address_proof(l),
        "photograph" => t::doc_kind_photograph(l),
        "birth_certificate" => t::doc_kind_birth_certificate(l),
        "marriage_certificate" => t::doc_kind_marriage_certificate(l),
        "trade_licence" => t::doc_kind_trade_licence(l),
        "character_certificate" => t::doc_kind_character_certificate(l),
        "hospital_discharge" => t::doc_kind_hospital_discharge(l),
        "fssai_registration" => t::doc_kind_fssai_registration(l),
        "owner_consent" => t::doc_kind_owner_consent(l),
        "marriage_evidence" => t::doc_kind_marriage_evidence(l),
        "rent_agreement" => t::doc_kind_rent_agreement(l),
        "property_document" => t::doc_kind_property_document(l),
        "other" => t::doc_kind_other(l),
        other => return other.to_string(),
    };
    label.to_string()
}

/// What a document is, by its first bytes (what it says it is does not count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
}

impl MediaType {
    pub const ALL: [MediaType; 3] = [MediaType::Pdf, MediaType::Jpeg, MediaType::Png];

    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        if bytes.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(MediaType::Png)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    pub fn parse(s: &str) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
        }
    }
}

/// An upload that passed the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    pub kind: String,
    /// What the person calls it (empty: its kind's name).
    pub title: String,
    pub media: MediaType,
    /// An Aadhaar or PAN number given with a document of that kind, checked.
    pub number: Option<String>,
}

/// Checks an upload: its kind, its name, its content, and for Aadhaar and PAN the number (which
/// may be left out). Every problem at its field.
pub fn check_upload(
    kind: &str,
    title: &str,
    number: &str,
    bytes: &[u8],
) -> Result<Upload, Vec<FieldError>> {
    let mut problems = Vec::new();
    let kind = kind.trim();
    if !is_kind(kind) {
        problems.push(FieldError::new("kind", "err_document_kind"));
    }
    let title = title.trim();
    if title.chars().count() > TITLE_MAX {
        problems.push(FieldError::new("title", "err_text_too_long"));
    }
    let number = match (kind, number.trim()) {
        (_, "") => None,
        ("aadhaar", n) => numbers::parse_aadhaar(n)
            .map_err(|code| problems.push(FieldError::new("number", code)))
            .ok(),
        ("pan", n) => numbers::parse_pan(n)
            .map_err(|code| problems.push(FieldError::new("number", code)))
            .ok(),
        _ => None,
    };
    let media = if bytes.is_empty() {
        problems.push(FieldError::new("file", "err_document_missing"));
        None
    } else if bytes.len() > MAX_BYTES {
        problems.push(FieldError::new("file", "err_document_too_big"));
        None
    } else {
        let media = MediaType::sniff(bytes);
        if media.is_none() {
            problems.push(FieldError::new("file", "err_document_type"));
        }
        media
    };
    match media {
        Some(media) if problems.is_empty() => Ok(Upload {
            kind: kind.to_string(),
            title: title.to_string(),
            media,
            number,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    #[test]
    fn a_document_is_known_by_its_content_not_its_name() {
        assert_eq!(MediaType::sniff(PDF), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(PNG), Some(MediaType::Png));
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(MediaType::sniff(b"MZ\x90\x00 a program"), None);
        assert_eq!(MediaType::sniff(b"<html><script>"), None);
        let disguised = check_upload("rent_agreement", "agreement.pdf", "", b"MZ\x90\x00");
        assert_eq!(
            disguised,
            Err(vec![FieldError::new("file", "err_document_type")])
        );
    }

    #[test]
    fn an_upload_is_checked_at_each_field() {
        let ok = check_upload("rent_agreement", " Agreement with the owner ", "", PDF).unwrap();
        assert_eq!(
            (ok.title.as_str(), ok.media, ok.number),
            ("Agreement with the owner", MediaType::Pdf, None)
        );
        let big = vec![b'%'; MAX_BYTES + 1];
        assert_eq!(
            check_upload("other", "", "", &big).unwrap_err(),
            vec![FieldError::new("file", "err_document_too_big")]
        );
        let all = check_upload("passport", &"x".repeat(TITLE_MAX + 1), "", b"").unwrap_err();
        let fields: Vec<&str> = all.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["kind", "title", "file"]);
        // the number of an Aadhaar card is checked, and kept only for that kind
        let wrong = check_upload("aadhaar", "", "2345 6789 0123", PNG).unwrap_err();
        assert_eq!(
            wrong,
            vec![FieldError::new("number", "err_aadhaar_invalid")]
        );
        let pan = check_upload("pan", "", "abcpe1234f", PNG).unwrap();
        assert_eq!(pan.number.as_deref(), Some("ABCPE1234F"));
        assert_eq!(
            check_upload("photograph", "", "ABCPE1234F", PNG)
                .unwrap()
                .number,
            None
        );
    }

    #[test]
    fn every_kind_has_a_name_in_every_language() {
        for kind in KINDS {
            for l in Locale::ALL {
                assert!(!kind_label(kind, l).contains('_'), "{kind} {l:?}");
            }
        }
    }
}
