//! A new service request: the key, the form as the spec defines it, and the filing.

use super::format::{
    bad_suffix, error, opt, problem, respond, split, text, unexpected, Format, Node,
};
use super::requests::notice;
use super::services::leaf_services;
use crate::api::intake;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use domain::grievances::store::{self, CategoryRef, Filing};
use domain::grievances::{Channel, FilingText, DESCRIPTION_MAX, LANDMARK_MAX, NAME_MAX};
use domain::identity::{EmailAddress, MobileNumber};
use domain::Locale;
use time::OffsetDateTime;

pub(super) async fn post_resource(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some((name, format)) = split(&resource) else {
        return bad_suffix();
    };
    if name != "requests" {
        return error(StatusCode::NOT_FOUND, format, "no such resource");
    }
    let form: Vec<(String, String)> = match serde_urlencoded::from_bytes(&bytes) {
        Ok(f) => f,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                format,
                "the body must be application/x-www-form-urlencoded",
            )
        }
    };
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let key = match key_of(&state, &headers, get("api_key"), format).await {
        Ok(k) => k,
        Err(refused) => return *refused,
    };
    let Some(code) = get("service_code") else {
        return error(
            StatusCode::BAD_REQUEST,
            format,
            "service_code was not provided",
        );
    };
    let services = match leaf_services(&state).await {
        Ok(l) => l,
        Err(e) => return unexpected(format, e),
    };
    let Some((category, _)) = services.iter().find(|(c, _)| c.slug == code) else {
        return error(StatusCode::NOT_FOUND, format, "service_code not found");
    };
    let filing = match filing(&get, category, key) {
        Ok(f) => f,
        Err(message) => return error(StatusCode::BAD_REQUEST, format, &message),
    };
    match store::file(&state.pool, filing, OffsetDateTime::now_utc()).await {
        Ok(filed) => {
            let notice = notice(&state, filed.id).await;
            respond(
                StatusCode::CREATED,
                format,
                "service_requests",
                Node::List(
                    "request",
                    vec![Node::Object(vec![
                        ("service_request_id", text(filed.number)),
                        ("service_notice", opt(notice)),
                        ("account_id", Node::Text(None)),
                    ])],
                ),
            )
        }
        Err(p) => problem(format, p),
    }
}

/// The open311 key the request carries, as the form field `api_key` (or, for convenience, the
/// usual `Authorization` header), or the spec's refusal: 403, or 429 with `Retry-After`.
async fn key_of(
    state: &AppState,
    headers: &HeaderMap,
    api_key: Option<&str>,
    format: Format,
) -> Result<uuid::Uuid, Box<Response>> {
    let mut key_headers = headers.clone();
    if let Some(k) = api_key {
        if let Ok(v) = format!("Bearer {k}").parse() {
            key_headers.insert(header::AUTHORIZATION, v);
        }
    }
    match intake::authorize(&state.pool, &key_headers, "open311").await {
        Ok(k) => Ok(k.key),
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => {
            let mut res = error(
                StatusCode::TOO_MANY_REQUESTS,
                format,
                "too many requests with this api_key: try again later",
            );
            if let Some(secs) = e.retry_after {
                res.headers_mut().insert(header::RETRY_AFTER, secs.into());
            }
            Err(Box::new(res))
        }
        Err(_) => Err(Box::new(error(
            StatusCode::FORBIDDEN,
            format,
            "missing or invalid api_key: ask a city admin for an open311 key",
        ))),
    }
}

/// The filing a request's form describes, read by the one parse every channel shares, or what
/// is wrong with it in the spec's words. Open311's own leniencies stay here at its edge: a
/// missing or short description is helped by the service's name, a long one (up to 4,000
/// characters) is shortened, and a contact this city cannot use (a phone that is not an Indian
/// mobile, an unreadable email) is left out, as the spec makes both optional.
fn filing<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    category: &store::Category,
    key: uuid::Uuid,
) -> Result<Filing, String> {
    let given = get("description").unwrap_or("");
    if given.chars().count() > 4000 {
        return Err("description is limited to 4,000 characters".into());
    }
    // Our records need a few words at least: the service's name stands in for a missing text.
    let description = if given.chars().count() >= domain::grievances::DESCRIPTION_MIN {
        given.to_string()
    } else {
        format!(
            "{}{}{}",
            category.name,
            if given.is_empty() { "" } else { ": " },
            given
        )
    };
    let usable = |k: &str, ok: fn(&str) -> bool| get(k).filter(|v| ok(v)).unwrap_or("").to_string();
    let fields = FilingText {
        category_chosen: true,
        description: description.chars().take(DESCRIPTION_MAX).collect(),
        ward: get("attribute[ward]").unwrap_or("").to_string(),
        landmark: get("attribute[landmark]")
            .unwrap_or("")
            .chars()
            .take(LANDMARK_MAX)
            .collect(),
        address: get("address_string").unwrap_or("").to_string(),
        latitude: get("lat").unwrap_or("").to_string(),
        longitude: get("long").unwrap_or("").to_string(),
        contact_name: [get("first_name"), get("last_name")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(NAME_MAX)
            .collect(),
        contact_mobile: usable("phone", |p| MobileNumber::parse(p).is_ok()),
        contact_email: usable("email", |e| EmailAddress::parse(e).is_ok()),
    };
    let checked = fields.parse().map_err(|problems| {
        let first = problems.first();
        match first.map(|p| (p.field.as_str(), p.code.as_str())) {
            Some(("location", _)) if get("lat").is_some() != get("long").is_some() => {
                "lat and long must both be sent, as decimal WGS84 degrees".into()
            }
            Some(("location", _)) => {
                "lat and long must be decimal WGS84 degrees: lat within ±90, long within ±180"
                    .into()
            }
            Some(("ward", "err_ward_invalid")) => {
                "attribute[ward] must be a ward number from the service definition".into()
            }
            Some(("ward", _)) if get("address_id").is_some() => {
                "address_id is not used here: send lat and long, or address_string".into()
            }
            Some(("ward", _)) => "a location is required: lat and long, or address_string".into(),
            Some(("address", _)) => "address_string is limited to 500 characters".into(),
            Some((field, code)) => format!(
                "{field}: {}",
                i18n::error_message(Locale::En, code).unwrap_or("invalid")
            ),
            None => "invalid request".into(),
        }
    })?;
    let mut f = Filing::new(
        Channel::External,
        CategoryRef::Id(category.id),
        checked,
        Locale::En,
    );
    f.provenance.intake_key_id = Some(key);
    f.provenance.media_url = get("media_url")
        .filter(|u| (u.starts_with("https://") || u.starts_with("http://")) && u.len() <= 500)
        .map(String::from);
    Ok(f)
}
