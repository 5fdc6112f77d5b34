//! A service's application form, as a department admin defines it, and the one set of rules that
//! checks a person's answers against it: on the server, and in the browser as they type (this
//! module compiles for both). A form is a list of fields in order; a field may be shown only when
//! an earlier answer calls for it, and what is hidden is neither asked nor kept. The fee may depend
//! on the answers (a trade licence's by trade and by area).

use crate::money::Paise;
use crate::problem::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Words in each of the three languages (English is required, the others fall back to it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub en: String,
    #[serde(default)]
    pub or: String,
    #[serde(default)]
    pub hi: String,
}

impl Words {
    pub fn en(text: &str) -> Words {
        Words {
            en: text.into(),
            ..Words::default()
        }
    }

    pub fn get(&self, locale: crate::Locale) -> &str {
        let text = match locale {
            crate::Locale::En => &self.en,
            crate::Locale::Or => &self.or,
            crate::Locale::Hi => &self.hi,
        };
        if text.trim().is_empty() {
            &self.en
        } else {
            text
        }
    }
}

/// What kind of answer a field takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    Text {
        max_chars: u16,
    },
    /// a whole number within bounds
    Number {
        min: i64,
        max: i64,
    },
    /// a date (YYYY-MM-DD), not after the day it is given (a birth, a marriage)
    PastDate,
    Choice {
        options: Vec<Choice>,
    },
    YesNo,
    /// a postal address, several lines
    Address,
    /// a document of this type from the person's locker
    Document {
        document: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub key: String,
    pub label: Words,
}

/// Shown only when the answer to an earlier choice or yes/no field is one of `any_of`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownWhen {
    pub field: String,
    pub any_of: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// the field's name in answers: lower case letters, digits and `_`
    pub key: String,
    pub label: Words,
    #[serde(default)]
    pub help: Words,
    #[serde(flatten)]
    pub kind: FieldKind,
    pub required: bool,
    #[serde(default)]
    pub shown_when: Option<ShownWhen>,
    /// whether the certificate the service issues states this answer
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_certificate: bool,
}

/// One part of a fee that depends on the answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum FeePart {
    /// an amount for the option chosen in a choice field (nothing for an option not listed)
    Choice {
        field: String,
        amounts: BTreeMap<String, Paise>,
    },
    /// so much per unit of a number field, past the first `free` units
    PerUnit {
        field: String,
        per_unit: Paise,
        free: i64,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub base: Paise,
    #[serde(default)]
    pub parts: Vec<FeePart>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub fields: Vec<Field>,
    pub fee: Fee,
    /// the time limit the Right to Public Services Act notifies, in working days
    pub working_days: u16,
    /// the certificate an approval issues, if the service issues one
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<crate::certificates::Issues>,
}

/// Answers as they were typed, by field key.
pub type Answers = BTreeMap<String, String>;

/// Answers that passed the form's rules: only the fields shown, each as typed but trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked(pub Answers);

const TEXT_LIMIT: u16 = 2_000;
const ADDRESS_LIMIT: usize = 500;

impl Form {
    /// Whether `field` is asked, given the answers so far: its condition holds (and the field it
    /// names is itself shown).
    pub fn shown(&self, field: &Field, answers: &Answers) -> bool {
        let Some(when) = &field.shown_when else {
            return true;
        };
        let Some(earlier) = self.fields.iter().find(|f| f.key == when.field) else {
            return false;
        };
        self.shown(earlier, answers)
            && answers
                .get(&when.field)
                .is_some_and(|a| when.any_of.iter().any(|o| o == a.trim()))
    }

    /// Checks a person's answers on the day `today` (in India): each problem at its field, or
    /// the answers to keep (what is hidden is dropped, so a changed mind leaves nothing behind).
    pub fn check(&self, answers: &Answers, today: Day) -> Result<Checked, Vec<FieldError>> {
        let mut kept = Answers::new();
        let mut problems = Vec::new();
        for field in &self.fields {
            if !self.shown(field, answers) {
                continue;
            }
            let answer = answers.get(&field.key).map(|a| a.trim()).unwrap_or("");
            if answer.is_empty() {
                if field.required {
                    problems.push(FieldError::new(&field.key, "err_answer_required"));
                }
                continue;
            }
            match check_answer(&field.kind, answer, today) {
                Ok(()) => {
                    kept.insert(field.key.clone(), answer.to_string());
                }
                Err(code) => problems.push(FieldError::new(&field.key, code)),
            }
        }
        if problems.is_empty() {
            Ok(Checked(kept))
        } else {
            Err(problems)
        }
    }

    /// The fee for checked answers.
    pub fn fee(&self, answers: &Checked) -> Paise {
        let mut total = self.fee.base.0;
        for part in &self.fee.parts {
            total += match part {
                FeePart::Choice { field, amounts } => answers
                    .0
                    .get(field)
                    .and_then(|a| amounts.get(a))
                    .map_or(0, |p| p.0),
                FeePart::PerUnit {
                    field,
                    per_unit,
                    free,
                } => {
                    let units = answers
                        .0
                        .get(field)
                        .and_then(|a| a.parse::<i64>().ok())
                        .unwrap_or(0);
                    (units - free).max(0).saturating_mul(per_unit.0)
                }
            };
        }
        Paise(total)
    }

    /// What is wrong with the form itself, as an admin made it: each problem names the field (by
    /// its place, `field-3`), the fee's part (`fee-2`) or the fee.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        if self.fields.is_empty() {
            problems.push(FieldError::new("fields", "err_form_empty"));
        }
        if self.working_days == 0 || self.working_days > 365 {
            problems.push(FieldError::new("working_days", "err_working_days_invalid"));
        }
        for (i, field) in self.fields.iter().enumerate() {
            let at = format!("field-{}", i + 1);
            let earlier = &self.fields[..i];
            if !is_key(&field.key) {
                problems.push(FieldError::new(&at, "err_field_key_invalid"));
            } else if earlier.iter().any(|f| f.key == field.key) {
                problems.push(FieldError::new(&at, "err_field_key_taken"));
            }
            if field.label.en.trim().is_empty() {
                problems.push(FieldError::new(&at, "err_field_label_required"));
            }
            if let Some(code) = kind_problem(&field.kind) {
                problems.push(FieldError::new(&at, code));
            }
            if let Some(when) = &field.shown_when {
                let named = earlier.iter().find(|f| f.key == when.field);
                let fits = named.is_some_and(|f| {
                    !when.any_of.is_empty()
                        && when.any_of.iter().all(|o| match &f.kind {
                            FieldKind::Choice { options } => options.iter().any(|c| &c.key == o),
                            FieldKind::YesNo => o == "yes" || o == "no",
                            _ => false,
                        })
                });
                if !fits {
                    problems.push(FieldError::new(&at, "err_field_condition_invalid"));
                }
            }
        }
        for (i, part) in self.fee.parts.iter().enumerate() {
            let fits = match part {
                FeePart::Choice { field, amounts } => {
                    self.fields.iter().any(|f| {
                        &f.key == field
                            && matches!(&f.kind, FieldKind::Choice { options }
                                if amounts.keys().all(|k| options.iter().any(|o| &o.key == k)))
                    }) && amounts.values().all(|p| p.0 >= 0)
                }
                FeePart::PerUnit {
                    field,
                    per_unit,
                    free,
                } => {
                    per_unit.0 >= 0
                        && *free >= 0
                        && self
                            .fields
                            .iter()
                            .any(|f| &f.key == field && matches!(f.kind, FieldKind::Number { .. }))
                }
            };
            if !fits {
                problems.push(FieldError::new(
                    &format!("fee-{}", i + 1),
                    "err_fee_rule_invalid",
                ));
            }
        }
        if self.fee.base.0 < 0 {
            problems.push(FieldError::new("fee", "err_fee_rule_invalid"));
        }
        problems
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn kind_problem(kind: &FieldKind) -> Option<&'static str> {
    match kind {
        FieldKind::Text { max_chars } if *max_chars == 0 || *max_chars > TEXT_LIMIT => {
            Some("err_field_length_invalid")
        }
        FieldKind::Number { min, max } if min > max => Some("err_field_range_invalid"),
        FieldKind::Choice { options }
            if options.len() < 2
                || options
                    .iter()
                    .any(|o| !is_key(&o.key) || o.label.en.trim().is_empty())
                || (1..options.len())
                    .any(|i| options[..i].iter().any(|o| o.key == options[i].key)) =>
        {
            Some("err_field_options_invalid")
        }
        FieldKind::Document { document } if !crate::locker::is_kind(document) => {
            Some("err_field_document_invalid")
        }
        _ => None,
    }
}

/// One answer against its field's kind (it is not empty).
fn check_answer(kind: &FieldKind, answer: &str, today: Day) -> Result<(), &'static str> {
    match kind {
        FieldKind::Text { max_chars } => (answer.chars().count() <= *max_chars as usize)
            .then_some(())
            .ok_or("err_answer_too_long"),
        FieldKind::Address => (answer.chars().count() <= ADDRESS_LIMIT)
            .then_some(())
            .ok_or("err_answer_too_long"),
        FieldKind::Number { min, max } => match answer.parse::<i64>() {
            Ok(n) if n >= *min && n <= *max => Ok(()),
            Ok(_) => Err("err_answer_out_of_range"),
            Err(_) => Err("err_answer_not_a_number"),
        },
        FieldKind::PastDate => match parse_date(answer) {
            Some(date) if date <= today => Ok(()),
            Some(_) => Err("err_answer_date_future"),
            None => Err("err_answer_not_a_date"),
        },
        FieldKind::Choice { options } => options
            .iter()
            .any(|o| o.key == answer)
            .then_some(())
            .ok_or("err_answer_choose"),
        FieldKind::YesNo => matches!(answer, "yes" | "no")
            .then_some(())
            .ok_or("err_answer_choose"),
        // a locker document's id; that it is the person's own, of this type, is the store's check
        FieldKind::Document { .. } => (answer.len() <= 64 && !answer.contains(char::is_whitespace))
            .then_some(())
            .ok_or("err_answer_document"),
    }
}

/// A calendar day: (year, month, day).
pub type Day = (i32, u8, u8);

/// A calendar date, if `text` is one (YYYY-MM-DD, as date inputs send).
pub fn parse_date(text: &str) -> Option<Day> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1900 && (1..=days).contains(&d)).then_some((y, m, d))
}

#[cfg(test)]
mod tests;
