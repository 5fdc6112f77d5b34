//! What people are told about an application, and in which words (the person's own language).

use super::Status;
use i18n::{fill, t, Locale};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// To the applicant: it is in, with its number and the day it must be decided by.
    Filed { number: String, due: String },
    /// To the official it was routed to: a new application to decide by a day.
    Assigned { number: String, due: String },
    /// To the applicant: what the department did (asked for more, decided, delivered), with
    /// what it said.
    Updated {
        number: String,
        status: Status,
        note: String,
    },
    /// To the official: the applicant answered.
    Answered { number: String },
    /// To the officer: an application is due soon.
    DueSoon { number: String, due: String },
    /// To the appellate (or revision) officer: an appeal to decide by a day.
    Appealed { number: String, due: String },
    /// To the applicant: their appeal was decided.
    AppealDecided {
        number: String,
        decision: super::appeals::Decision,
        note: String,
    },
    /// To the holder: their certificate was revoked, and why.
    CertificateRevoked { number: String, note: String },
}

impl Notice {
    pub fn number(&self) -> &str {
        match self {
            Notice::Filed { number, .. }
            | Notice::Assigned { number, .. }
            | Notice::Updated { number, .. }
            | Notice::Answered { number }
            | Notice::DueSoon { number, .. }
            | Notice::Appealed { number, .. }
            | Notice::AppealDecided { number, .. }
            | Notice::CertificateRevoked { number, .. } => number,
        }
    }

    /// The page a notice opens: the application itself, for the applicant and the official.
    pub fn link(&self) -> String {
        format!("/applications/{}", self.number())
    }

    pub fn words(&self, l: Locale) -> String {
        match self {
            Notice::Filed { number, due } => fill(
                t::notice_application_filed(l),
                &[("number", number), ("date", due)],
            ),
            Notice::Assigned { number, due } => fill(
                t::notice_application_assigned(l),
                &[("number", number), ("date", due)],
            ),
            Notice::Updated {
                number,
                status,
                note,
            } => {
                let words = match status {
                    Status::AwaitingCitizen => t::notice_application_asked(l),
                    _ => t::notice_application_status(l),
                };
                fill(
                    words,
                    &[
                        ("number", number),
                        ("status", status.label(l)),
                        ("note", note),
                    ],
                )
                .trim()
                .to_string()
            }
            Notice::Answered { number } => {
                fill(t::notice_application_answered(l), &[("number", number)])
            }
            Notice::DueSoon { number, due } => fill(
                t::notice_application_due_soon(l),
                &[("number", number), ("date", due)],
            ),
            Notice::Appealed { number, due } => fill(
                t::notice_appeal_filed(l),
                &[("number", number), ("date", due)],
            ),
            Notice::AppealDecided {
                number,
                decision,
                note,
            } => fill(
                t::notice_appeal_decided(l),
                &[
                    ("number", number),
                    ("decision", decision.label(l)),
                    ("note", note),
                ],
            )
            .trim()
            .to_string(),
            Notice::CertificateRevoked { number, note } => fill(
                t::notice_certificate_revoked(l),
                &[("number", number), ("note", note)],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_name_the_application_in_the_person_s_language() {
        let filed = Notice::Filed {
            number: "AP-26-0000001-5".into(),
            due: "18-12-2026".into(),
        };
        for l in Locale::ALL {
            let words = filed.words(l);
            assert!(
                words.contains("AP-26-0000001-5") && words.contains("18-12-2026"),
                "{l:?}"
            );
            assert!(!words.contains('{'), "{words}");
        }
        assert_ne!(filed.words(Locale::En), filed.words(Locale::Hi));
        let asked = Notice::Updated {
            number: "AP-26-0000001-5".into(),
            status: Status::AwaitingCitizen,
            note: "Send the rent agreement".into(),
        };
        assert!(asked.words(Locale::En).contains("Send the rent agreement"));
        assert_eq!(asked.link(), "/applications/AP-26-0000001-5");
    }
}
