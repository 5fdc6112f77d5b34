//! The translation layer as pages use it: the `i18n` crate's words and the page's language.

pub use ::i18n::{error_message, fill, t, Locale};
use leptos::prelude::*;

/// The page's language, provided once per request by the app root.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

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
        sources(&root.join("../server/src"), &mut texts);
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
