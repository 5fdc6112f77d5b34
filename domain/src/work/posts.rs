//! Posts: a role in a department with a jurisdiction (some wards, or the whole city), held by one
//! person at a time. Grievances of the categories a post handles, in its jurisdiction, are
//! routed to it; a ward's own post comes before a city-wide one, a category's own before its
//! parent's. A vacant post's work waits with the department's admin until someone holds it.

use crate::place::Ward;
#[cfg(feature = "ssr")]
use crate::problem::FieldError;
use serde::{Deserialize, Serialize};

/// Where a post serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Jurisdiction {
    City,
    /// These wards, sorted, each once.
    Wards(Vec<Ward>),
}

/// The most wards one post may list (beyond that, it serves the city).
pub const JURISDICTION_MAX_WARDS: usize = 500;

impl Jurisdiction {
    /// Wards as an admin types them: "3, 5, 7-9" or "Ward 12; 14 – 16" (ranges allowed, commas or
    /// semicolons between); empty means the whole city.
    pub fn parse(s: &str) -> Result<Jurisdiction, &'static str> {
        if s.trim().is_empty() {
            return Ok(Jurisdiction::City);
        }
        let mut wards = std::collections::BTreeSet::new();
        for part in s.split([',', ';']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            match part.split_once(['-', '–']) {
                Some((a, b)) => {
                    let (Some(a), Some(b)) = (Ward::parse(a), Ward::parse(b)) else {
                        return Err("err_wards_invalid");
                    };
                    if a > b {
                        return Err("err_wards_invalid");
                    }
                    wards.extend((a.number()..=b.number()).filter_map(Ward::new));
                }
                None => {
                    wards.insert(Ward::parse(part).ok_or("err_wards_invalid")?);
                }
            }
            if wards.len() > JURISDICTION_MAX_WARDS {
                return Err("err_wards_invalid");
            }
        }
        if wards.is_empty() {
            // Only separators: not the whole city by accident.
            return Err("err_wards_invalid");
        }
        Ok(Jurisdiction::Wards(wards.into_iter().collect()))
    }

    /// As Postgres keeps it: NULL for the city, else the ward numbers.
    pub fn to_column(&self) -> Option<Vec<i32>> {
        match self {
            Jurisdiction::City => None,
            Jurisdiction::Wards(w) => Some(w.iter().map(|w| w.number()).collect()),
        }
    }

    pub fn from_column(wards: Option<Vec<i32>>) -> Jurisdiction {
        match wards {
            None => Jurisdiction::City,
            Some(w) => Jurisdiction::Wards(w.into_iter().filter_map(Ward::new).collect()),
        }
    }

    /// Whether a grievance in `ward` (or with no ward) falls in it.
    pub fn covers(&self, ward: Option<Ward>) -> bool {
        match self {
            Jurisdiction::City => true,
            Jurisdiction::Wards(w) => ward.is_some_and(|x| w.contains(&x)),
        }
    }

    /// Compact, as the admin typed it: "3, 5, 7–9".
    pub fn to_text(&self) -> String {
        let Jurisdiction::Wards(w) = self else {
            return String::new();
        };
        let mut runs: Vec<(i32, i32)> = Vec::new();
        for n in w.iter().map(|w| w.number()) {
            match runs.last_mut() {
                Some((_, end)) if *end + 1 == n => *end = n,
                _ => runs.push((n, n)),
            }
        }
        runs.iter()
            .map(|&(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}–{b}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A post as a department admin describes it (read on the server: its categories are ids).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq)]
pub struct PostForm {
    pub title: String,
    pub jurisdiction: Jurisdiction,
    pub categories: Vec<uuid::Uuid>,
}

#[cfg(feature = "ssr")]
impl PostForm {
    /// Reads the form's fields; each problem at its field.
    pub fn parse(
        title: &str,
        wards: &str,
        categories: &[String],
    ) -> Result<PostForm, Vec<FieldError>> {
        let mut problems = Vec::new();
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 120 {
            problems.push(FieldError::new("title", "err_post_title"));
        }
        let jurisdiction = Jurisdiction::parse(wards).unwrap_or_else(|code| {
            problems.push(FieldError::new("wards", code));
            Jurisdiction::City
        });
        let mut ids = Vec::new();
        for c in categories {
            match uuid::Uuid::parse_str(c.trim()) {
                Ok(id) => ids.push(id),
                Err(_) => problems.push(FieldError::new("categories", "err_category_required")),
            }
        }
        ids.sort();
        ids.dedup();
        if ids.is_empty() && problems.iter().all(|p| p.field != "categories") {
            problems.push(FieldError::new("categories", "err_post_categories"));
        }
        if problems.is_empty() {
            Ok(PostForm {
                title: title.to_string(),
                jurisdiction,
                categories: ids,
            })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wards(j: &Jurisdiction) -> Vec<i32> {
        j.to_column().unwrap_or_default()
    }

    #[test]
    fn a_jurisdiction_is_some_wards_or_the_whole_city() {
        assert_eq!(Jurisdiction::parse("  "), Ok(Jurisdiction::City));
        let j = Jurisdiction::parse("5, 3; 7 - 9, Ward 3").unwrap();
        assert_eq!(wards(&j), vec![3, 5, 7, 8, 9]);
        assert_eq!(j.to_text(), "3, 5, 7–9");
        assert_eq!(
            Jurisdiction::parse("1–3").map(|j| wards(&j)),
            Ok(vec![1, 2, 3])
        );
        assert_eq!(Jurisdiction::parse("9-7"), Err("err_wards_invalid"));
        assert_eq!(Jurisdiction::parse("0"), Err("err_wards_invalid"));
        assert_eq!(Jurisdiction::parse("twelve"), Err("err_wards_invalid"));
        assert_eq!(
            Jurisdiction::parse("1-999").map(|j| wards(&j).len()),
            Err("err_wards_invalid")
        );
        assert!(j.covers(Ward::new(8)));
        assert!(!j.covers(Ward::new(6)));
        assert!(
            !j.covers(None),
            "a grievance with no ward is the city-wide post's"
        );
        assert!(Jurisdiction::City.covers(None));
        assert_eq!(Jurisdiction::from_column(j.to_column()), j);
        assert_eq!(Jurisdiction::from_column(None), Jurisdiction::City);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_post_needs_a_title_and_what_it_handles() {
        let cat = uuid::Uuid::nil().to_string();
        let form = PostForm::parse(
            " Sanitation Inspector, wards 1–10 ",
            "1-10",
            std::slice::from_ref(&cat),
        )
        .unwrap();
        assert_eq!(form.title, "Sanitation Inspector, wards 1–10");
        assert_eq!(wards(&form.jurisdiction).len(), 10);
        let fields = |r: Result<PostForm, Vec<FieldError>>| -> Vec<String> {
            r.unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(
            fields(PostForm::parse("", "", std::slice::from_ref(&cat))),
            vec!["title"]
        );
        assert_eq!(
            fields(PostForm::parse("JE", "x", &[])),
            vec!["wards", "categories"]
        );
        assert_eq!(
            fields(PostForm::parse("JE", "", &["nope".into()])),
            vec!["categories"]
        );
    }
}
