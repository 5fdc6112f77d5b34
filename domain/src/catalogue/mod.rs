//! The service catalogue: departments, categories, life events and services, and the search that
//! finds a service for a person who does not know which office runs it.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub use store::*;

/// How near (pg_trgm similarity, 0–1) a catalogue word must be to a query word to count as a
/// spelling of it: "elecricity" ~ "electricity", "bil" ~ "bill".
pub const SPELLING_THRESHOLD_TEXT: &str = "0.4";

/// Lower-cased words, punctuation dropped, single spaces. Letters and marks of every script are
/// kept: Odia and Devanagari vowel signs are marks, and a query without them finds nothing.
pub fn normalise_query(input: &str) -> String {
    let cleaned: String = input
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || is_mark(c) {
                c
            } else {
                ' '
            }
        })
        .flat_map(|c| c.to_lowercase())
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Combining marks of the Indic scripts we serve (Devanagari, Odia), which `is_alphanumeric` does
/// not count.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0B01..=0x0B03 | 0x0B3C | 0x0B3E..=0x0B57 | 0x0B62..=0x0B63)
}

/// The query as typed plus each reading that a synonym gives it: with ("light bill",
/// "electricity bill"), "pay light bill" also searches "pay electricity bill". A phrase found as
/// whole words is replaced in place; a phrase the database found only nearly (a typo: "light bil")
/// adds its meaning as a reading of its own.
pub fn expand_synonyms(query: &str, synonyms: &[(String, String)]) -> Vec<String> {
    let mut readings = vec![query.to_string()];
    let padded = format!(" {query} ");
    for (phrase, means) in synonyms {
        let needle = format!(" {phrase} ");
        let reading = if padded.contains(&needle) {
            padded
                .replace(&needle, &format!(" {means} "))
                .trim()
                .to_string()
        } else {
            means.clone()
        };
        if !readings.contains(&reading) {
            readings.push(reading);
        }
    }
    readings
}

/// One word of a query and the catalogue words it may mean (itself, and near spellings found in
/// the vocabulary).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordMatches {
    pub word: String,
    pub terms: Vec<String>,
}

/// Quotes a lexeme for `to_tsquery`, so that a word can never be read as an operator.
fn ts_lexeme(term: &str) -> String {
    format!("'{}'", term.replace('\\', "\\\\").replace('\'', "''"))
}

/// The full-text query for the readings of a search. Within a reading every word must match
/// (`&`); a word matches any of its near spellings, or, from three letters on, any catalogue word
/// it begins ("pay" finds "payment"). Readings are alternatives (`|`). `all_words` = false asks
/// for any word instead, the fallback when no service has them all. None when nothing can match.
pub fn tsquery(readings: &[String], matches: &[WordMatches], all_words: bool) -> Option<String> {
    let alternatives = |word: &str| -> Option<String> {
        let mut alts: Vec<String> = Vec::new();
        if let Some(m) = matches.iter().find(|m| m.word == word) {
            alts.extend(m.terms.iter().map(|t| ts_lexeme(t)));
        }
        if word.chars().count() >= 3 {
            alts.push(format!("{}:*", ts_lexeme(word)));
        }
        alts.dedup();
        (!alts.is_empty()).then(|| format!("({})", alts.join(" | ")))
    };
    let joiner = if all_words { " & " } else { " | " };
    let parts: Vec<String> = readings
        .iter()
        .filter_map(|r| {
            let words: Vec<String> = r.split_whitespace().filter_map(alternatives).collect();
            (!words.is_empty()).then(|| format!("({})", words.join(joiner)))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" | "))
}

/// A service's address in the catalogue, from its English name.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(80).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplyMode {
    /// Applied for through Nagarik's own form.
    InApp,
    /// Applied for on the agency's own site; Nagarik guides and hands off.
    Handoff,
}

impl ApplyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyMode::InApp => "in_app",
            ApplyMode::Handoff => "handoff",
        }
    }
    pub fn parse(s: &str) -> ApplyMode {
        if s == "handoff" {
            ApplyMode::Handoff
        } else {
            ApplyMode::InApp
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_normalised_in_every_script() {
        assert_eq!(normalise_query("  Water-BILL!! "), "water bill");
        assert_eq!(normalise_query("ଜଳ  ବିଲ୍"), "ଜଳ ବିଲ୍");
        assert_eq!(normalise_query("पानी का बिल?"), "पानी का बिल");
    }

    #[test]
    fn synonyms_add_readings_on_whole_words() {
        let syn = [
            ("light bill".to_string(), "electricity bill".to_string()),
            ("bijli".to_string(), "electricity".to_string()),
            ("tax".to_string(), "holding tax".to_string()),
        ];
        // The store passes only the synonyms found in or near the query.
        assert_eq!(
            expand_synonyms("pay light bill", &syn[..1]),
            vec!["pay light bill", "pay electricity bill"]
        );
        assert_eq!(
            expand_synonyms("bijli bill", &syn[1..2]),
            vec!["bijli bill", "electricity bill"]
        );
        assert_eq!(
            expand_synonyms("pay tax", &syn[2..]),
            vec!["pay tax", "pay holding tax"]
        );
        assert_eq!(expand_synonyms("no synonyms", &[]), vec!["no synonyms"]);
        // A near match (the store found "light bill" for "light bil") adds the meaning alone.
        assert_eq!(
            expand_synonyms("light bil", &syn[..1]),
            vec!["light bil", "electricity bill"]
        );
    }

    #[test]
    fn tsquery_joins_words_and_their_near_spellings() {
        let readings = vec!["elecricity bil".to_string()];
        let matches = vec![
            WordMatches {
                word: "elecricity".into(),
                terms: vec!["electricity".into()],
            },
            WordMatches {
                word: "bil".into(),
                terms: vec!["bill".into(), "bil".into()],
            },
        ];
        assert_eq!(
            tsquery(&readings, &matches, true).unwrap(),
            "(('electricity' | 'elecricity':*) & ('bill' | 'bil' | 'bil':*))"
        );
        assert_eq!(
            tsquery(&readings, &matches, false).unwrap(),
            "(('electricity' | 'elecricity':*) | ('bill' | 'bil' | 'bil':*))"
        );
        // Two-letter words with no match in the vocabulary add nothing; quotes cannot escape.
        assert_eq!(tsquery(&["ab".to_string()], &[], true), None);
        assert_eq!(
            tsquery(&["it's".to_string()], &[], true).unwrap(),
            "(('it''s':*))"
        );
        assert_eq!(tsquery(&[], &[], true), None);
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Water Bill Payment (WATCO)"),
            "water-bill-payment-watco"
        );
        assert_eq!(slugify("  Trade licence -- new "), "trade-licence-new");
    }
}
