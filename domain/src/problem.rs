//! The one error policy. Every domain command that a person or another system drives answers
//! `Result<T, Problem>`, and each edge maps a `Problem` once:
//!
//! | problem | what it means | server functions (`app::request::answer`) | JSON API (`ApiError`) | Open311 |
//! | --- | --- | --- | --- | --- |
//! | `Invalid(fields)` | the person can fix it: each problem at its field, its code a translation key | `FormResult::Invalid`, 200 | 422 `invalid` with `fields` | 400 with the first field's message |
//! | `NotFound` | no such thing, or the caller may not know it exists | 404 | 404 `not_found` | 404 |
//! | `Forbidden` | the caller is known but may not do this | 403 | 403 `forbidden` | 403 |
//! | `Conflict(code)` | it cannot happen now: what the person saw has changed | `FormResult::Invalid` at the form (`form`) | 409 `conflict` | 409 |
//! | `Throttled(t)` | too many tries: come back after `t.retry_after_secs` | 429 with `Retry-After`, and `FormResult::Invalid` at the field, so the form says it in the person's language | 429 `throttled` with `Retry-After` | 429 |
//! | `Unexpected(e)` | not the person's doing (the database, a bug) | 500; logged with the request id, never shown | 500 `unexpected` | 400 "general service error" (the spec names no 5xx) |
//!
//! Rules (plain functions) return their own small error enums or `FieldError`s; commands turn
//! those into a `Problem`. Nothing below an edge knows about HTTP.

use serde::{Deserialize, Serialize};

/// A problem with one field of a form. `code` is a translation key (`err_…`), so the message
/// reaches the person in their language, at the field that caused it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> FieldError {
        FieldError {
            field: field.to_string(),
            code: code.to_string(),
        }
    }
}

/// Why a command did not do what was asked. See the module's table for how each edge shows it.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("the input has problems: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("throttled: {0:?}")]
    Throttled(Throttled),
    #[error("unexpected: {0}")]
    Unexpected(Box<dyn std::error::Error + Send + Sync>),
}

/// A refusal for too many tries: where to say it, in which words, and when to come back. A
/// refusal is immediate; nothing sleeps while a worker waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Throttled {
    pub field: &'static str,
    pub code: &'static str,
    pub retry_after_secs: u64,
}

impl Throttled {
    /// The problem it is as a field's message.
    pub fn field_error(&self) -> FieldError {
        FieldError::new(self.field, self.code)
    }
}

/// The most characters a note keeps: a step's words, a reason, an appeal's grounds.
pub const NOTE_MAX: usize = 2_000;

/// What is wrong with a note (the field `note`): missing where it must say something, or too long.
pub fn check_note(note: &str, required: bool) -> Option<FieldError> {
    let len = note.trim().chars().count();
    if required && len == 0 {
        Some(FieldError::new("note", "err_note_required"))
    } else if len > NOTE_MAX {
        Some(FieldError::new("note", "err_text_too_long"))
    } else {
        None
    }
}

impl Problem {
    /// One field's problem.
    pub fn field(field: &str, code: &str) -> Problem {
        Problem::Invalid(vec![FieldError::new(field, code)])
    }

    /// `Ok(())` when there are no problems, else `Invalid` with all of them.
    pub fn check(problems: Vec<FieldError>) -> Result<(), Problem> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Problem::Invalid(problems))
        }
    }

    /// Something that is not the person's doing.
    pub fn unexpected(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Problem {
        Problem::Unexpected(e.into())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for Problem {
    fn from(e: sqlx::Error) -> Problem {
        Problem::Unexpected(Box::new(e))
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for Problem {
    fn from(e: anyhow::Error) -> Problem {
        Problem::Unexpected(e.into())
    }
}

impl From<FieldError> for Problem {
    fn from(e: FieldError) -> Problem {
        Problem::Invalid(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_problems_pass_and_some_are_all_kept() {
        assert!(Problem::check(Vec::new()).is_ok());
        let two = vec![
            FieldError::new("name", "err_name_required"),
            FieldError::new("mobile", "err_mobile_invalid"),
        ];
        match Problem::check(two.clone()) {
            Err(Problem::Invalid(found)) => assert_eq!(found, two),
            other => panic!("{other:?}"),
        }
    }
}
