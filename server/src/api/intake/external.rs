//! External systems (e-Abhijog, Jana Sampark, e-Municipality): the key names the system, and the
//! system's reference is kept, so that a repeat answers with the grievance already made.

use super::{authorize, body, file, filing};
use crate::api::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::grievances::intake;
use domain::grievances::Channel;
use domain::identity::MobileNumber;
use domain::problem::FieldError;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
struct External {
    /// Optional: the key names the system; a different one here is refused.
    #[serde(default)]
    system: String,
    reference: String,
    category: String,
    description: String,
    #[serde(default)]
    ward: Option<i32>,
    #[serde(default)]
    landmark: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    latitude: Option<f64>,
    #[serde(default)]
    longitude: Option<f64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    mobile: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

/// A grievance from another system (e-Abhijog, Jana Sampark, e-Municipality): its reference is
/// kept; sending the same reference again answers with the grievance already made (200).
pub(super) async fn external(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let key = authorize(&state.pool, &headers, "external").await?;
    // The key is bound to one system: its filings are that system's references, whatever the
    // body says, so one system's key cannot squat another's references.
    let system = intake::key_system(&state.pool, key)
        .await
        .map_err(ApiError::unexpected)?
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
    let contact_mobile = match g.mobile.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => match MobileNumber::parse(m) {
            Ok(m) => Some(m.as_str().to_string()),
            Err(_) => {
                problems.push(FieldError::new("mobile", "err_mobile_invalid"));
                None
            }
        },
        None => None,
    };
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    let mut f = filing(
        Channel::External,
        Uuid::nil(),
        g.description.trim().to_string(),
        key,
    );
    f.category_slug = Some(slug);
    f.ward = g.ward;
    f.landmark = g.landmark;
    f.address = g.address;
    f.latitude = g.latitude;
    f.longitude = g.longitude;
    f.contact_name = g.name;
    f.contact_mobile = contact_mobile;
    f.contact_email = g
        .email
        .and_then(|e| domain::identity::EmailAddress::parse(&e).ok())
        .map(|e| e.as_str().to_string());
    f.external = Some((system, reference));
    file(&state.pool, f).await
}
