use serde::{Deserialize, Serialize};

/// The languages Nagarik speaks. English is the fallback for content not yet translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    En,
    Or,
    Hi,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Or, Locale::Hi];

    /// The BCP 47 code, used in `lang` attributes, cookies and the database.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Or => "or",
            Locale::Hi => "hi",
        }
    }

    /// The language's own name, shown in the language switch whatever the page's language.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Or => "ଓଡ଼ିଆ",
            Locale::Hi => "हिन्दी",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Locale::En),
            "or" | "od" => Some(Locale::Or),
            "hi" => Some(Locale::Hi),
            _ => None,
        }
    }

    /// The first supported language in an `Accept-Language` header, by the client's order of
    /// preference (q values), else English.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let primary = tag.split('-').next().unwrap_or("");
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if let Some(locale) = Locale::from_code(primary) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, locale));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(
            Locale::from_accept_language("or-IN,or;q=0.9,en;q=0.8"),
            Locale::Or
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR, hi;q=0.7, en;q=0.5"),
            Locale::Hi
        );
        assert_eq!(Locale::from_accept_language("de"), Locale::En);
        assert_eq!(Locale::from_accept_language(""), Locale::En);
    }

    #[test]
    fn codes_round_trip() {
        for l in Locale::ALL {
            assert_eq!(Locale::from_code(l.code()), Some(l));
        }
    }
}
