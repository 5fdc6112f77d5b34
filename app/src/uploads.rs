//! What a multipart form brings: its text fields and its files, read within bounds (a
//! grievance's photos, a locker document); the photos checked and re-encoded off the request
//! threads, a bounded number at a time.

use crate::request;
use domain::grievances as rules;
use domain::problem::FieldError;
use leptos::prelude::ServerFnError;

/// The longest text field read from a multipart form (10,000 characters of any script).
const FIELD_MAX_BYTES: usize = 40_000;

/// What a multipart form carried: its text fields (by name) and its `file_field` parts (or
/// `too_big`, for one over `max_bytes`). Bounded: 40 parts, 10,000 characters a field,
/// `max_bytes` a file, and the whole body by `request::body_guard`.
pub(crate) async fn read_multipart(
    data: leptos::server_fn::codec::MultipartData,
    file_field: &str,
    max_bytes: usize,
    too_big_code: &'static str,
) -> Result<
    (
        serde_json::Map<String, serde_json::Value>,
        Vec<Result<Vec<u8>, &'static str>>,
    ),
    ServerFnError,
> {
    fn bad(_: impl std::fmt::Display) -> ServerFnError {
        request::set_status(http::StatusCode::BAD_REQUEST);
        ServerFnError::new("unreadable form")
    }
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| ServerFnError::new("no form"))?;
    let mut fields = serde_json::Map::new();
    let mut uploads = Vec::new();
    let mut count = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        count += 1;
        if count > 40 {
            return Err(bad("too many fields"));
        }
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            let mut bytes = Vec::new();
            let mut too_big = false;
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if bytes.len() + chunk.len() > max_bytes {
                    too_big = true;
                } else {
                    bytes.extend_from_slice(&chunk);
                }
            }
            // an empty file input still sends a part with no name and no bytes
            if too_big {
                uploads.push(Err(too_big_code));
            } else if !bytes.is_empty() {
                uploads.push(Ok(bytes));
            }
        } else {
            // Read in chunks, so a field far longer than any form sends is refused unread.
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if bytes.len() + chunk.len() > FIELD_MAX_BYTES {
                    return Err(bad("field too long"));
                }
                bytes.extend_from_slice(&chunk);
            }
            let text = String::from_utf8_lossy(&bytes);
            fields.insert(
                name,
                serde_json::Value::String(text.chars().take(10_000).collect()),
            );
        }
    }
    Ok((fields, uploads))
}

/// Checks and re-encodes the photos off the request threads (decoding is CPU work).
pub(crate) async fn prepare_photos(
    uploads: Vec<Result<Vec<u8>, &'static str>>,
) -> Result<Result<Vec<rules::photos::Photo>, FieldError>, ServerFnError> {
    if uploads.len() > rules::photos::MAX_PHOTOS {
        return Ok(Err(FieldError::new("photos", "err_too_many_photos")));
    }
    // Decoding a photo takes a core and up to a hundred megabytes: two at a time per instance.
    static IMAGE_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let _turn = IMAGE_WORK.acquire().await.map_err(request::unexpected)?;
    tokio_blocking(move || {
        let mut photos = Vec::new();
        for upload in uploads {
            match upload.and_then(|bytes| rules::photos::prepare(&bytes)) {
                Ok(p) => photos.push(p),
                Err(code) => return Err(FieldError::new("photos", code)),
            }
        }
        Ok(photos)
    })
    .await
}

async fn tokio_blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServerFnError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(request::unexpected)
}
