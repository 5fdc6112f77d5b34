//! The translation layer. Every user-facing string comes from locales/*.json through `t::…`.

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

pub use domain::Locale;
use leptos::prelude::*;

/// The page's language, provided once per request by the app root.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Fills `{name}` placeholders: `fill(t::welcome(l), &[("name", "Sita")])`.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in values {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(code: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{code}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let map: std::collections::BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
        assert!(
            map.values().all(|v| !v.trim().is_empty()),
            "{code}: empty translation"
        );
        map.into_keys().collect()
    }

    #[test]
    fn every_locale_has_every_key() {
        let en = keys("en");
        for code in ["or", "hi"] {
            let other = keys(code);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{code}: missing {missing:?}, extra {extra:?}"
            );
        }
    }

    #[test]
    fn placeholders_survive_translation() {
        // A translation that drops "{name}" would show a sentence with a hole in it.
        for l in Locale::ALL {
            assert!(t::code_sent_to(l).contains("{mobile}"), "{l:?}");
            assert!(t::registered_welcome(l).contains("{name}"), "{l:?}");
            assert!(t::search_results_for(l).contains("{query}"), "{l:?}");
        }
    }

    #[test]
    fn every_domain_error_code_has_a_message() {
        for code in [
            "err_mobile_invalid",
            "err_mobile_taken",
            "err_name_required",
            "err_name_invalid",
            "err_email_invalid",
            "err_password_too_short",
            "err_password_too_long",
            "err_password_common",
            "err_code_format",
            "err_code_wrong",
            "err_code_expired",
            "err_code_used",
            "err_code_too_many_attempts",
            "err_code_too_many_sends",
            "err_registration_expired",
            "err_login_required",
            "err_login_invalid",
            "err_citizen_id_check",
            "err_sign_in_failed",
            "err_department_required",
            "err_slug_invalid",
            "err_fee_invalid",
            "err_days_invalid",
            "err_url_invalid",
            "err_code_invalid",
            "err_code_taken",
            "err_password_wrong",
        ] {
            for l in Locale::ALL {
                assert!(
                    error_message(l, code).is_some(),
                    "{code} has no message in {l:?}"
                );
            }
        }
    }
}
