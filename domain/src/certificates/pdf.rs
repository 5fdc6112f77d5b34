//! A certificate as a PDF: one A4 page in the holder's language beside English (Odia and English
//! for English readers, as the city writes), with its QR code; set by `crate::pdf`.

use super::Claims;
use crate::applications::form::Words;
use crate::pdf::{
    beside_english, both, wrap, Pen, Weight, ACCENT, INK, MARGIN, MUTED, PAGE_H, PAGE_W, RED,
};
use crate::problem::Problem;
use crate::Locale;
use i18n::t;
use krilla::geom::{PathBuilder, Rect};
use krilla::page::PageSettings;
use krilla::Document;

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
