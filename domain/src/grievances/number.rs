//! The grievance number: "GR-26-0000123-4", a `crate::reference` number.

use crate::reference;
pub use crate::reference::NumberError;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GrievanceNumber(String);

impl GrievanceNumber {
    /// The number of the `serial`-th grievance of year `year` (two digits are kept).
    pub fn new(year: i32, serial: u64) -> GrievanceNumber {
        GrievanceNumber(reference::make("GR", year, serial))
    }

    /// Accepts what people type: any case, with or without the dashes and spaces.
    pub fn parse(input: &str) -> Result<GrievanceNumber, NumberError> {
        reference::parse("GR", input).map(GrievanceNumber)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GrievanceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back() {
        let n = GrievanceNumber::new(2026, 123);
        assert!(n.as_str().starts_with("GR-26-0000123-"));
        assert_eq!(GrievanceNumber::parse(n.as_str()), Ok(n.clone()));
        let typed = n.as_str().replace('-', " ").to_lowercase();
        assert_eq!(GrievanceNumber::parse(&typed), Ok(n));
        // serials past ten million simply grow longer
        let big = GrievanceNumber::new(2031, 12_345_678);
        assert_eq!(GrievanceNumber::parse(big.as_str()), Ok(big));
    }

    #[test]
    fn other_things_are_not_numbers() {
        assert_eq!(GrievanceNumber::parse("hello"), Err(NumberError::Malformed));
        assert_eq!(
            GrievanceNumber::parse("GR-26-12-3"),
            Err(NumberError::Malformed)
        );
        assert_eq!(
            GrievanceNumber::parse("234123412346"),
            Err(NumberError::Malformed)
        );
    }
}
