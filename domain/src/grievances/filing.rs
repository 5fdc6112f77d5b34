//! What a filing must say, from whichever channel it comes: what is wrong, and where — a ward
//! (with or without a landmark), an address, or the device's location; a map is never required.

use crate::problem::FieldError;

pub const DESCRIPTION_MIN: usize = 10;
pub const DESCRIPTION_MAX: usize = 2000;

/// What a filer told us, before it is checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilingInput {
    pub category_chosen: bool,
    pub description: String,
    pub ward: Option<i32>,
    pub landmark: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The problems with a filing, each at its field. A map is never required: a ward (with or
/// without a landmark), an address, or the device's location each say where.
pub fn check_filing(f: &FilingInput) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if !f.category_chosen {
        problems.push(FieldError::new("category", "err_category_required"));
    }
    let len = f.description.trim().chars().count();
    if len < DESCRIPTION_MIN {
        problems.push(FieldError::new("description", "err_description_short"));
    } else if len > DESCRIPTION_MAX {
        problems.push(FieldError::new("description", "err_description_long"));
    }
    let located = match (f.latitude, f.longitude) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                problems.push(FieldError::new("location", "err_location_invalid"));
            }
            true
        }
        _ => false,
    };
    if f.landmark.chars().count() > 200 {
        problems.push(FieldError::new("landmark", "err_text_too_long"));
    }
    if f.address.chars().count() > 500 {
        problems.push(FieldError::new("address", "err_text_too_long"));
    }
    if f.ward.is_none() && f.address.trim().is_empty() && !located {
        problems.push(FieldError::new("ward", "err_place_required"));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filing_needs_a_place_but_never_a_map() {
        let base = FilingInput {
            category_chosen: true,
            description: "Streetlight not working for a week".into(),
            ..Default::default()
        };
        let codes = |f: &FilingInput| {
            check_filing(f)
                .into_iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&base), vec!["err_place_required"]);
        assert!(codes(&FilingInput {
            ward: Some(12),
            ..base.clone()
        })
        .is_empty());
        assert!(codes(&FilingInput {
            address: "Plot 4, Saheed Nagar".into(),
            ..base.clone()
        })
        .is_empty());
        assert!(codes(&FilingInput {
            latitude: Some(20.29),
            longitude: Some(85.82),
            ..base.clone()
        })
        .is_empty());
        assert_eq!(
            codes(&FilingInput {
                latitude: Some(120.0),
                longitude: Some(85.0),
                ..base.clone()
            }),
            vec!["err_location_invalid"]
        );
        assert_eq!(
            codes(&FilingInput {
                description: "light".into(),
                category_chosen: false,
                ward: Some(1),
                ..base.clone()
            }),
            vec!["err_category_required", "err_description_short"]
        );
    }
}
