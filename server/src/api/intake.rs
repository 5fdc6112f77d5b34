//! Grievance intake for gateways and other systems: SMS (the reply goes back by SMS), email,
//! IVRS, and external systems such as e-Abhijog, Jana Sampark and e-Municipality, whose reference
//! is kept so that a repeat never makes a second grievance. Every route needs a key issued for
//! its channel; bodies may be JSON or form-encoded (what SMS gateways usually send).

use super::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use domain::grievances::intake::{self, category_in_text, ward_in_text};
use domain::grievances::store::{self, Filing};
use domain::grievances::{Channel, GrievanceNumber};
use domain::identity::MobileNumber;
use domain::problem::FieldError;
use domain::Locale;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sms", post(sms))
        // an email's photos come inside it, base64: up to three of 8 MB each
        .route(
            "/email",
            post(email).layer(axum::extract::DefaultBodyLimit::max(36 * 1024 * 1024)),
        )
        .route("/ivrs", post(ivrs))
        .route("/external", post(external))
}

/// The key's id, if the request carries a live key for `channel`.
pub async fn authorize(
    pool: &PgPool,
    headers: &HeaderMap,
    channel: &str,
) -> Result<Uuid, ApiError> {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized"))?;
    match intake::verify_key(pool, key)
        .await
        .map_err(ApiError::unexpected)?
    {
        Some((id, c)) if c == channel => Ok(id),
        Some(_) => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden")),
        None => Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized")),
    }
}

/// Reads a JSON or form-encoded body.
pub fn body<T: DeserializeOwned>(headers: &HeaderMap, bytes: &Bytes) -> Result<T, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        serde_json::from_slice(bytes)
            .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad_request"))
    } else {
        serde_urlencoded::from_bytes(bytes)
            .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad_request"))
    }
}

fn mobile(field: &str, raw: &str) -> Result<String, ApiError> {
    MobileNumber::parse(raw)
        .map(|m| m.as_str().to_string())
        .map_err(|_| ApiError::invalid(vec![FieldError::new(field, "err_mobile_invalid")]))
}

/// Leaf categories with their keywords, for matching free text.
async fn keyword_table(pool: &PgPool) -> Result<Vec<(Uuid, String)>, ApiError> {
    Ok(store::categories(pool, Locale::En)
        .await
        .map_err(ApiError::unexpected)?
        .into_iter()
        .filter(|c| c.is_leaf && !c.keywords.is_empty())
        .map(|c| (c.id, c.keywords))
        .collect())
}

/// The catch-all category for text that names no category ("other civic problem").
async fn general_category(pool: &PgPool) -> Result<Uuid, ApiError> {
    sqlx::query_scalar("SELECT id FROM grievance_categories WHERE slug = 'other-civic-problem'")
        .fetch_optional(pool)
        .await
        .map_err(ApiError::unexpected)?
        .ok_or_else(|| ApiError::unexpected("no general category seeded"))
}

fn filing(channel: Channel, category_id: Uuid, description: String, key: Uuid) -> Filing {
    Filing {
        channel,
        category_id,
        category_slug: None,
        ward: None,
        landmark: String::new(),
        address: String::new(),
        latitude: None,
        longitude: None,
        description,
        recording_url: None,
        filer_id: None,
        anonymous: false,
        contact_name: String::new(),
        contact_mobile: None,
        contact_email: None,
        locale: Locale::En,
        external: None,
        idempotency_key: None,
        intake_key_id: Some(key),
        agent_id: None,
        media_url: None,
        photos: Vec::new(),
    }
}

/// Checks the filing's fields by the same rules as the app, then files it.
async fn file(pool: &PgPool, f: Filing) -> Result<Response, ApiError> {
    file_answer(pool, f)
        .await
        .map(|(status, body)| (status, Json(body)).into_response())
}

/// The filing's answer: 201 and its number, or 200 with `"duplicate": true` for a repeat.
async fn file_answer(
    pool: &PgPool,
    f: Filing,
) -> Result<(StatusCode, serde_json::Value), ApiError> {
    let problems = f.problems();
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    let filed = store::file(pool, f, OffsetDateTime::now_utc()).await?;
    let status = if filed.repeated {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        json!({ "number": filed.number, "duplicate": filed.repeated }),
    ))
}

/// A language guess from the script of a message: Odia, Devanagari, else English.
fn locale_of(text: &str) -> Locale {
    if text.chars().any(|c| ('\u{0B00}'..='\u{0B7F}').contains(&c)) {
        Locale::Or
    } else if text.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c)) {
        Locale::Hi
    } else {
        Locale::En
    }
}

#[derive(Deserialize)]
struct Sms {
    from: String,
    text: String,
}

/// An SMS: "STATUS <number>" answers with the grievance's state (to its own filer only);
/// anything else is a new grievance, its category and ward read from the words.
async fn sms(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let key = authorize(&state.pool, &headers, "sms").await?;
    let msg: Sms = body(&headers, &bytes)?;
    let from = mobile("from", &msg.from)?;
    let text = msg.text.trim().to_string();
    let locale = locale_of(&text);
    if let Some(rest) = text
        .strip_prefix("STATUS")
        .or_else(|| text.strip_prefix("status"))
        .or_else(|| text.strip_prefix("Status"))
    {
        return status_reply(&state.pool, &from, rest, locale).await;
    }
    let table = keyword_table(&state.pool).await?;
    let category = match category_in_text(&text, &table) {
        Some(c) => c,
        None => general_category(&state.pool).await?,
    };
    let mut f = filing(Channel::Sms, category, text.clone(), key);
    f.ward = ward_in_text(&text);
    if f.ward.is_none() {
        // The words are the best address an SMS has.
        f.address = text.chars().take(500).collect();
    }
    f.contact_mobile = Some(from);
    f.locale = locale;
    file(&state.pool, f).await
}

async fn status_reply(
    pool: &PgPool,
    from: &str,
    rest: &str,
    locale: Locale,
) -> Result<Response, ApiError> {
    use i18n::{fill, t};
    let found: Option<(String, domain::grievances::Status)> = match GrievanceNumber::parse(rest) {
        Ok(number) => sqlx::query_as(
            "SELECT number, status FROM grievances WHERE number = $1 AND contact_mobile = $2",
        )
        .bind(number.as_str())
        .bind(from)
        .fetch_optional(pool)
        .await
        .map_err(ApiError::unexpected)?,
        Err(_) => None,
    };
    let reply = match &found {
        Some((number, status)) => fill(
            t::sms_status_reply(locale),
            &[("number", number), ("status", status.label(locale))],
        ),
        None => t::sms_status_unknown(locale).to_string(),
    };
    domain::notifications::enqueue(pool, domain::notifications::Channel::Sms, from, "", &reply)
        .await
        .map_err(ApiError::unexpected)?;
    let status = found.as_ref().map(|(_, s)| s.as_str());
    Ok(Json(json!({ "reply": reply, "status": status })).into_response())
}

#[derive(Deserialize)]
struct Email {
    from: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    attachments: Vec<Attachment>,
}

#[derive(Deserialize)]
struct Attachment {
    #[serde(default)]
    filename: String,
    /// the file, base64 (standard alphabet, as MIME carries it)
    content_base64: String,
}

/// The email's pictures become the grievance's photos (checked and re-encoded like the app's);
/// other files are named back to the gateway, which can tell the sender.
async fn email_photos(
    attachments: Vec<Attachment>,
) -> Result<(Vec<domain::grievances::photos::Photo>, Vec<String>), ApiError> {
    use base64::Engine;
    use domain::grievances::photos;
    tokio::task::spawn_blocking(move || {
        let mut kept = Vec::new();
        let mut ignored = Vec::new();
        for a in attachments {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(a.content_base64.split_whitespace().collect::<String>())
                .map_err(|_| {
                    ApiError::invalid(vec![FieldError::new("attachments", "err_photo_unreadable")])
                })?;
            if image::guess_format(&bytes).is_err() {
                ignored.push(a.filename);
                continue;
            }
            if kept.len() == photos::MAX_PHOTOS {
                return Err(ApiError::invalid(vec![FieldError::new(
                    "attachments",
                    "err_too_many_photos",
                )]));
            }
            match photos::prepare(&bytes) {
                Ok(p) => kept.push(p),
                // a picture format we do not take (GIF, say) is named back, not refused
                Err("err_photo_type") => ignored.push(a.filename),
                Err(code) => {
                    return Err(ApiError::invalid(vec![FieldError::new(
                        "attachments",
                        code,
                    )]))
                }
            }
        }
        Ok((kept, ignored))
    })
    .await
    .map_err(ApiError::unexpected)?
}

/// An email: the sender is the contact; subject and body give the category, ward and text.
async fn email(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let key = authorize(&state.pool, &headers, "email").await?;
    let msg: Email = body(&headers, &bytes)?;
    let from = msg.from.trim();
    let address = from
        .rsplit_once('<')
        .map(|(_, a)| a.trim_end_matches('>').trim())
        .unwrap_or(from)
        .to_string();
    let address = domain::identity::EmailAddress::parse(&address)
        .map_err(|code| ApiError::invalid(vec![FieldError::new("from", code)]))?
        .as_str()
        .to_string();
    let text = format!("{}\n\n{}", msg.subject.trim(), msg.body.trim())
        .trim()
        .to_string();
    let table = keyword_table(&state.pool).await?;
    let category = match category_in_text(&text, &table) {
        Some(c) => c,
        None => general_category(&state.pool).await?,
    };
    let mut f = filing(
        Channel::Email,
        category,
        text.chars().take(2000).collect(),
        key,
    );
    f.ward = ward_in_text(&text);
    if f.ward.is_none() {
        f.address = msg.body.trim().chars().take(500).collect();
    }
    f.contact_name = from
        .rsplit_once('<')
        .map(|(n, _)| n.trim().trim_matches('"').to_string())
        .unwrap_or_default();
    f.contact_email = Some(address);
    f.locale = locale_of(&text);
    let (photos, ignored) = email_photos(msg.attachments).await?;
    let photo_count = photos.len();
    f.photos = photos;
    let (status, mut body) = file_answer(&state.pool, f).await?;
    body["photos"] = json!(photo_count);
    body["ignored_attachments"] = json!(ignored);
    Ok((status, Json(body)).into_response())
}

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
async fn ivrs(
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
async fn external(
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
