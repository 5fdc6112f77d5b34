//! IVRS: the category chosen on the keypad, the ward keyed in, the complaint recorded.

use super::{authorize, body, file, filing, mobile};
use crate::api::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::grievances::store::CategoryRef;
use domain::grievances::{Channel, FilingText};
use domain::problem::FieldError;
use domain::Locale;
use serde::Deserialize;
use uuid::Uuid;

/// A call as the IVRS passes it on.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct Ivrs {
    /// The caller's mobile number.
    #[schema(pattern = r"^[6-9][0-9]{9}$", example = "9876543210")]
    caller: String,
    /// The category's keypad code, as the IVRS menu offers it.
    #[schema(pattern = r"^[0-9]{1,3}$", example = "11")]
    keypad: String,
    /// The ward number keyed in.
    #[serde(default)]
    #[schema(pattern = r"^[0-9]{1,3}$", example = "12")]
    ward: Option<String>,
    /// Where the IVRS keeps the recorded complaint.
    #[schema(
        pattern = r"^https://[a-z0-9.-]+/[a-zA-Z0-9/._-]{1,200}$",
        example = "https://ivrs.example/rec/1.wav"
    )]
    recording_url: String,
    /// `en`, `or` or `hi`: the language of the call and of the replies.
    #[serde(default)]
    #[schema(example = "or")]
    language: Option<String>,
}

/// An IVRS call: the category chosen by keypad, the ward keyed in, the complaint recorded.
#[utoipa::path(post, path = "/api/v1/intake/ivrs", tag = "intake",
    request_body(content = Ivrs, content_type = "application/json"),
    responses(
        (status = 201, description = "A new grievance", body = super::Filed),
        (status = 200, description = "A repeat", body = super::Filed),
        crate::api::Refusals,
    ))]
pub(super) async fn ivrs(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let key = authorize(&state.pool, &headers, "ivrs").await?.key;
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
    let locale = call
        .language
        .as_deref()
        .and_then(Locale::from_code)
        .unwrap_or_default();
    let fields = FilingText {
        category_chosen: true,
        description: i18n::t::ivrs_description(locale).to_string(),
        ward: call.ward.unwrap_or_default(),
        contact_mobile: caller,
        ..FilingText::default()
    };
    let category = CategoryRef::Id(category.unwrap_or_default());
    let mut f = filing(Channel::Ivrs, category, fields, key, locale, problems, &[])?;
    f.provenance.recording_url = Some(url.to_string());
    file(&state.pool, f).await
}
