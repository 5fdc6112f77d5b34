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
/// The most pixels decoded (a 48-megapixel phone camera's photo is scaled on the phone first):
/// a small file can claim a huge picture, and decoding is what costs memory.
pub const MAX_PIXELS: u64 = 25_000_000;

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
    // Its size as its header states it, before a pixel is decoded.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| "err_photo_unreadable")?;
    if width as u64 * height as u64 > MAX_PIXELS {
        return Err("err_photo_too_many_pixels");
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(128 * 1024 * 1024);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| "err_photo_unreadable")?;
    // `thumbnail` averages in integers, without the float buffers of a filtered resize.
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.thumbnail(MAX_SIDE, MAX_SIDE)
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

    /// A PNG whose header claims `w` × `h` pixels, with no picture after it.
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = !0u32;
            for b in bytes {
                crc ^= *b as u32;
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(w.to_be_bytes());
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        // the header, then a first (empty) data chunk: a decoder reads up to it for the size
        for chunk in [ihdr, b"IDAT".to_vec()] {
            out.extend((chunk.len() as u32 - 4).to_be_bytes());
            out.extend(&chunk);
            out.extend(crc32(&chunk).to_be_bytes());
        }
        out
    }

    #[test]
    fn a_small_file_claiming_a_huge_picture_is_refused_before_it_is_decoded() {
        assert_eq!(
            prepare(&png_header(8000, 8000)).unwrap_err(),
            "err_photo_too_many_pixels"
        );
        // within the limit, the same header is read on and found to hold no picture
        assert_eq!(
            prepare(&png_header(4000, 3000)).unwrap_err(),
            "err_photo_unreadable"
        );
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
