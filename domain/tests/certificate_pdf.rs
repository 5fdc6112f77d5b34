//! A certificate's PDF as a reader sees it: rendered to an image (poppler's `pdftoppm`), its
//! Odia title drawn as HarfBuzz shapes it (`hb-view`, the reference shaper) — conjuncts joined
//! and vowel signs in place — and not as the letters one after another (HarfBuzz's fallback
//! shaper, no OpenType rules). `./dev test` installs both tools.

#![cfg(feature = "ssr")]

use domain::applications::form::Words;
use domain::certificates::pdf::{qr_text, render, Printable};
use domain::certificates::{code, code_in, link_for, Claims, Kind};
use domain::Locale;
use image::{GrayImage, Luma};
use std::path::Path;
use std::process::Command;

/// The Odia title of a birth certificate: ନ୍ମ, ପ୍ର and ତ୍ର are conjuncts, ା a vowel sign.
const TITLE: &str = "ଜନ୍ମ ପ୍ରମାଣପତ୍ର";
/// The page is rendered at 144 dpi: 2 pixels a point.
const SCALE: f32 = 2.0;

fn claims() -> Claims {
    Claims {
        number: "AP-26-0000045-1".into(),
        kind: Kind::Birth,
        issuer: "Bhubaneswar Municipal Corporation".into(),
        holder: "Deepak Sahu".into(),
        facts: vec![("Child's name".into(), "Subhashree Sahu".into())],
        issued_at: 1_796_083_200,
        valid_until: None,
    }
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?} (./dev test installs it): {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The smallest box holding every dark pixel of `img` within rows `top..bottom`.
fn ink(img: &GrayImage, top: u32, bottom: u32) -> GrayImage {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in top..bottom.min(img.height()) {
        for x in 0..img.width() {
            if img.get_pixel(x, y).0[0] < 128 {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    assert!(x0 <= x1, "no ink between rows {top} and {bottom}");
    image::imageops::crop_imm(img, x0, y0, x1 - x0 + 1, y1 - y0 + 1).to_image()
}

/// How much two drawings of ink overlap, once brought to one size: shared dark pixels over all
/// dark pixels (1: the same drawing).
fn overlap(a: &GrayImage, b: &GrayImage) -> f32 {
    let b = image::imageops::resize(
        b,
        a.width(),
        a.height(),
        image::imageops::FilterType::Triangle,
    );
    let dark = |p: &Luma<u8>| p.0[0] < 128;
    let (mut both, mut either) = (0u32, 0u32);
    for (pa, pb) in a.pixels().zip(b.pixels()) {
        both += u32::from(dark(pa) && dark(pb));
        either += u32::from(dark(pa) || dark(pb));
    }
    both as f32 / either as f32
}

fn aspect(img: &GrayImage) -> f32 {
    img.width() as f32 / img.height() as f32
}

/// `hb-view`'s drawing of the title in the certificate's bold Odia face, at the page's size.
fn reference(dir: &Path, shaper: Option<&str>) -> GrayImage {
    let font = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../assets/fonts/NotoSansOriya-Bold.ttf"
    );
    let out = dir.join(format!("reference-{}.png", shaper.unwrap_or("ot")));
    let mut cmd = Command::new("hb-view");
    cmd.arg(format!("--font-file={font}"))
        .arg(format!("--font-size={}", 24.0 * SCALE))
        .arg("--margin=16")
        .arg("--output-format=png")
        .arg(format!("--output-file={}", out.display()));
    if let Some(shaper) = shaper {
        cmd.arg(format!("--shapers={shaper}"));
    }
    run(cmd.arg(TITLE));
    let img = image::open(&out).unwrap().to_luma8();
    ink(&img, 0, img.height())
}

#[test]
fn the_odia_title_is_drawn_as_harfbuzz_shapes_it_not_letter_by_letter() {
    let dir = std::env::temp_dir().join(format!("nagarik-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let claims = claims();
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let link = link_for("https://nagarik.test", &code::sign(&claims, &key));
    let printable = Printable {
        claims: &claims,
        labels: vec![Words {
            en: "Child's name".into(),
            or: "ଶିଶୁର ନାମ".into(),
            hi: "बच्चे का नाम".into(),
        }],
        issuer: Words {
            en: "Bhubaneswar Municipal Corporation".into(),
            or: "ଭୁବନେଶ୍ୱର ମହାନଗର ନିଗମ".into(),
            hi: "भुवनेश्वर नगर निगम".into(),
        },
        link: link.clone(),
        revoked: false,
    };
    let pdf = render(&printable, Locale::Or).unwrap();
    // the fonts travel inside it (subset), so any reader draws it alike
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/FontFile2") || text.contains("/FontFile3"),
        "no embedded font"
    );
    let path = dir.join("certificate.pdf");
    std::fs::write(&path, &pdf).unwrap();
    run(Command::new("pdftoppm")
        .args(["-r", "144", "-gray", "-png", "-singlefile"])
        .arg(&path)
        .arg(dir.join("page")));
    let page = image::open(dir.join("page.png")).unwrap().to_luma8();
    assert_eq!(page.width(), (595.0 * SCALE).round() as u32);

    // the Odia title's line: its baseline 140 pt down the page, 24 pt tall
    let ours = ink(&page, (110.0 * SCALE) as u32, (152.0 * SCALE) as u32);
    let shaped = reference(&dir, None);
    let letters = reference(&dir, Some("fallback"));
    let (like_shaped, like_letters) = (overlap(&ours, &shaped), overlap(&ours, &letters));
    assert!(
        like_shaped > 0.7,
        "the title does not look as HarfBuzz draws it: {like_shaped:.2} overlap"
    );
    assert!(
        like_shaped > like_letters + 0.1,
        "shaped {like_shaped:.2}, letter by letter {like_letters:.2}"
    );
    // and it is as wide as the shaped line, not the letters side by side
    let (a, s, u) = (aspect(&ours), aspect(&shaped), aspect(&letters));
    assert!((a - s).abs() / s < 0.06, "{a:.2} against {s:.2}");
    assert!(
        (u - s).abs() / s > 0.1,
        "the fallback shaper drew the same line: {u:.2} against {s:.2}"
    );

    // its QR code, read off the page as a camera would, is the link, and the code verifies
    let mut scanned = rqrr::PreparedImage::prepare(page);
    let grids = scanned.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, content) = grids[0].decode().expect("the QR code reads");
    assert_eq!(content, qr_text(&link));
    let opened = code::open(&code_in(&content).unwrap()).unwrap();
    assert_eq!(opened.claims, claims);
    assert!(opened.signed_by(&key.verifying_key()));
    std::fs::remove_dir_all(&dir).ok();
}
