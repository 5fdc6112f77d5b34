//! The DigiLocker issuer API (`domain::certificates::digilocker`): `POST /api/v1/digilocker/pull-uri`
//! and `/pull-doc`, XML in and out. Each request must carry `x-digilocker-hmac`, the HMAC of its
//! body under the key `./dev api-key digilocker` prints; then its `ts` must be fresh and its `txn`
//! new. A refusal answers status 0 with the HTTP status that says why (401 for the signature,
//! 400 for the shape, the clock or a replay); a certificate not found is status 0 with 200, as
//! DigiLocker expects.

use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use domain::certificates::digilocker::{self, Request};
use time::OffsetDateTime;

/// `/api/v1/digilocker/…`
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pull-uri", post(pull_uri))
        .route("/pull-doc", post(pull_doc))
}

async fn pull_uri(state: State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    pull(state, headers, body, "PullURIRequest").await
}

async fn pull_doc(state: State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    pull(state, headers, body, "PullDocRequest").await
}

fn xml(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// A refusal, status 0, echoing what could be read of the request.
fn refused(status: StatusCode, request: Option<&Request>, name: &str, why: &str) -> Response {
    tracing::warn!(why, "a DigiLocker request was refused");
    let empty = Request {
        name: name.into(),
        ts: String::new(),
        txn: String::new(),
        format: digilocker::Format::Pdf,
        details: Default::default(),
    };
    xml(status, digilocker::answer(request.unwrap_or(&empty), None))
}

async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
    name: &str,
) -> Response {
    let pool = &state.pool;
    let master = &state.config.data_key;
    let key = match digilocker::api_key(pool, master).await {
        Ok(key) => key,
        Err(p) => return super::ApiError::from(p).into_response(),
    };
    let hmac = headers
        .get("x-digilocker-hmac")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if body.len() > digilocker::BODY_MAX || !digilocker::signed(&key, &body, hmac) {
        return refused(StatusCode::UNAUTHORIZED, None, name, "signature");
    }
    let Some(request) = digilocker::parse(&body).filter(|r| r.name == name) else {
        return refused(
            StatusCode::BAD_REQUEST,
            None,
            name,
            "not a request of this API",
        );
    };
    let now = OffsetDateTime::now_utc();
    if request.txn.is_empty() || request.txn.len() > 100 {
        return refused(StatusCode::BAD_REQUEST, Some(&request), name, "no txn");
    }
    if !digilocker::fresh(&request.ts, now) {
        return refused(StatusCode::BAD_REQUEST, Some(&request), name, "stale ts");
    }
    match digilocker::first_sight(pool, &request.txn, now).await {
        Ok(true) => {}
        Ok(false) => {
            return refused(
                StatusCode::BAD_REQUEST,
                Some(&request),
                name,
                "replayed txn",
            )
        }
        Err(p) => return super::ApiError::from(p).into_response(),
    }
    let found = digilocker::find(
        pool,
        master,
        &state.config.digilocker_issuer,
        &state.config.public_url,
        &request,
    )
    .await;
    match found {
        Ok(found) => xml(StatusCode::OK, digilocker::answer(&request, found.as_ref())),
        Err(p) => super::ApiError::from(p).into_response(),
    }
}
