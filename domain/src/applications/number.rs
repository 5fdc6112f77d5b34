//! The application number: "AP-26-0000045-1", a `crate::reference` number.

use crate::reference;
pub use crate::reference::NumberError;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ApplicationNumber(String);

impl ApplicationNumber {
    /// The number of the `serial`-th application of year `year`.
    pub fn new(year: i32, serial: u64) -> ApplicationNumber {
        ApplicationNumber(reference::make("AP", year, serial))
    }

    /// Accepts what people type: any case, with or without the dashes and spaces.
    pub fn parse(input: &str) -> Result<ApplicationNumber, NumberError> {
        reference::parse("AP", input).map(ApplicationNumber)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_application_number_is_not_a_grievance_number() {
        let n = ApplicationNumber::new(2026, 45);
        assert!(n.as_str().starts_with("AP-26-0000045-"));
        assert_eq!(
            ApplicationNumber::parse(&n.as_str().to_lowercase()),
            Ok(n.clone())
        );
        let as_grievance = n.as_str().replace("AP", "GR");
        assert!(crate::grievances::GrievanceNumber::parse(&as_grievance).is_ok());
        assert_eq!(
            ApplicationNumber::parse(&as_grievance),
            Err(NumberError::Malformed)
        );
    }
}
