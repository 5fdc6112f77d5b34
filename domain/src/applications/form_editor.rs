//! A service's form as a department admin edits it in the app: one row of plain inputs per
//! question (its options one per line, its condition as "field = a, b"), and the fee's rules one
//! per line. `rows_of` writes a form out that way; `form_of` reads it back, every problem named at
//! the question (`field-N`, N as the page numbers them), the fee (`fee`, `fee-N`) or the time
//! limit, by the same `Form::problems` the store checks.

use super::form::{Choice, Fee, FeePart, Field, FieldKind, Form, ShownWhen, Words};
use crate::certificates::{Issues, Kind, VALID_DAYS_MAX};
use crate::money::Paise;
use crate::problem::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One question, every input as text (as a form posts it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldRow {
    /// Where it goes (1, 2, …): questions are put in this order.
    pub position: String,
    pub key: String,
    pub label_en: String,
    pub label_or: String,
    pub label_hi: String,
    pub help_en: String,
    pub help_or: String,
    pub help_hi: String,
    /// `text`, `number`, `past_date`, `choice`, `yes_no`, `address` or `document`
    pub kind: String,
    pub max_chars: String,
    pub min: String,
    pub max: String,
    /// one option a line: `key | English | ଓଡ଼ିଆ | हिन्दी`
    pub options: String,
    /// a locker kind, for a document
    pub document: String,
    /// a checkbox: present when ticked
    pub required: Option<String>,
    /// `field = a, b`: shown only when that earlier answer is one of these
    pub shown_when: String,
    /// a checkbox: the certificate states this answer
    pub on_certificate: Option<String>,
    /// a checkbox: take this question out
    pub remove: Option<String>,
}

/// The fee and the time limit, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeeRows {
    /// rupees
    pub base: String,
    /// one rule a line: `trade: eatery = 1000, hardware = 500` (by a choice) or
    /// `area_sq_m: 10 per unit over 20` (by a number)
    pub parts: String,
    pub working_days: String,
    /// the certificate an approval issues (`certificates::Kind`), blank for none
    pub certificate: String,
    /// how many days it is valid, blank for good
    pub valid_days: String,
}

pub const KINDS: [&str; 7] = [
    "text",
    "number",
    "past_date",
    "choice",
    "yes_no",
    "address",
    "document",
];

fn rupees(p: Paise) -> String {
    if p.0 % 100 == 0 {
        (p.0 / 100).to_string()
    } else {
        format!("{}.{:02}", p.0 / 100, p.0 % 100)
    }
}

/// The form as the editor shows it.
pub fn rows_of(form: &Form) -> (Vec<FieldRow>, FeeRows) {
    let rows = form
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut row = FieldRow {
                position: (i + 1).to_string(),
                key: f.key.clone(),
                label_en: f.label.en.clone(),
                label_or: f.label.or.clone(),
                label_hi: f.label.hi.clone(),
                help_en: f.help.en.clone(),
                help_or: f.help.or.clone(),
                help_hi: f.help.hi.clone(),
                required: f.required.then(|| "on".into()),
                on_certificate: f.on_certificate.then(|| "on".into()),
                shown_when: f
                    .shown_when
                    .as_ref()
                    .map(|w| format!("{} = {}", w.field, w.any_of.join(", ")))
                    .unwrap_or_default(),
                ..FieldRow::default()
            };
            row.kind = match &f.kind {
                FieldKind::Text { max_chars } => {
                    row.max_chars = max_chars.to_string();
                    "text"
                }
                FieldKind::Number { min, max } => {
                    row.min = min.to_string();
                    row.max = max.to_string();
                    "number"
                }
                FieldKind::PastDate => "past_date",
                FieldKind::Choice { options } => {
                    row.options = options
                        .iter()
                        .map(|o| {
                            format!(
                                "{} | {} | {} | {}",
                                o.key, o.label.en, o.label.or, o.label.hi
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    "choice"
                }
                FieldKind::YesNo => "yes_no",
                FieldKind::Address => "address",
                FieldKind::Document { document } => {
                    row.document = document.clone();
                    "document"
                }
            }
            .to_string();
            row
        })
        .collect();
    let parts = form
        .fee
        .parts
        .iter()
        .map(|p| match p {
            FeePart::Choice { field, amounts } => format!(
                "{field}: {}",
                amounts
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", rupees(*v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            FeePart::PerUnit {
                field,
                per_unit,
                free,
            } => format!("{field}: {} per unit over {free}", rupees(*per_unit)),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let fee = FeeRows {
        base: rupees(form.fee.base),
        parts,
        working_days: form.working_days.to_string(),
        certificate: form
            .certificate
            .as_ref()
            .map(|c| c.kind.as_str().to_string())
            .unwrap_or_default(),
        valid_days: form
            .certificate
            .as_ref()
            .and_then(|c| c.valid_days)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    };
    (rows, fee)
}

fn words(en: &str, or: &str, hi: &str) -> Words {
    Words {
        en: en.trim().into(),
        or: or.trim().into(),
        hi: hi.trim().into(),
    }
}

/// One question read back, or the code of what is wrong with it.
fn field_of(row: &FieldRow) -> Result<Field, &'static str> {
    let number = |s: &str, default: i64| -> Result<i64, &'static str> {
        let s = s.trim();
        if s.is_empty() {
            Ok(default)
        } else {
            s.parse().map_err(|_| "err_field_range_invalid")
        }
    };
    let kind = match row.kind.trim() {
        "text" => FieldKind::Text {
            max_chars: u16::try_from(number(&row.max_chars, 200)?)
                .map_err(|_| "err_field_length_invalid")?,
        },
        "number" => FieldKind::Number {
            min: number(&row.min, 0)?,
            max: number(&row.max, 1_000_000)?,
        },
        "past_date" => FieldKind::PastDate,
        "choice" => FieldKind::Choice {
            options: row
                .options
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let mut parts = l.split('|').map(str::trim);
                    let key = parts.next().unwrap_or_default().to_string();
                    let en = parts.next().unwrap_or_default();
                    let or = parts.next().unwrap_or_default();
                    let hi = parts.next().unwrap_or_default();
                    Choice {
                        key,
                        label: words(en, or, hi),
                    }
                })
                .collect(),
        },
        "yes_no" => FieldKind::YesNo,
        "address" => FieldKind::Address,
        "document" => FieldKind::Document {
            document: row.document.trim().to_string(),
        },
        _ => return Err("err_field_kind_invalid"),
    };
    let shown_when = match row.shown_when.trim() {
        "" => None,
        text => {
            let (field, any) = text.split_once('=').ok_or("err_field_condition_invalid")?;
            Some(ShownWhen {
                field: field.trim().to_string(),
                any_of: any
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
            })
        }
    };
    Ok(Field {
        key: row.key.trim().to_string(),
        label: words(&row.label_en, &row.label_or, &row.label_hi),
        help: words(&row.help_en, &row.help_or, &row.help_hi),
        kind,
        required: row.required.is_some(),
        on_certificate: row.on_certificate.is_some(),
        shown_when,
    })
}

/// A fee rule read back from its line.
fn part_of(line: &str) -> Option<FeePart> {
    let (field, rule) = line.split_once(':')?;
    let field = field.trim().to_string();
    let rule = rule.trim();
    if let Some((per_unit, free)) = rule.split_once("per unit over") {
        return Some(FeePart::PerUnit {
            field,
            per_unit: Paise::parse_rupees(per_unit).filter(|p| p.0 > 0)?,
            free: free.trim().parse().ok()?,
        });
    }
    let mut amounts = BTreeMap::new();
    for pair in rule.split(',') {
        let (key, amount) = pair.split_once('=')?;
        let amount =
            Paise::parse_rupees(amount).filter(|p| !amount.trim().is_empty() && p.0 >= 0)?;
        amounts.insert(key.trim().to_string(), amount);
    }
    (!amounts.is_empty()).then_some(FeePart::Choice { field, amounts })
}

/// The certificate an approval issues, as typed: a kind, and days valid within ten years.
fn certificate_of(fee: &FeeRows, problems: &mut Vec<FieldError>) -> Option<Issues> {
    let kind = fee.certificate.trim();
    if kind.is_empty() {
        return None;
    }
    let Some(kind) = Kind::parse(kind) else {
        problems.push(FieldError::new("certificate", "err_answer_choose"));
        return None;
    };
    let days = fee.valid_days.trim();
    let valid_days = if days.is_empty() {
        None
    } else {
        match days.parse::<u16>() {
            Ok(d) if (1..=VALID_DAYS_MAX).contains(&d) => Some(d),
            _ => {
                problems.push(FieldError::new("valid_days", "err_valid_days"));
                None
            }
        }
    };
    Some(Issues { kind, valid_days })
}

/// Reads the editor's rows back into a form: questions removed or left blank dropped, the rest in
/// the order of their positions; every problem named where the page shows it.
pub fn form_of(rows: &[FieldRow], fee: &FeeRows) -> Result<Form, Vec<FieldError>> {
    let mut problems = Vec::new();
    // (the row's number on the page, its position) of the questions kept
    let mut kept: Vec<(usize, i64, &FieldRow)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.remove.is_none())
        .filter(|(_, r)| !(r.key.trim().is_empty() && r.label_en.trim().is_empty()))
        .map(|(i, r)| (i + 1, r.position.trim().parse().unwrap_or(i as i64 + 1), r))
        .collect();
    kept.sort_by_key(|(i, position, _)| (*position, *i));
    let mut fields = Vec::new();
    let mut page_number = Vec::new();
    for (i, _, row) in &kept {
        match field_of(row) {
            Ok(f) => {
                fields.push(f);
                page_number.push(*i);
            }
            Err(code) => problems.push(FieldError::new(&format!("field-{i}"), code)),
        }
    }
    let base = Paise::parse_rupees(&fee.base).filter(|p| p.0 >= 0);
    if base.is_none() {
        problems.push(FieldError::new("fee", "err_fee_rule_invalid"));
    }
    let mut parts = Vec::new();
    for (i, line) in fee
        .parts
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        match part_of(line) {
            Some(p) => parts.push(p),
            None => problems.push(FieldError::new(
                &format!("fee-{}", i + 1),
                "err_fee_rule_invalid",
            )),
        }
    }
    let working_days = fee.working_days.trim().parse::<u16>().unwrap_or(0);
    let certificate = certificate_of(fee, &mut problems);
    let form = Form {
        fields,
        fee: Fee {
            base: base.unwrap_or_default(),
            parts,
        },
        working_days,
        certificate,
    };
    // The form's own rules, with each question named as the page numbers it.
    for p in form.problems() {
        let field = match p
            .field
            .strip_prefix("field-")
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(n) => format!("field-{}", page_number.get(n - 1).copied().unwrap_or(n)),
            None => p.field.clone(),
        };
        if !problems.iter().any(|q: &FieldError| q.field == field) {
            problems.push(FieldError::new(&field, &p.code));
        }
    }
    if problems.is_empty() {
        Ok(form)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Form {
        Form {
            fields: vec![
                Field {
                    key: "trade".into(),
                    label: words("Trade", "ବ୍ୟବସାୟ", "व्यापार"),
                    help: Words::default(),
                    kind: FieldKind::Choice {
                        options: vec![
                            Choice {
                                key: "eatery".into(),
                                label: words("Eatery", "ଭୋଜନାଳୟ", "भोजनालय"),
                            },
                            Choice {
                                key: "salon".into(),
                                label: words("Salon", "", ""),
                            },
                        ],
                    },
                    required: true,
                    shown_when: None,
                    on_certificate: true,
                },
                Field {
                    key: "area".into(),
                    label: Words::en("Area"),
                    help: Words::en("In square metres"),
                    kind: FieldKind::Number {
                        min: 1,
                        max: 10_000,
                    },
                    required: true,
                    shown_when: None,
                    on_certificate: false,
                },
                Field {
                    key: "fssai".into(),
                    label: Words::en("FSSAI registration"),
                    help: Words::default(),
                    kind: FieldKind::Document {
                        document: "fssai_registration".into(),
                    },
                    required: true,
                    shown_when: Some(ShownWhen {
                        field: "trade".into(),
                        any_of: vec!["eatery".into()],
                    }),
                    on_certificate: false,
                },
            ],
            fee: Fee {
                base: Paise(50_000),
                parts: vec![
                    FeePart::Choice {
                        field: "trade".into(),
                        amounts: [("eatery".to_string(), Paise(100_000))]
                            .into_iter()
                            .collect(),
                    },
                    FeePart::PerUnit {
                        field: "area".into(),
                        per_unit: Paise(1_050),
                        free: 20,
                    },
                ],
            },
            working_days: 15,
            certificate: Some(Issues {
                kind: Kind::TradeLicence,
                valid_days: Some(365),
            }),
        }
    }

    #[test]
    fn a_form_written_out_reads_back_the_same() {
        let form = sample();
        let (rows, fee) = rows_of(&form);
        assert_eq!(
            rows[0].options.lines().next(),
            Some("eatery | Eatery | ଭୋଜନାଳୟ | भोजनालय")
        );
        assert_eq!(rows[2].shown_when, "trade = eatery");
        assert_eq!(rows[0].on_certificate.as_deref(), Some("on"));
        assert_eq!(
            (fee.certificate.as_str(), fee.valid_days.as_str()),
            ("trade_licence", "365")
        );
        assert_eq!(
            fee.parts,
            "trade: eatery = 1000\narea: 10.50 per unit over 20"
        );
        assert_eq!(form_of(&rows, &fee), Ok(form));
    }

    #[test]
    fn questions_are_added_moved_and_removed() {
        let (mut rows, fee) = rows_of(&sample());
        // a blank row (the page's "add a question") is nothing
        rows.push(FieldRow::default());
        // a new question, put first
        rows.push(FieldRow {
            position: "0".into(),
            key: "owner_name".into(),
            label_en: "Owner's name".into(),
            kind: "text".into(),
            max_chars: "100".into(),
            required: Some("on".into()),
            ..FieldRow::default()
        });
        rows[1].remove = Some("on".into());
        let form = form_of(
            &rows,
            &FeeRows {
                parts: "trade: eatery = 1000".into(),
                ..fee
            },
        )
        .unwrap();
        let keys: Vec<&str> = form.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, vec!["owner_name", "trade", "fssai"]);
    }

    #[test]
    fn each_mistake_is_named_at_the_question_as_the_page_numbers_it() {
        let (mut rows, mut fee) = rows_of(&sample());
        rows[0].position = "3".into(); // moved last: still question 1 on the page
        rows[0].options = "eatery | Eatery".into(); // one option is no choice
        rows[1].kind = "colour".into();
        fee.parts = "trade: eatery = lots".into();
        fee.working_days = "0".into();
        fee.valid_days = "forever".into();
        let problems = form_of(&rows, &fee).unwrap_err();
        let named: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert!(
            named.contains(&("field-1", "err_field_options_invalid")),
            "{named:?}"
        );
        assert!(
            named.contains(&("field-2", "err_field_kind_invalid")),
            "{named:?}"
        );
        assert!(
            named.contains(&("fee-1", "err_fee_rule_invalid")),
            "{named:?}"
        );
        assert!(
            named.contains(&("working_days", "err_working_days_invalid")),
            "{named:?}"
        );
        assert!(
            named.contains(&("valid_days", "err_valid_days")),
            "{named:?}"
        );
        fee.certificate = "passport".into();
        let problems = form_of(&rows, &fee).unwrap_err();
        assert!(
            problems.iter().any(|p| p.field == "certificate"),
            "{problems:?}"
        );
        // the fssai question's condition names a question still there
        assert!(!named.iter().any(|(f, _)| *f == "field-3"), "{named:?}");
    }
}
