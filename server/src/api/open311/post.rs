//! A new service request: the key, the form as the spec defines it, and the filing.

use super::format::{bad_suffix, error, opt, problem, respond, split, text, unexpected, Node};
use super::requests::notice;
use super::services::leaf_services;
use crate::api::intake;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use domain::grievances::store::{self, Filing};
use domain::grievances::Channel;
use domain::problem::Problem;
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
    // The key comes as the form field api_key (or, for convenience, the usual header).
    let mut key_headers = headers.clone();
    if let Some(k) = get("api_key") {
        if let Ok(v) = format!("Bearer {k}").parse() {
            key_headers.insert(header::AUTHORIZATION, v);
        }
    }
    let key = match intake::authorize(&state.pool, &key_headers, "open311").await {
        Ok(k) => k,
        Err(_) => {
            return error(
                StatusCode::FORBIDDEN,
                format,
                "missing or invalid api_key: ask a city admin for an open311 key",
            )
        }
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
        Err(message) => return error(StatusCode::BAD_REQUEST, format, message),
    };
    if let Err(p) = Problem::check(filing.problems()) {
        return problem(format, p);
    }
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

/// The filing a request's form describes, or what is wrong with it in the spec's words.
fn filing<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    category: &store::Category,
    key: uuid::Uuid,
) -> Result<Filing, &'static str> {
    let coordinate = |k: &str| {
        get(k)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    let (lat, long) = (coordinate("lat"), coordinate("long"));
    if get("lat").is_some() != get("long").is_some()
        || (get("lat").is_some() && (lat.is_none() || long.is_none()))
    {
        return Err("lat and long must both be sent, as decimal WGS84 degrees");
    }
    let address = get("address_string").unwrap_or("").to_string();
    let ward = match get("attribute[ward]") {
        Some(w) => match w.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                return Err("attribute[ward] must be a ward number from the service definition")
            }
        },
        None => None,
    };
    if lat.is_none() && address.is_empty() && ward.is_none() {
        let message = if get("address_id").is_some() {
            "address_id is not used here: send lat and long, or address_string"
        } else {
            "a location is required: lat and long, or address_string"
        };
        return Err(message);
    }
    let given = get("description").unwrap_or("");
    if given.chars().count() > 4000 {
        return Err("description is limited to 4,000 characters");
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
    let mobile = get("phone")
        .and_then(|p| domain::identity::MobileNumber::parse(p).ok())
        .map(|m| m.as_str().to_string());
    let name = [get("first_name"), get("last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let media_url = get("media_url")
        .filter(|u| (u.starts_with("https://") || u.starts_with("http://")) && u.len() <= 500)
        .map(String::from);
    Ok(Filing {
        channel: Channel::External,
        category_id: category.id,
        category_slug: None,
        ward,
        landmark: get("attribute[landmark]")
            .unwrap_or("")
            .chars()
            .take(200)
            .collect(),
        address,
        latitude: lat,
        longitude: long,
        description: description
            .chars()
            .take(domain::grievances::DESCRIPTION_MAX)
            .collect(),
        recording_url: None,
        filer_id: None,
        anonymous: false,
        contact_name: name,
        contact_mobile: mobile,
        contact_email: get("email")
            .and_then(|e| domain::identity::EmailAddress::parse(e).ok())
            .map(|e| e.as_str().to_string()),
        locale: Locale::En,
        external: None,
        idempotency_key: None,
        intake_key_id: Some(key),
        agent_id: None,
        media_url,
        photos: Vec::new(),
    })
}
