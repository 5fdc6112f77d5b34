//! A receipt as a PDF: one A4 page in the reader's language beside English (English alone for an
//! English reader), set by `crate::pdf` so Odia and Hindi are shaped as written.

use super::store::Receipt;
use crate::pdf::{both, wrap, Pen, Weight, ACCENT, INK, MARGIN, MUTED, PAGE_W};
use crate::problem::Problem;
use crate::Locale;
use i18n::t;
use krilla::page::PageSettings;
use krilla::Document;

/// What a receipt's PDF shows beyond the receipt itself: words the app chose in the reader's
/// language (what it paid for, how it was paid) and where its page is.
pub struct Printable<'a> {
    pub receipt: &'a Receipt,
    pub paid_for: String,
    pub method: Option<String>,
    pub date: String,
    pub link: String,
}

/// The page is half of A4's height: a receipt is short, and prints two to a sheet.
const PAGE_H: f32 = 421.0;

/// Renders the receipt's PDF for a reader of `locale`.
pub fn render(p: &Printable<'_>, locale: Locale) -> Result<Vec<u8>, Problem> {
    let r = p.receipt;
    // the reader's language beside English, or English alone
    let label = |words: fn(Locale) -> &'static str| {
        if locale == Locale::En {
            words(Locale::En).to_string()
        } else {
            both(|l| words(l).to_string(), locale)
        }
    };
    let title_words = if r.refund {
        t::receipt_refund_title
    } else {
        t::receipt_title
    };
    let title = i18n::fill(title_words(locale), &[("number", &r.number)]);
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.clone())
            .language(format!("{}-IN", locale.code()))
            .creator("Nagarik".into()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| Problem::unexpected("a receipt's page is a page"))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut pen = Pen {
        surface: &mut surface,
    };
    pen.colour(ACCENT);
    pen.rect(MARGIN, 30.0, PAGE_W - 2.0 * MARGIN, 4.0);
    let mut y = 62.0;
    pen.colour(INK);
    pen.text(MARGIN, y, &r.department, Weight::Bold, 14.0);
    y += 30.0;
    pen.text(MARGIN, y, &title, Weight::Bold, 20.0);
    if locale != Locale::En {
        y += 20.0;
        pen.colour(MUTED);
        let english = i18n::fill(title_words(Locale::En), &[("number", &r.number)]);
        pen.text(MARGIN, y, &english, Weight::Regular, 11.0);
    }
    y += 14.0;
    pen.colour(ACCENT);
    pen.rect(MARGIN, y, PAGE_W - 2.0 * MARGIN, 0.8);
    y += 26.0;

    let amount_label = if r.refund {
        t::receipt_refund_amount
    } else {
        t::receipt_amount
    };
    let mut rows = vec![
        (label(t::receipt_date), p.date.clone()),
        (label(t::receipt_paid_for), p.paid_for.clone()),
        (label(t::receipt_paid_to), r.department.clone()),
    ];
    if let Some(payer) = &r.payer_name {
        rows.push((label(t::receipt_paid_by), payer.clone()));
    }
    if let Some(method) = &p.method {
        rows.push((label(t::receipt_method), method.clone()));
    }
    if let Some(reference) = &r.gateway_reference {
        rows.push((label(t::receipt_reference), reference.clone()));
    }
    if let Some(of) = &r.of_receipt {
        rows.push((label(t::receipt_of_payment_label), of.clone()));
    }
    // the amount first and large; then the rest, label beside value
    pen.colour(MUTED);
    pen.text(MARGIN, y, &label(amount_label), Weight::Regular, 10.0);
    pen.colour(INK);
    pen.text(MARGIN, y + 26.0, &r.amount.to_string(), Weight::Bold, 24.0);
    y += 52.0;
    let (label_w, gap) = (170.0, 12.0);
    let value_w = PAGE_W - 2.0 * MARGIN - label_w - gap;
    for (label, value) in rows {
        let labels = wrap(&label, Weight::Regular, 9.5, label_w);
        let values = wrap(&value, Weight::Bold, 11.0, value_w);
        let lines = labels.len().max(values.len()).max(1);
        pen.colour(MUTED);
        for (i, line) in labels.iter().enumerate() {
            pen.text(MARGIN, y + i as f32 * 14.0, line, Weight::Regular, 9.5);
        }
        pen.colour(INK);
        for (i, line) in values.iter().enumerate() {
            pen.text(
                MARGIN + label_w + gap,
                y + i as f32 * 14.0,
                line,
                Weight::Bold,
                11.0,
            );
        }
        y += lines as f32 * 14.0 + 8.0;
    }
    pen.colour(MUTED);
    y = y.max(PAGE_H - 50.0);
    for line in wrap(
        &label(t::receipt_pdf_note),
        Weight::Regular,
        9.0,
        PAGE_W - 2.0 * MARGIN,
    ) {
        pen.text(MARGIN, y, &line, Weight::Regular, 9.0);
        y += 12.0;
    }
    pen.text(MARGIN, y, &p.link, Weight::Regular, 9.0);
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| Problem::Unexpected(format!("the PDF: {e:?}").into()))
}
