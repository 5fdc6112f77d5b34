//! What a filing must say, from whichever channel it comes: what is wrong, and where — a ward
//! (with or without a landmark), an address, or the device's location; a map is never required.
//!
//! Every channel reads its fields into one `FilingText` and calls its one `parse`: the app's
//! form, the call centre and kiosk, the intake API (SMS, email, IVRS, other systems) and
//! Open311. What comes out is typed (`Place` with a `Ward`, `Contact` with a `MobileNumber` and
//! an `EmailAddress`), and nothing downstream checks it again.

use crate::identity::{EmailAddress, MobileNumber};
use crate::place::Ward;
use crate::problem::FieldError;

pub const DESCRIPTION_MIN: usize = 10;
pub const DESCRIPTION_MAX: usize = 2000;
pub const LANDMARK_MAX: usize = 200;
pub const ADDRESS_MAX: usize = 500;
pub const NAME_MAX: usize = 120;

/// A point on the earth (WGS84 degrees), both parts in range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
}

/// Where the problem is: any of a ward, a landmark, an address or a position, at least one of
/// a ward, an address or a position.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Place {
    pub ward: Option<Ward>,
    pub landmark: String,
    pub address: String,
    pub position: Option<Position>,
}

/// Whom to tell, as the filer gave it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contact {
    pub name: String,
    pub mobile: Option<MobileNumber>,
    pub email: Option<EmailAddress>,
}

/// A filing's fields as text, as a form or another system sends them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilingText {
    /// Whether a category was named (a category is looked up by id or slug elsewhere).
    pub category_chosen: bool,
    pub description: String,
    pub ward: String,
    pub landmark: String,
    pub address: String,
    pub latitude: String,
    pub longitude: String,
    pub contact_name: String,
    pub contact_mobile: String,
    pub contact_email: String,
}

/// A filing's fields, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub description: String,
    pub place: Place,
    pub contact: Contact,
}

impl FilingText {
    /// The fields checked and typed, or every problem at its field (`category`, `description`,
    /// `ward`, `landmark`, `address`, `location`, `contact_name`, `contact_mobile`,
    /// `contact_email`), each code a translation key.
    pub fn parse(&self) -> Result<Checked, Vec<FieldError>> {
        let mut problems = Vec::new();
        if !self.category_chosen {
            problems.push(FieldError::new("category", "err_category_required"));
        }
        let description = self.description.trim();
        let len = description.chars().count();
        if len < DESCRIPTION_MIN {
            problems.push(FieldError::new("description", "err_description_short"));
        } else if len > DESCRIPTION_MAX {
            problems.push(FieldError::new("description", "err_description_long"));
        }
        let ward = match self.ward.trim() {
            "" => Ok(None),
            w => Ward::parse(w).map(Some).ok_or(()),
        };
        if ward.is_err() {
            problems.push(FieldError::new("ward", "err_ward_invalid"));
        }
        let position = position(&self.latitude, &self.longitude);
        if position.is_err() {
            problems.push(FieldError::new("location", "err_location_invalid"));
        }
        let (landmark, address) = (self.landmark.trim(), self.address.trim());
        if landmark.chars().count() > LANDMARK_MAX {
            problems.push(FieldError::new("landmark", "err_text_too_long"));
        }
        if address.chars().count() > ADDRESS_MAX {
            problems.push(FieldError::new("address", "err_text_too_long"));
        }
        let located = matches!(position, Ok(Some(_)) | Err(_));
        // A ward, position or address that was given but unreadable is already named.
        if matches!(ward, Ok(None)) && address.is_empty() && !located {
            problems.push(FieldError::new("ward", "err_place_required"));
        }
        let name = self.contact_name.trim();
        if name.chars().count() > NAME_MAX {
            problems.push(FieldError::new("contact_name", "err_text_too_long"));
        }
        let mobile = match self.contact_mobile.trim() {
            "" => None,
            m => MobileNumber::parse(m)
                .map_err(|_| problems.push(FieldError::new("contact_mobile", "err_mobile_invalid")))
                .ok(),
        };
        let email = match self.contact_email.trim() {
            "" => None,
            e => EmailAddress::parse(e)
                .map_err(|code| problems.push(FieldError::new("contact_email", code)))
                .ok(),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Checked {
            description: description.to_string(),
            place: Place {
                ward: ward.unwrap_or(None),
                landmark: landmark.to_string(),
                address: address.to_string(),
                position: position.unwrap_or(None),
            },
            contact: Contact {
                name: name.to_string(),
                mobile,
                email,
            },
        })
    }
}

/// A position from its two parts: both empty is none; one without the other, a part that is
/// not a number, or one out of range is an error.
fn position(latitude: &str, longitude: &str) -> Result<Option<Position>, ()> {
    let (lat, lon) = (latitude.trim(), longitude.trim());
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let number = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite());
    match (number(lat), number(lon)) {
        (Some(latitude), Some(longitude))
            if (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude) =>
        {
            Ok(Some(Position {
                latitude,
                longitude,
            }))
        }
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(f: &FilingText) -> Vec<String> {
        f.parse()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    fn base() -> FilingText {
        FilingText {
            category_chosen: true,
            description: "  Streetlight not working for a week ".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_filing_needs_a_place_but_never_a_map() {
        assert_eq!(codes(&base()), vec!["err_place_required"]);
        let with = |f: FilingText| f.parse().unwrap();
        let w = with(FilingText {
            ward: "Ward 12".into(),
            ..base()
        });
        assert_eq!(w.place.ward.map(|w| w.number()), Some(12));
        assert_eq!(w.description, "Streetlight not working for a week");
        assert_eq!(
            with(FilingText {
                address: " Plot 4, Saheed Nagar ".into(),
                ..base()
            })
            .place
            .address,
            "Plot 4, Saheed Nagar"
        );
        let p = with(FilingText {
            latitude: "20.29".into(),
            longitude: "85.82".into(),
            ..base()
        });
        assert_eq!(
            p.place.position,
            Some(Position {
                latitude: 20.29,
                longitude: 85.82
            })
        );
    }

    #[test]
    fn each_mistake_is_named_at_its_field_once() {
        // out of range, half a position, not numbers: the location, not "no place" as well
        for (lat, lon) in [
            ("120", "85"),
            ("20.29", ""),
            ("north", "east"),
            ("NaN", "85"),
        ] {
            assert_eq!(
                codes(&FilingText {
                    latitude: lat.into(),
                    longitude: lon.into(),
                    ..base()
                }),
                vec!["err_location_invalid"],
                "{lat},{lon}"
            );
        }
        assert_eq!(
            codes(&FilingText {
                ward: "twelve".into(),
                ..base()
            }),
            vec!["err_ward_invalid"]
        );
        assert_eq!(
            codes(&FilingText {
                description: "light".into(),
                category_chosen: false,
                ward: "1".into(),
                ..base()
            }),
            vec!["err_category_required", "err_description_short"]
        );
        let fields = |f: FilingText| -> Vec<String> {
            f.parse()
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields(FilingText {
                ward: "3".into(),
                landmark: "x".repeat(201),
                contact_mobile: "12345".into(),
                contact_email: "not-an-address".into(),
                ..base()
            }),
            vec!["landmark", "contact_mobile", "contact_email"]
        );
    }

    #[test]
    fn a_contact_is_typed_once() {
        let c = FilingText {
            ward: "3".into(),
            contact_name: " Mamata ".into(),
            contact_mobile: "+91 98765 43210".into(),
            contact_email: " Mamata@Example.in ".into(),
            ..base()
        }
        .parse()
        .unwrap()
        .contact;
        assert_eq!(c.name, "Mamata");
        assert_eq!(c.mobile.unwrap().as_str(), "9876543210");
        assert!(c.email.is_some());
    }
}
