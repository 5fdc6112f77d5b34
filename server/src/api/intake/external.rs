//! External systems (e-Abhijog, Jana Sampark, e-Municipality): the key names the system, and the
//! system's reference is kept, so that a repeat answers with the grievance already made.

use super::{authorize, body, file, filing};
use crate::api::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::grievances::store::CategoryRef;
use domain::grievances::{Channel, FilingText};
use domain::problem::FieldError;
use domain::Locale;
use serde::Deserialize;

/// A grievance from another system.
#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct External {
    /// Optional: the key names the system; a different one here is refused.
    #[serde(default)]
    system: String,
    /// The system's own number for the complaint: sent again, it answers with the same grievance.
    #[schema(min_length = 1, max_length = 100, example = "EA-2026-0001")]
    reference: String,
    /// A category's slug, as the Open311 service list names it.
    #[schema(min_length = 2, max_length = 64, example = "pothole")]
    category: String,
    #[schema(
        min_length = 10,
        max_length = 2000,
        example = "A deep pothole near the bus stop"
    )]
    description: String,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 999, example = 12)]
    ward: Option<i32>,
    #[serde(default)]
    #[schema(max_length = 200)]
    landmark: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    address: String,
    #[serde(default)]
    #[schema(minimum = -90.0, maximum = 90.0)]
    latitude: Option<f64>,
    #[serde(default)]
    #[schema(minimum = -180.0, maximum = 180.0)]
    longitude: Option<f64>,
    #[serde(default)]
    #[schema(max_length = 120)]
    name: String,
    #[serde(default)]
    #[schema(pattern = r"^[6-9][0-9]{9}$", example = "9876543210")]
    mobile: Option<String>,
    #[serde(default)]
    #[schema(format = Email)]
    email: Option<String>,
}

/// A grievance from another system (e-Abhijog, Jana Sampark, e-Municipality): its reference is
/// kept; sending the same reference again answers with the grievance already made (200).
#[utoipa::path(post, path = "/api/v1/intake/external", tag = "intake",
    request_body(content = External, content_type = "application/json"),
    responses(
        (status = 201, description = "A new grievance", body = super::Filed),
        (status = 200, description = "A repeat of a reference already sent: its grievance", body = super::Filed),
        crate::api::Refusals,
    ))]
pub(super) async fn external(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let caller = authorize(&state.pool, &headers, "external").await?;
    let key = caller.key;
    // The key is bound to one system: its filings are that system's references, whatever the
    // body says, so one system's key cannot squat another's references.
    let system = caller
        .system
        .filter(|s| s.len() >= 2)
        .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "forbidden"))?;
    let g: External = body(&headers, &bytes)?;
    let mut problems = Vec::new();
    let named = g.system.trim().to_lowercase();
    if !named.is_empty() && named != system {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden"));
    }
    let reference = g.reference.trim().to_string();
    if reference.is_empty() || reference.len() > 100 {
        problems.push(FieldError::new("reference", "err_code_invalid"));
    }
    // The slug is looked up by the filing's plan query (an unknown one is named there).
    let slug = g.category.trim().to_string();
    if slug.is_empty() || slug.len() > 64 {
        problems.push(FieldError::new("category", "err_category_required"));
    }
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let fields = FilingText {
        category_chosen: true,
        description: g.description,
        ward: g.ward.map(|w| w.to_string()).unwrap_or_default(),
        landmark: g.landmark,
        address: g.address,
        latitude: number(g.latitude),
        longitude: number(g.longitude),
        contact_name: g.name,
        contact_mobile: g.mobile.unwrap_or_default(),
        contact_email: g.email.unwrap_or_default(),
    };
    let mut f = filing(
        Channel::External,
        CategoryRef::Slug(slug),
        fields,
        key,
        Locale::En,
        problems,
        &[
            ("contact_name", "name"),
            ("contact_mobile", "mobile"),
            ("contact_email", "email"),
            ("location", "latitude"),
        ],
    )?;
    f.provenance.external = Some((system, reference));
    file(&state.pool, f).await
}
