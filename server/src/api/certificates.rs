//! Certificates for anyone who checks one, and for their holders: the city's public keys as a JWK
//! set (`/.well-known/jwks.json`), a code checked in JSON (`POST /api/v1/certificates/verify`),
//! the numbers of revoked certificates (for the installed app to check offline), and a
//! certificate's PDF (`/applications/{number}/certificate.pdf`) for its holder and its department.
//! Checking needs no account and changes nothing, so any site may call it (CORS); it is
//! throttled per client.

use super::ApiError;
use app::request::{AppState, Caller, ClientAddr};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use domain::applications::access::may_view;
use domain::applications::ApplicationNumber;
use domain::certificates::{keys, store, Claims, Verdict};
use domain::problem::{FieldError, Problem};
use domain::Locale;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_http::cors::{Any, CorsLayer};

/// `/api/v1/certificates/…`
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verify", post(verify))
        .route("/revoked", get(revoked))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE]),
        )
}

/// `GET /.well-known/jwks.json`: the keys that verify certificates now (a retired key stays until
/// its end date). Anyone may fetch and cache them for a while.
pub async fn jwks(State(state): State<AppState>) -> Response {
    match keys::published(&state.pool, OffsetDateTime::now_utc()).await {
        Ok(published) => (
            [
                (header::CONTENT_TYPE, "application/jwk-set+json"),
                (header::CACHE_CONTROL, "public, max-age=300"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ],
            keys::jwk_set(&published).to_string(),
        )
            .into_response(),
        Err(p) => ApiError::from(p).into_response(),
    }
}

/// What to check.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct VerifyRequest {
    /// The code (`NC1:…`) or the link the QR code holds (`https://…/verify#NC1:…`).
    pub code: String,
}

/// What a certificate certifies.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Certified {
    /// The certificate's number (its application's).
    pub number: String,
    /// `trade_licence`, `birth`, `marriage` or `character`.
    pub kind: String,
    /// Its title, in English.
    pub title: String,
    /// The department that issued it.
    pub issuer: String,
    /// Whom it was issued to.
    pub holder: String,
    /// What it states, in order.
    pub facts: Vec<Fact>,
    /// RFC 3339.
    pub issued_at: String,
    /// RFC 3339; absent for one valid for good.
    pub valid_until: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// The answer: a verdict, what the code certifies when it is ours, and a sentence to show.
#[derive(Serialize, utoipa::ToSchema)]
pub struct VerifyAnswer {
    /// `valid`, `revoked`, `expired`, `tampered` (altered, or not signed by the city),
    /// `unknown_key` (signed with a key the city does not publish) or `not_a_code`.
    pub verdict: String,
    /// The verdict in English words.
    pub message: String,
    /// The id of the key that signed it (as `/.well-known/jwks.json` names it).
    pub key_id: Option<String>,
    pub certificate: Option<Certified>,
    /// RFC 3339, for a revoked one.
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
}

fn rfc3339(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn certified(c: &Claims) -> Certified {
    Certified {
        number: c.number.clone(),
        kind: c.kind.as_str().into(),
        title: c.kind.title(Locale::En).into(),
        issuer: c.issuer.clone(),
        holder: c.holder.clone(),
        facts: c
            .facts
            .iter()
            .map(|(label, value)| Fact {
                label: label.clone(),
                value: value.clone(),
            })
            .collect(),
        issued_at: rfc3339(c.issued_at),
        valid_until: c.valid_until.map(rfc3339),
    }
}

impl From<Verdict> for VerifyAnswer {
    fn from(v: Verdict) -> VerifyAnswer {
        let (key_id, revoked_at, revoked_reason) = match &v {
            Verdict::Valid { key_id, .. }
            | Verdict::Expired { key_id, .. }
            | Verdict::UnknownKey { key_id } => (Some(key_id.clone()), None, None),
            Verdict::Revoked {
                key_id,
                revoked_at,
                reason,
                ..
            } => (
                Some(key_id.clone()),
                Some(revoked_at.clone()),
                Some(reason.clone()),
            ),
            Verdict::Tampered | Verdict::NotACode => (None, None, None),
        };
        VerifyAnswer {
            verdict: v.as_str().into(),
            message: v.headline(Locale::En).into(),
            key_id,
            certificate: v.claims().map(certified),
            revoked_at,
            revoked_reason,
        }
    }
}

/// Checks a certificate's code: whether the city signed it, and whether it still stands.
#[utoipa::path(
    post,
    path = "/api/v1/certificates/verify",
    tag = "certificates",
    request_body = VerifyRequest,
    security(()),
    responses(
        (status = 200, description = "The verdict (a tampered or unknown code is a verdict too, not an error)", body = VerifyAnswer),
        (status = 400, description = "The body is not JSON with a `code`", body = super::ErrorBody),
        (status = 422, description = "The code is missing or too long", body = super::ErrorBody),
        (status = 429, description = "This client's checks are spent for the minute: try again after `Retry-After` seconds", body = super::ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddr>,
    body: Result<Json<VerifyRequest>, JsonRejection>,
) -> Result<Json<VerifyAnswer>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let key = app::request::key_for("verify", client);
    domain::throttle::hit(&state.pool, &key, domain::throttle::VERIFY_CLIENT, now)
        .await
        .map_err(|e| ApiError::from(Problem::from(e)))?
        .refusal("code", "err_too_many_tries")
        .map_or(Ok(()), |p| Err(ApiError::from(p)))?;
    let Json(body) = body.map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad_request"))?;
    let code = body.code.trim();
    if code.is_empty() {
        return Err(ApiError::invalid(vec![FieldError::new(
            "code",
            "err_verify_code",
        )]));
    }
    if code.len() > 8_192 {
        return Err(ApiError::invalid(vec![FieldError::new(
            "code",
            "err_text_too_long",
        )]));
    }
    let verdict = store::verify(&state.pool, code, now).await?;
    Ok(Json(verdict.into()))
}

/// The numbers of revoked certificates.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Revoked {
    /// RFC 3339: when this list was read.
    pub as_of: String,
    pub numbers: Vec<String>,
}

/// The numbers of every revoked certificate, for a verifier that checks codes offline.
#[utoipa::path(
    get,
    path = "/api/v1/certificates/revoked",
    tag = "certificates",
    security(()),
    responses((status = 200, description = "Every revoked certificate's number", body = Revoked))
)]
pub async fn revoked(State(state): State<AppState>) -> Result<Response, ApiError> {
    let numbers = store::revoked_numbers(&state.pool).await?;
    let as_of = rfc3339(OffsetDateTime::now_utc().unix_timestamp());
    let mut res = Json(Revoked { as_of, numbers }).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct PdfQuery {
    /// The language beside English (`or`, `hi`); the caller's own when absent.
    lang: Option<String>,
}

/// `GET /applications/{number}/certificate.pdf`: the certificate's PDF, to those who may see its
/// application (its holder, its department, a city admin).
pub async fn pdf(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(locale): Extension<Locale>,
    Path(number): Path<String>,
    Query(q): Query<PdfQuery>,
) -> Response {
    let Some(account) = caller.account else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(number) = ApplicationNumber::parse(&number) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let key = &state.config.data_key;
    match domain::applications::store::ownership(&state.pool, &number).await {
        Ok(Some(own)) if may_view(&account.actor(), &own) => {}
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(p) => return ApiError::from(p).into_response(),
    }
    let issued = match store::of_application(&state.pool, key, number.as_str()).await {
        Ok(Some(issued)) => issued,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(p) => return ApiError::from(p).into_response(),
    };
    let locale = q
        .lang
        .as_deref()
        .and_then(Locale::from_code)
        .unwrap_or(locale);
    let printable = issued.printable(&state.config.public_url);
    match domain::certificates::pdf::render(&printable, locale) {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.pdf\"", number.as_str()),
                ),
                (header::CACHE_CONTROL, "no-store".into()),
            ],
            body,
        )
            .into_response(),
        Err(p) => ApiError::from(p).into_response(),
    }
}

/// `/VERIFY…`: the QR code's link is in capitals (QR's compact alphanumeric mode); the page is
/// `/verify`, and the browser keeps the code in the fragment through the redirect.
pub async fn capitals() -> Response {
    (
        StatusCode::PERMANENT_REDIRECT,
        [(header::LOCATION, "/verify")],
    )
        .into_response()
}

/// The OpenAPI document's part for certificates.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(verify, revoked),
    components(schemas(VerifyRequest, VerifyAnswer, Certified, Fact, Revoked)),
    tags((name = "certificates", description = "Certificates the city issued, checked by anyone"))
)]
pub struct ApiDoc;
