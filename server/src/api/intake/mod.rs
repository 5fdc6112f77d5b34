//! Grievance intake for gateways and other systems: SMS (the reply goes back by SMS), email,
//! IVRS, and external systems such as e-Abhijog, Jana Sampark and e-Municipality, whose reference
//! is kept so that a repeat never makes a second grievance. Every route needs a key issued for
//! its channel; bodies may be JSON or form-encoded (what SMS gateways usually send).
//!
//! One room per channel (`sms`, `email`, `ivrs`, `external`); here the routes, the key check and
//! body reading every route shares (Open311's POST uses them too), and the filing they all end in.

mod email;
mod external;
mod ivrs;
mod sms;

use super::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use domain::grievances::intake::{self, KeyCheck};
use domain::grievances::store::{self, CategoryRef, Filing};
use domain::grievances::Channel;
use domain::grievances::FilingText;
use domain::identity::MobileNumber;
use domain::problem::FieldError;
use domain::Locale;
use serde::de::DeserializeOwned;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sms", post(sms::sms))
        // an email's photos come inside it, base64: up to three of 8 MB each
        .route(
            "/email",
            post(email::email).layer(axum::extract::DefaultBodyLimit::max(36 * 1024 * 1024)),
        )
        .route("/ivrs", post(ivrs::ivrs))
        .route("/external", post(external::external))
}

/// The key's id, if the request carries a live key for `channel`.
pub async fn authorize(
    pool: &PgPool,
    headers: &HeaderMap,
    channel: &str,
) -> Result<Caller, ApiError> {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized"))?;
    // Each key has its own rate, shared by every instance, counted in shards (one at random) so
    // that a busy key's filings do not queue for one counter row.
    let now = OffsetDateTime::now_utc();
    match intake::use_key(pool, key, channel, rand::random::<u32>(), now)
        .await
        .map_err(ApiError::unexpected)?
    {
        KeyCheck::Live { id, system } => Ok(Caller { key: id, system }),
        KeyCheck::Throttled(refused) => Err(refused
            .refusal("api_key", "err_too_many_tries")
            .unwrap_or(domain::problem::Problem::Forbidden)
            .into()),
        KeyCheck::OtherChannel => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden")),
        KeyCheck::Unknown => Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized")),
    }
}

/// Who is filing: the key's id and, for an external system's key, the system it is bound to.
pub struct Caller {
    pub key: Uuid,
    pub system: Option<String>,
}

/// Reads a JSON or form-encoded body.
pub fn body<T: DeserializeOwned>(headers: &HeaderMap, bytes: &Bytes) -> Result<T, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    // Postgres text cannot hold U+0000: refused here, once, for every route.
    let nul = bytes.contains(&0)
        || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
        || bytes.windows(3).any(|w| w == b"%00");
    if nul {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "bad_request"));
    }
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

/// A filing through `channel` with this key, from its fields read by the one parse every
/// channel shares; `renamed` names a field as this API's body names it (`contact_mobile` →
/// `mobile`), so each problem comes back at the field the caller sent. Problems found before
/// the parse (`earlier`) come back with the parse's.
fn filing(
    channel: Channel,
    category: CategoryRef,
    text: FilingText,
    key: Uuid,
    locale: Locale,
    earlier: Vec<FieldError>,
    renamed: &[(&str, &str)],
) -> Result<Filing, ApiError> {
    let checked = text.parse();
    let mut problems = earlier;
    problems.extend(checked.as_ref().err().cloned().unwrap_or_default());
    if !problems.is_empty() {
        for p in problems.iter_mut() {
            if let Some((_, to)) = renamed.iter().find(|(from, _)| *from == p.field) {
                p.field = to.to_string();
            }
        }
        return Err(ApiError::invalid(problems));
    }
    let checked = checked.map_err(|_| ApiError::unexpected("checked above"))?;
    let mut f = Filing::new(channel, category, checked, locale);
    f.provenance.intake_key_id = Some(key);
    Ok(f)
}

/// Checks the filing's fields by the same rules as the app, then files it.
async fn file(pool: &PgPool, f: Filing) -> Result<Response, ApiError> {
    file_answer(pool, f)
        .await
        .map(|(status, body)| (status, Json(body)).into_response())
}

/// A filing's answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Filed {
    /// The grievance's number (`GR-YY-SSSSSSS-C`).
    pub number: String,
    /// True when this repeated an earlier filing (same reference): its number, nothing new.
    pub duplicate: bool,
}

/// The filing's answer: 201 and its number, or 200 with `"duplicate": true` for a repeat.
async fn file_answer(pool: &PgPool, f: Filing) -> Result<(StatusCode, Filed), ApiError> {
    let filed = store::file(pool, f, OffsetDateTime::now_utc()).await?;
    let status = if filed.repeated {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Filed {
            number: filed.number,
            duplicate: filed.repeated,
        },
    ))
}

/// The JSON API's contract, generated from the handlers below (served at
/// `/api/v1/openapi.json`). Each later capability's JSON routes join it.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Nagarik API",
        version = "1",
        description = "Grievances from SMS and email gateways, IVRS and other systems: each of those routes needs a key issued for its channel, sent as `Authorization: Bearer <key>`. Certificates the city issued are checked by anyone, without a key."
    ),
    paths(sms::sms, email::email, ivrs::ivrs, external::external),
    components(schemas(Filed, sms::StatusReply, email::EmailFiled, super::ErrorBody, super::FieldProblem)),
    modifiers(&BearerKey),
    security(("key" = [])),
    tags((name = "intake", description = "Grievances from other channels"))
)]
pub struct ApiDoc;

struct BearerKey;

impl utoipa::Modify for BearerKey {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        api.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "key",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
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
