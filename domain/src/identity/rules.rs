//! The rules of identity, without a database: what a valid mobile number, name, email and
//! password are, how long codes and sessions live, and who may do what.

pub use crate::ids::{AccountId, DepartmentId};
use serde::{Deserialize, Serialize};

/// An Indian mobile number: ten digits starting 6–9, written with or without +91 / 0.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(input: &str) -> Result<MobileNumber, &'static str> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect();
        let digits = digits
            .strip_prefix("+91")
            .or_else(|| {
                if digits.len() == 12 {
                    digits.strip_prefix("91")
                } else {
                    None
                }
            })
            .or_else(|| {
                if digits.len() == 11 {
                    digits.strip_prefix('0')
                } else {
                    None
                }
            })
            .unwrap_or(&digits);
        if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("err_mobile_invalid");
        }
        if !matches!(digits.as_bytes()[0], b'6'..=b'9') {
            return Err("err_mobile_invalid");
        }
        Ok(MobileNumber(digits.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For messages and screens: the last four digits only.
    pub fn masked(&self) -> String {
        format!("••••••{}", &self.0[6..])
    }
}

pub fn validate_name(input: &str) -> Result<String, &'static str> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = name.chars().count();
    if len == 0 {
        return Err("err_name_required");
    }
    if len > 100 || name.chars().any(|c| c.is_control()) {
        return Err("err_name_invalid");
    }
    Ok(name)
}

/// An email address: one `@`, a dotted domain, no spaces, at most 254 characters, lower-cased.
/// The real proof is a delivered message, so this only catches typing slips; every address the
/// app, the intake API and Open311 take is read by this one rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, &'static str> {
        let email = input.trim();
        let (local, host) = email.split_once('@').unwrap_or((email, ""));
        let ok = !local.is_empty()
            && !host.contains('@')
            && host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !email.contains(char::is_whitespace)
            && email.len() <= 254;
        if ok {
            Ok(EmailAddress(email.to_lowercase()))
        } else {
            Err("err_email_invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Email is optional on a form; when given it must be an address (`EmailAddress`).
pub fn validate_email(input: &str) -> Result<Option<String>, &'static str> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    EmailAddress::parse(input).map(|e| Some(e.0))
}

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;
/// A passphrase of this many words passes the length rule even when shorter than 12 characters
/// would require ("mango river kite lamp").
pub const PASSPHRASE_MIN_WORDS: usize = 4;

/// The length part of the password rule; the common-password check needs the server's
/// dictionary (see `store::password_strength_problem`).
pub fn password_length_problem(password: &str) -> Option<&'static str> {
    let chars = password.chars().count();
    let words = password
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .count();
    if chars > PASSWORD_MAX_CHARS {
        return Some("err_password_too_long");
    }
    if chars < PASSWORD_MIN_CHARS && words < PASSPHRASE_MIN_WORDS {
        return Some("err_password_too_short");
    }
    None
}

/// One-time codes: six digits, ten minutes, single use.
pub const OTP_DIGITS: usize = 6;
pub const OTP_VALID_MINUTES: i64 = 10;
/// Wrong guesses allowed on one code before it is spent.
pub const OTP_MAX_ATTEMPTS: i32 = 5;
/// Codes sent to one mobile number in the window below, before further sends are refused.
pub const OTP_MAX_SENDS: i64 = 3;
pub const OTP_SEND_WINDOW_MINUTES: i64 = 30;

/// Whether `input` has the shape of a code (the person may type spaces).
pub fn normalise_code(input: &str) -> Result<String, &'static str> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() == OTP_DIGITS && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(code)
    } else {
        Err("err_code_format")
    }
}

/// What a person can be. One person has one role; officials and department admins belong to one
/// department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Citizen,
    Official,
    DepartmentAdmin,
    CityAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Official => "official",
            Role::DepartmentAdmin => "department_admin",
            Role::CityAdmin => "city_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "citizen" => Some(Role::Citizen),
            "official" => Some(Role::Official),
            "department_admin" => Some(Role::DepartmentAdmin),
            "city_admin" => Some(Role::CityAdmin),
            _ => None,
        }
    }

    /// Officials, department admins and city admins work requests.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Citizen)
    }

    /// Staff sessions lapse after half an hour idle (a shared office computer must not stay
    /// signed in to other people's contacts); a citizen's phone keeps them signed in for two weeks.
    pub fn session_idle_minutes(self) -> i64 {
        if self.is_staff() {
            30
        } else {
            14 * 24 * 60
        }
    }

    /// A session never outlives this, however active: a working day for staff (ASVS 3.3.2:
    /// sign in again at least every 12 hours), sixty days for citizens.
    pub fn session_absolute_minutes(self) -> i64 {
        if self.is_staff() {
            12 * 60
        } else {
            60 * 24 * 60
        }
    }
}

/// Who is asking, as far as the rules are concerned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: AccountId,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
}

impl Actor {
    /// Creating departments and appointing department admins is the city admin's alone.
    pub fn may_manage_departments(&self) -> bool {
        self.role == Role::CityAdmin
    }

    /// A department's officials and services are managed by its admin, or by a city admin.
    pub fn may_manage_department(&self, department_id: DepartmentId) -> bool {
        match self.role {
            Role::CityAdmin => true,
            Role::DepartmentAdmin => self.department_id == Some(department_id),
            _ => false,
        }
    }

    /// Whether this actor may take the staff role away from someone with `role` in `department`.
    /// Nobody removes themselves (a city could lose its last admin that way).
    pub fn may_remove(
        &self,
        user_id: AccountId,
        role: Role,
        department: Option<DepartmentId>,
    ) -> bool {
        if user_id == self.user_id || role == Role::Citizen {
            return false;
        }
        match self.role {
            Role::CityAdmin => true,
            Role::DepartmentAdmin => role == Role::Official && department == self.department_id,
            _ => false,
        }
    }

    /// Which roles this actor may hand out.
    pub fn may_appoint(&self, role: Role) -> bool {
        match self.role {
            Role::CityAdmin => role != Role::Citizen,
            Role::DepartmentAdmin => role == Role::Official,
            _ => false,
        }
    }
}

/// Where to go after signing in, if `next` is a path on this site: it starts with one `/` and
/// holds no whitespace, control character or backslash anywhere (browsers drop tabs and line
/// breaks from addresses, so `/<TAB>/evil.example` would become `//evil.example`, another site).
pub fn safe_return_path(next: &str) -> Option<&str> {
    let on_site = next.starts_with('/') && !next.starts_with("//");
    let clean = !next
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    (on_site && clean && next.len() <= 2000).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_in_the_forms_people_write_them() {
        for ok in [
            "9876543210",
            "+91 98765 43210",
            "098765-43210",
            "919876543210",
        ] {
            assert_eq!(
                MobileNumber::parse(ok).unwrap().as_str(),
                "9876543210",
                "{ok}"
            );
        }
        for bad in [
            "",
            "12345",
            "5876543210",
            "98765432101",
            "98765abcde",
            "+1 9876543210",
        ] {
            assert_eq!(MobileNumber::parse(bad), Err("err_mobile_invalid"), "{bad}");
        }
        assert_eq!(
            MobileNumber::parse("9876543210").unwrap().masked(),
            "••••••3210"
        );
    }

    #[test]
    fn passwords_need_length_or_a_passphrase() {
        assert_eq!(
            password_length_problem("short1!"),
            Some("err_password_too_short")
        );
        assert_eq!(password_length_problem("twelve chars"), None);
        assert_eq!(password_length_problem("mango kite lamp pot"), None);
        assert_eq!(
            password_length_problem(&"x".repeat(129)),
            Some("err_password_too_long")
        );
    }

    #[test]
    fn names_and_emails() {
        assert_eq!(validate_name("  Sita   Das "), Ok("Sita Das".to_string()));
        assert_eq!(validate_name("   "), Err("err_name_required"));
        assert_eq!(validate_email(""), Ok(None));
        assert_eq!(
            validate_email("Sita@Example.in"),
            Ok(Some("sita@example.in".into()))
        );
        assert_eq!(validate_email("sita@example"), Err("err_email_invalid"));
        assert_eq!(validate_email("sita example.in"), Err("err_email_invalid"));
        assert_eq!(EmailAddress::parse("a@b@c.in"), Err("err_email_invalid"));
        assert_eq!(EmailAddress::parse("@example.in"), Err("err_email_invalid"));
        assert_eq!(
            EmailAddress::parse(" Ravi@Gov.IN ").map(|e| e.as_str().to_string()),
            Ok("ravi@gov.in".to_string())
        );
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(normalise_code(" 123 456 "), Ok("123456".into()));
        assert_eq!(normalise_code("12345"), Err("err_code_format"));
        assert_eq!(normalise_code("12345a"), Err("err_code_format"));
    }

    #[test]
    fn who_may_manage_what() {
        let id = |n: u128| AccountId::from(uuid::Uuid::from_u128(n));
        let (bmc, bda) = (
            DepartmentId::from(uuid::Uuid::from_u128(10)),
            DepartmentId::from(uuid::Uuid::from_u128(11)),
        );
        let city = Actor {
            user_id: id(1),
            role: Role::CityAdmin,
            department_id: None,
        };
        let bmc_admin = Actor {
            user_id: id(2),
            role: Role::DepartmentAdmin,
            department_id: Some(bmc),
        };
        let official = Actor {
            user_id: id(3),
            role: Role::Official,
            department_id: Some(bmc),
        };
        assert!(city.may_manage_departments());
        assert!(!bmc_admin.may_manage_departments());
        assert!(bmc_admin.may_manage_department(bmc));
        assert!(!bmc_admin.may_manage_department(bda));
        assert!(!official.may_manage_department(bmc));
        assert!(bmc_admin.may_appoint(Role::Official));
        assert!(!bmc_admin.may_appoint(Role::DepartmentAdmin));
        assert!(city.may_appoint(Role::DepartmentAdmin));
        assert!(!official.may_appoint(Role::Official));
        assert!(Role::Official.session_idle_minutes() < Role::Citizen.session_idle_minutes());
        assert_eq!(Role::CityAdmin.session_absolute_minutes(), 12 * 60);
        assert_eq!(Role::Citizen.session_absolute_minutes(), 60 * 24 * 60);
        assert!(bmc_admin.may_remove(id(3), Role::Official, Some(bmc)));
        assert!(!bmc_admin.may_remove(id(3), Role::Official, Some(bda)));
        assert!(!bmc_admin.may_remove(id(4), Role::DepartmentAdmin, Some(bmc)));
        assert!(
            !city.may_remove(id(1), Role::CityAdmin, None),
            "not oneself"
        );
        assert!(city.may_remove(id(2), Role::DepartmentAdmin, Some(bmc)));
        assert!(!official.may_remove(id(5), Role::Official, Some(bmc)));
    }

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        for ok in [
            "/me",
            "/grievances/GR-26-0000001-5",
            "/work?ward=12&page=2",
            "/%2F%2Fx",
        ] {
            assert_eq!(safe_return_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            " /me",
            "me",
            "",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }
}
