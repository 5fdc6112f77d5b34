//! A certificate as a PDF: one A4 page in the holder's language beside English (Odia and English
//! for English readers, as the city writes), with its QR code. Text is shaped (HarfBuzz's rules,
//! by rustybuzz, through krilla) so Odia's conjuncts and vowel signs and Hindi's are drawn as they
//! are written, and the fonts (Noto, under the OFL) are embedded, subset to what the page uses.
//! A line that mixes scripts is drawn in runs, each in the font for its script.

use super::Claims;
use crate::applications::form::Words;
use crate::problem::Problem;
use crate::Locale;
use i18n::t;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Data, Document};
use std::sync::LazyLock;

/// What a certificate's PDF shows.
pub struct Printable<'a> {
    pub claims: &'a Claims,
    /// each fact's label in three languages, as `claims.facts` orders them
    pub labels: Vec<Words>,
    pub issuer: Words,
    /// the link its QR code holds
    pub link: String,
    pub revoked: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Odia,
    Devanagari,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

struct Face {
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
        LazyLock::new(|| Face::new(include_bytes!(concat!("../../../assets/fonts/", $file))))
    };
}

static LATIN: LazyLock<Face> = font!("NotoSans-Regular.ttf");
static LATIN_BOLD: LazyLock<Face> = font!("NotoSans-Bold.ttf");
static ODIA: LazyLock<Face> = font!("NotoSansOriya-Regular.ttf");
static ODIA_BOLD: LazyLock<Face> = font!("NotoSansOriya-Bold.ttf");
static DEVANAGARI: LazyLock<Face> = font!("NotoSansDevanagari-Regular.ttf");
static DEVANAGARI_BOLD: LazyLock<Face> = font!("NotoSansDevanagari-Bold.ttf");

fn face(script: Script, weight: Weight) -> &'static Face {
    match (script, weight) {
        (Script::Latin, Weight::Regular) => &LATIN,
        (Script::Latin, Weight::Bold) => &LATIN_BOLD,
        (Script::Odia, Weight::Regular) => &ODIA,
        (Script::Odia, Weight::Bold) => &ODIA_BOLD,
        (Script::Devanagari, Weight::Regular) => &DEVANAGARI,
        (Script::Devanagari, Weight::Bold) => &DEVANAGARI_BOLD,
    }
}

fn script_of(c: char) -> Option<Script> {
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
fn runs(text: &str) -> Vec<(Script, &str)> {
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
fn run_width(face: &Face, text: &str, size: f32) -> f32 {
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

fn width(text: &str, weight: Weight, size: f32) -> f32 {
    runs(text)
        .into_iter()
        .map(|(s, run)| run_width(face(s, weight), run, size))
        .sum()
}

struct Pen<'s, 'p> {
    surface: &'s mut Surface<'p>,
}

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const INK: (u8, u8, u8) = (0x1a, 0x1a, 0x1a);
const MUTED: (u8, u8, u8) = (0x55, 0x55, 0x55);
const ACCENT: (u8, u8, u8) = (0x0b, 0x4f, 0x8a);
const RED: (u8, u8, u8) = (0xb0, 0x1e, 0x1e);

impl Pen<'_, '_> {
    fn colour(&mut self, (r, g, b): (u8, u8, u8)) {
        self.surface.set_fill(Some(Fill {
            paint: rgb::Color::new(r, g, b).into(),
            ..Fill::default()
        }));
    }

    /// Draws one line from `x` on the baseline `y`; answers where it ended.
    fn text(&mut self, x: f32, y: f32, text: &str, weight: Weight, size: f32) -> f32 {
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

    fn centred(&mut self, y: f32, text: &str, weight: Weight, size: f32) {
        let x = (PAGE_W - width(text, weight, size)) / 2.0;
        self.text(x.max(MARGIN), y, text, weight, size);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
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
fn wrap(text: &str, weight: Weight, size: f32, max: f32) -> Vec<String> {
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
fn beside_english(locale: Locale) -> Locale {
    match locale {
        Locale::Hi => Locale::Hi,
        _ => Locale::Or,
    }
}

/// Words in the language beside English, then English ("ପ୍ରମାଣପତ୍ର / Certificate"); once if
/// they are the same.
fn both(words: impl Fn(Locale) -> String, other: Locale) -> String {
    let (theirs, en) = (words(other), words(Locale::En));
    if theirs.trim().is_empty() || theirs == en {
        en
    } else {
        format!("{theirs} / {en}")
    }
}

/// The link as the QR code holds it: in capitals up to the code, so the whole link fits QR's
/// compact alphanumeric mode (the server answers `/VERIFY` too).
pub fn qr_text(link: &str) -> String {
    match link.split_once('#') {
        Some((page, code)) => format!("{}#{code}", page.to_uppercase()),
        None => link.to_string(),
    }
}

fn qr(link: &str) -> Result<qrcode::QrCode, Problem> {
    qrcode::QrCode::with_error_correction_level(qr_text(link).as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Problem::Unexpected(format!("the QR code: {e}").into()))
}

/// The QR code holding `link`, as SVG (for the certificate's page).
pub fn qr_svg(link: &str) -> Result<String, Problem> {
    Ok(qr(link)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// Renders the certificate's PDF for a reader of `locale`.
pub fn render(p: &Printable<'_>, locale: Locale) -> Result<Vec<u8>, Problem> {
    let other = beside_english(locale);
    let c = p.claims;
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(format!("{} {}", c.kind.title(Locale::En), c.number))
            .language(format!("{}-IN", other.code()))
            .creator("Nagarik".into()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| Problem::unexpected("an A4 page is a page"))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut pen = Pen {
        surface: &mut surface,
    };

    // the issuer, the title and the number
    pen.colour(ACCENT);
    pen.rect(MARGIN, 40.0, PAGE_W - 2.0 * MARGIN, 4.0);
    let mut y = 78.0;
    for (language, size) in [(other, 15.0), (Locale::En, 13.0)] {
        pen.centred(y, p.issuer.get(language), Weight::Bold, size);
        y += 22.0;
    }
    y += 18.0;
    pen.colour(INK);
    pen.centred(y, c.kind.title(other), Weight::Bold, 24.0);
    y += 30.0;
    pen.centred(y, c.kind.title(Locale::En), Weight::Bold, 20.0);
    y += 30.0;
    pen.colour(MUTED);
    let number = format!(
        "{}: {}",
        both(|l| t::certificate_number(l).into(), other),
        c.number
    );
    pen.centred(y, &number, Weight::Regular, 11.0);
    y += 14.0;
    if p.revoked {
        pen.colour(RED);
        y += 10.0;
        pen.centred(
            y,
            &both(|l| t::certificate_revoked_stamp(l).into(), other),
            Weight::Bold,
            18.0,
        );
        y += 10.0;
    }
    pen.colour(ACCENT);
    pen.rect(MARGIN, y + 6.0, PAGE_W - 2.0 * MARGIN, 0.8);
    y += 36.0;

    // what it certifies: each label in both languages, its value beneath
    let mut rows: Vec<(String, String)> = vec![(
        both(|l| t::certificate_issued_to(l).into(), other),
        c.holder.clone(),
    )];
    for ((_, value), label) in c.facts.iter().zip(&p.labels) {
        rows.push((both(|l| label.get(l).to_string(), other), value.clone()));
    }
    rows.push((
        both(|l| t::certificate_issued_on(l).into(), other),
        super::store::day_of(c.issued_at),
    ));
    if let Some(until) = c.valid_until {
        rows.push((
            both(|l| t::certificate_valid_until(l).into(), other),
            super::store::day_of(until),
        ));
    }
    let column = PAGE_W - 2.0 * MARGIN;
    for (label, value) in rows {
        pen.colour(MUTED);
        for line in wrap(&label, Weight::Regular, 10.0, column) {
            pen.text(MARGIN, y, &line, Weight::Regular, 10.0);
            y += 14.0;
        }
        pen.colour(INK);
        for line in wrap(&value, Weight::Bold, 13.0, column) {
            pen.text(MARGIN, y + 2.0, &line, Weight::Bold, 13.0);
            y += 18.0;
        }
        y += 10.0;
    }

    // the QR code and how to check it
    let qr = qr(&p.link)?;
    let modules = qr.width();
    let side = 170.0_f32;
    let module = side / modules as f32;
    let (qx, qy) = (PAGE_W - MARGIN - side, (PAGE_H - 60.0 - side).max(y));
    pen.colour(INK);
    // each row's dark modules as runs, a hair taller than a module, so no light seam shows
    // between rows when a reader smooths the edges (a scanner reads seams as light modules)
    let colours = qr.to_colors();
    let mut path = PathBuilder::new();
    for (row, cells) in colours.chunks(modules).enumerate() {
        let mut x = 0;
        while x < modules {
            if cells[x] != qrcode::Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < modules && cells[x] == qrcode::Color::Dark {
                x += 1;
            }
            let (rx, ry) = (qx + start as f32 * module, qy + row as f32 * module);
            let height = if row + 1 < modules {
                module * 1.15
            } else {
                module
            };
            if let Some(r) = Rect::from_xywh(rx, ry, (x - start) as f32 * module, height) {
                path.push_rect(r);
            }
        }
    }
    if let Some(path) = path.finish() {
        pen.surface.draw_path(&path);
    }
    pen.colour(MUTED);
    let mut ty = qy + 14.0;
    let scan = both(|l| t::certificate_scan_to_verify(l).into(), other);
    for line in wrap(&scan, Weight::Regular, 10.0, column - side - 20.0) {
        pen.text(MARGIN, ty, &line, Weight::Regular, 10.0);
        ty += 14.0;
    }
    let page_link = p.link.split('#').next().unwrap_or_default();
    pen.text(MARGIN, ty + 4.0, page_link, Weight::Regular, 10.0);

    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| Problem::Unexpected(format!("the PDF: {e:?}").into()))
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
