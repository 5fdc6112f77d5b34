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

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect()
    }

    #[test]
    fn placeholders_survive_translation() {
        // A translation that drops "{name}" would show a sentence with a hole in it.
        let table = |code: &str| -> std::collections::BTreeMap<String, String> {
            let path = format!("{}/locales/{code}.json", env!("CARGO_MANIFEST_DIR"));
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        let en = table("en");
        for code in ["or", "hi"] {
            let other = table(code);
            for (key, text) in &en {
                assert_eq!(
                    placeholders(text),
                    placeholders(&other[key]),
                    "{code}: {key} has other placeholders than English"
                );
            }
        }
    }

    /// Every `"err_…"` code written anywhere in the domain or the app has a message in every
    /// language: found by reading the sources, so a new code cannot be forgotten here.
    #[test]
    fn every_error_code_in_the_code_has_a_message() {
        fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        sources(&root.join("src"), &mut texts);
        sources(&root.join("../domain/src"), &mut texts);
        let mut codes = BTreeSet::new();
        for text in &texts {
            for piece in text.split("\"err_").skip(1) {
                let code: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if piece[code.len()..].starts_with('"') && !code.is_empty() {
                    codes.insert(format!("err_{code}"));
                }
            }
        }
        assert!(codes.len() > 30, "found only {codes:?}");
        for code in codes {
            for l in Locale::ALL {
                assert!(
                    error_message(l, &code).is_some(),
                    "{code} has no message in {l:?}"
                );
            }
        }
    }
}
