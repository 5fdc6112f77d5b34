//! Photos of a grievance (up to three when filing, one with a resolution): checked by their
//! content, not their name; decoded within limits; scaled down; re-encoded as JPEG, which also
//! drops every piece of metadata a phone writes into a photo (its GPS position among them).

use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// The most photos one filing carries.
pub const MAX_PHOTOS: usize = 3;
/// The largest upload accepted, per photo.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// The longest side kept: enough to see a pothole, small enough for a cheap phone's data.
pub const MAX_SIDE: u32 = 1600;

/// A photo ready to store: always a JPEG.
#[derive(Clone, Debug)]
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// SHA-256 of the stored JPEG, recorded in the history entry it came with.
    pub sha256: Vec<u8>,
}

/// Checks, scales and re-encodes an upload; the error is a translation key.
pub fn prepare(bytes: &[u8]) -> Result<Photo, &'static str> {
    if bytes.len() > MAX_BYTES {
        return Err("err_photo_too_big");
    }
    // What the bytes are, whatever the file was called or claimed to be.
    let format = image::guess_format(bytes).map_err(|_| "err_photo_type")?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err("err_photo_type");
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| "err_photo_unreadable")?;
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let rgb = image.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&rgb)
        .map_err(|_| "err_photo_unreadable")?;
    Ok(Photo {
        sha256: Sha256::digest(&jpeg).to_vec(),
        width: rgb.width(),
        height: rgb.height(),
        jpeg,
    })
}

/// The photos' SHA-256, hex, comma-separated: the fact the history entry they came with
/// chains as `photos`, so a swapped photo shows in the audit check. Empty without photos.
pub fn fact(photos: &[Photo]) -> String {
    let hashes: Vec<String> = photos
        .iter()
        .map(|p| p.sha256.iter().map(|b| format!("{b:02x}")).collect())
        .collect();
    hashes.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn photos_become_small_jpegs() {
        let p = prepare(&png(3200, 1200)).unwrap();
        assert_eq!((p.width, p.height), (1600, 600));
        assert_eq!(&p.jpeg[..3], &[0xFF, 0xD8, 0xFF]);
        let small = prepare(&png(640, 480)).unwrap();
        assert_eq!((small.width, small.height), (640, 480));
    }

    #[test]
    fn only_images_by_their_content() {
        assert_eq!(
            prepare(b"<html><script>alert(1)</script></html>").unwrap_err(),
            "err_photo_type"
        );
        assert_eq!(
            prepare(b"GIF89a\x01\x00\x01\x00").unwrap_err(),
            "err_photo_type"
        );
        // a PNG signature over garbage is not a picture
        let mut broken = png(10, 10);
        broken.truncate(30);
        assert_eq!(prepare(&broken).unwrap_err(), "err_photo_unreadable");
        assert_eq!(
            prepare(&vec![0u8; MAX_BYTES + 1]).unwrap_err(),
            "err_photo_too_big"
        );
    }
}
