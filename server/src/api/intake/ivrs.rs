//! IVRS: the category chosen on the keypad, the ward keyed in, the complaint recorded.

use super::{authorize, body, file, filing, mobile};
use crate::api::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::grievances::Channel;
use domain::problem::FieldError;
use domain::Locale;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
struct Ivrs {
    caller: String,
    keypad: String,
    #[serde(default)]
    ward: Option<String>,
    recording_url: String,
    #[serde(default)]
    language: Option<String>,
}

/// An IVRS call: the category chosen by keypad, the ward keyed in, the complaint recorded.
pub(super) async fn ivrs(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let key = authorize(&state.pool, &headers, "ivrs").await?;
    let call: Ivrs = body(&headers, &bytes)?;
    let caller = mobile("caller", &call.caller)?;
    let mut problems = Vec::new();
    let category: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM grievance_categories WHERE keypad = $1")
            .bind(call.keypad.trim())
            .fetch_optional(&state.pool)
            .await
            .map_err(ApiError::unexpected)?;
    if category.is_none() {
        problems.push(FieldError::new("keypad", "err_category_required"));
    }
    let url = call.recording_url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 500 {
        problems.push(FieldError::new("recording_url", "err_url_invalid"));
    }
    let ward = match call
        .ward
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        Some(w) => match w.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(FieldError::new("ward", "err_ward_invalid"));
                None
            }
        },
        None => None,
    };
    if ward.is_none() && problems.is_empty() {
        problems.push(FieldError::new("ward", "err_place_required"));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    let locale = call
        .language
        .as_deref()
        .and_then(Locale::from_code)
        .unwrap_or_default();
    let mut f = filing(
        Channel::Ivrs,
        category.expect("checked"),
        i18n::t::ivrs_description(locale).to_string(),
        key,
    );
    f.ward = ward;
    f.recording_url = Some(url.to_string());
    f.contact_mobile = Some(caller);
    f.locale = locale;
    file(&state.pool, f).await
}
