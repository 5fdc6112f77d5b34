//! Typesetting for the PDFs the city issues (certificates, receipts): A4 pages of text in
//! English, Odia and Hindi. Text is shaped (HarfBuzz's rules, by rustybuzz, through krilla) so
//! Odia's conjuncts and vowel signs and Hindi's are drawn as they are written, and the fonts
//! (Noto, under the OFL) are embedded, subset to what the page uses. A line that mixes scripts
//! is drawn in runs, each in the font for its script.

use crate::Locale;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Data;
use std::sync::LazyLock;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Script {
    Latin,
    Odia,
    Devanagari,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

pub struct Face {
    data: &'static [u8],
    font: Font,
    units_per_em: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        let font = Font::new(Data::from(data), 0).expect("an embedded font reads");
        let units_per_em = font.units_per_em();
        Face {
            data,
            font,
            units_per_em,
        }
    }
}

macro_rules! font {
    ($file:literal) => {
        LazyLock::new(|| Face::new(include_bytes!(concat!("../../assets/fonts/", $file))))
    };
}

pub static LATIN: LazyLock<Face> = font!("NotoSans-Regular.ttf");
static LATIN_BOLD: LazyLock<Face> = font!("NotoSans-Bold.ttf");
pub static ODIA: LazyLock<Face> = font!("NotoSansOriya-Regular.ttf");
static ODIA_BOLD: LazyLock<Face> = font!("NotoSansOriya-Bold.ttf");
static DEVANAGARI: LazyLock<Face> = font!("NotoSansDevanagari-Regular.ttf");
static DEVANAGARI_BOLD: LazyLock<Face> = font!("NotoSansDevanagari-Bold.ttf");

pub fn face(script: Script, weight: Weight) -> &'static Face {
    match (script, weight) {
        (Script::Latin, Weight::Regular) => &LATIN,
        (Script::Latin, Weight::Bold) => &LATIN_BOLD,
        (Script::Odia, Weight::Regular) => &ODIA,
        (Script::Odia, Weight::Bold) => &ODIA_BOLD,
        (Script::Devanagari, Weight::Regular) => &DEVANAGARI,
        (Script::Devanagari, Weight::Bold) => &DEVANAGARI_BOLD,
    }
}

pub fn script_of(c: char) -> Option<Script> {
    match c {
        '\u{0B00}'..='\u{0B7F}' => Some(Script::Odia),
        // the dandas are Devanagari's, and Odia writes them too
        '\u{0900}'..='\u{0963}' | '\u{0966}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' => {
            Some(Script::Devanagari)
        }
        c if c.is_alphabetic() => Some(Script::Latin),
        // spaces, digits and punctuation go with the run they are in
        _ => None,
    }
}

/// The text in runs of one script each.
pub fn runs(text: &str) -> Vec<(Script, &str)> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut current: Option<Script> = None;
    for (i, c) in text.char_indices() {
        if let Some(s) = script_of(c) {
            match current {
                Some(cur) if cur != s => {
                    runs.push((cur, &text[start..i]));
                    start = i;
                    current = Some(s);
                }
                None => current = Some(s),
                _ => {}
            }
        }
    }
    if start < text.len() {
        runs.push((current.unwrap_or(Script::Latin), &text[start..]));
    }
    runs
}

/// How wide a run is, shaped as it will be drawn.
pub fn run_width(face: &Face, text: &str, size: f32) -> f32 {
    let Some(shaper) = rustybuzz::Face::from_slice(face.data, 0) else {
        return 0.0;
    };
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(&shaper, &[], buffer);
    let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
    units as f32 * size / face.units_per_em
}

pub fn width(text: &str, weight: Weight, size: f32) -> f32 {
    runs(text)
        .into_iter()
        .map(|(s, run)| run_width(face(s, weight), run, size))
        .sum()
}

pub struct Pen<'s, 'p> {
    pub surface: &'s mut Surface<'p>,
}

pub const PAGE_W: f32 = 595.0;
pub const PAGE_H: f32 = 842.0;
pub const MARGIN: f32 = 56.0;
pub const INK: (u8, u8, u8) = (0x1a, 0x1a, 0x1a);
pub const MUTED: (u8, u8, u8) = (0x55, 0x55, 0x55);
pub const ACCENT: (u8, u8, u8) = (0x0b, 0x4f, 0x8a);
pub const RED: (u8, u8, u8) = (0xb0, 0x1e, 0x1e);

impl Pen<'_, '_> {
    pub fn colour(&mut self, (r, g, b): (u8, u8, u8)) {
        self.surface.set_fill(Some(Fill {
            paint: rgb::Color::new(r, g, b).into(),
            ..Fill::default()
        }));
    }

    /// Draws one line from `x` on the baseline `y`; answers where it ended.
    pub fn text(&mut self, x: f32, y: f32, text: &str, weight: Weight, size: f32) -> f32 {
        let mut x = x;
        for (script, run) in runs(text) {
            let face = face(script, weight);
            self.surface.draw_text(
                Point::from_xy(x, y),
                face.font.clone(),
                size,
                run,
                false,
                TextDirection::LeftToRight,
            );
            x += run_width(face, run, size);
        }
        x
    }

    pub fn centred(&mut self, y: f32, text: &str, weight: Weight, size: f32) {
        let x = (PAGE_W - width(text, weight, size)) / 2.0;
        self.text(x.max(MARGIN), y, text, weight, size);
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let mut path = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(x, y, w, h) {
            path.push_rect(r);
        }
        if let Some(path) = path.finish() {
            self.surface.draw_path(&path);
        }
    }
}

/// Breaks `text` into lines no wider than `max` (at spaces; a word wider than that stands alone).
pub fn wrap(text: &str, weight: Weight, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && width(&candidate, weight, size) > max {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// The language beside English: the holder's own, or Odia for one who reads English.
pub fn beside_english(locale: Locale) -> Locale {
    match locale {
        Locale::Hi => Locale::Hi,
        _ => Locale::Or,
    }
}

/// Words in the language beside English, then English ("ପ୍ରମାଣପତ୍ର / Certificate"); once if
/// they are the same.
pub fn both(words: impl Fn(Locale) -> String, other: Locale) -> String {
    let (theirs, en) = (words(other), words(Locale::En));
    if theirs.trim().is_empty() || theirs == en {
        en
    } else {
        format!("{theirs} / {en}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_cut_into_runs_of_one_script() {
        assert_eq!(
            runs("ପ୍ରମାଣପତ୍ର / Certificate 12"),
            vec![
                (Script::Odia, "ପ୍ରମାଣପତ୍ର / "),
                (Script::Latin, "Certificate 12")
            ]
        );
        assert_eq!(
            runs("प्रमाणपत्र, AP-26"),
            vec![(Script::Devanagari, "प्रमाणपत्र, "), (Script::Latin, "AP-26")]
        );
        assert_eq!(runs("12-03-2026"), vec![(Script::Latin, "12-03-2026")]);
        assert!(runs("").is_empty());
    }

    #[test]
    fn shaping_joins_a_conjunct_into_fewer_glyphs_than_its_letters() {
        // ପ୍ର: pa, virama, ra — one conjunct as written, so narrower than its letters side by side
        let shaped = run_width(&ODIA, "ପ୍ର", 20.0);
        let apart: f32 = ["ପ", "୍", "ର"]
            .iter()
            .map(|c| run_width(&ODIA, c, 20.0))
            .sum();
        assert!(shaped > 0.0 && shaped < apart * 0.8, "{shaped} {apart}");
    }

    #[test]
    fn long_values_wrap_within_the_column() {
        let text =
            "Plot 12, Saheed Nagar, near the Ram Mandir, Bhubaneswar, Khordha, Odisha 751007";
        let lines = wrap(text, Weight::Bold, 13.0, 200.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, Weight::Bold, 13.0) <= 200.0));
        assert_eq!(lines.join(" "), text);
    }
}
