//! Departments and agencies: the offices that run services and employ officials. Their staff
//! are accounts with a role in one department (see `identity`).

use crate::problem::FieldError;
use crate::Locale;

#[cfg(feature = "ssr")]
pub mod store;

/// A new department as a city admin enters it.
pub struct DepartmentForm {
    pub code: String,
    pub is_agency: bool,
    pub names: Vec<(Locale, String)>,
}

impl DepartmentForm {
    /// Problems with the form, at their fields: a short lower-case code, an English name.
    pub fn problems(&self) -> Vec<FieldError> {
        let form = self;
        let mut problems = Vec::new();
        let code_ok = (2..=32).contains(&form.code.len())
            && form
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !code_ok {
            problems.push(FieldError::new("code", "err_code_invalid"));
        }
        if !form
            .names
            .iter()
            .any(|(l, n)| *l == Locale::En && !n.trim().is_empty())
        {
            problems.push(FieldError::new("name_en", "err_name_required"));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_department_needs_a_code_and_an_english_name() {
        let form = |code: &str, en: &str| DepartmentForm {
            code: code.into(),
            is_agency: false,
            names: vec![(Locale::En, en.into()), (Locale::Or, String::new())],
        };
        assert!(form("bmc", "Bhubaneswar Municipal Corporation")
            .problems()
            .is_empty());
        let fields = |f: DepartmentForm| -> Vec<String> {
            f.problems().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(form("BMC", "x")), vec!["code"]);
        assert_eq!(fields(form("b", " ")), vec!["code", "name_en"]);
    }
}
