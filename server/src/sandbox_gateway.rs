//! `nagarik sandbox-gateway ADDR`: a stand-in for the outside world's message services, run as
//! its own process so development and tests cross real HTTP as production does. It is an SMS
//! gateway (`/sms/v1/messages`) and a web push service (`/push/{token}`, RFC 8030), keeps what it
//! receives in memory for people and tests to read, and can be told to fail, so retries and
//! fallbacks are exercised for real. It never sends anything anywhere.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

#[derive(Clone, Serialize)]
pub struct Sms {
    pub id: String,
    pub to: String,
    pub text: String,
    pub reference: String,
}

#[derive(Clone, Serialize)]
pub struct Push {
    pub id: String,
    pub token: String,
    /// The encrypted body, base64 (standard alphabet).
    pub body: String,
    pub content_encoding: String,
    pub ttl: String,
    pub urgency: String,
    pub authorization: String,
}

#[derive(Default)]
struct Sandbox {
    token: String,
    sms: Vec<Sms>,
    pushes: Vec<Push>,
    /// Numbers the "network" cannot reach (switched off for good, on a do-not-disturb list).
    unreachable: HashSet<String>,
    /// Push subscriptions the browser has dropped.
    gone: HashSet<String>,
    /// Requests to refuse with 503 before working again, per service.
    outages: HashMap<String, u32>,
    next_id: u64,
}

type Shared = Arc<Mutex<Sandbox>>;

pub fn router(token: String) -> Router {
    let state: Shared = Arc::new(Mutex::new(Sandbox {
        token,
        ..Sandbox::default()
    }));
    Router::new()
        .route("/sms/v1/messages", post(send_sms).get(list_sms))
        .route("/push/{token}", post(receive_push))
        .route("/push-messages", get(list_pushes))
        .route("/sandbox/outage", post(outage))
        .route("/sandbox/unreachable", post(unreachable))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(state)
}

pub async fn serve(addr: &str, token: String) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The first line says where it listens, so a test that asked for port 0 learns the port.
    println!(
        "sandbox gateway listening on http://{}",
        listener.local_addr()?
    );
    use std::io::Write;
    std::io::stdout().flush()?;
    axum::serve(listener, router(token)).await?;
    Ok(())
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// Takes one request of an outage for `service`, if one is under way.
fn in_outage(s: &mut Sandbox, service: &str) -> bool {
    match s.outages.get_mut(service) {
        Some(left) if *left > 0 => {
            *left -= 1;
            true
        }
        _ => false,
    }
}

#[derive(Deserialize)]
struct SmsIn {
    to: String,
    text: String,
    #[serde(default)]
    reference: String,
}

async fn send_sms(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(m): Json<SmsIn>,
) -> Response {
    let mut s = state.lock().unwrap();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(s.token.as_str()) {
        return error(StatusCode::UNAUTHORIZED, "unknown account token");
    }
    if in_outage(&mut s, "sms") {
        return error(StatusCode::SERVICE_UNAVAILABLE, "gateway busy, try later");
    }
    let to = m.to.trim().trim_start_matches("+91").to_string();
    let valid = to.len() == 10
        && to.bytes().all(|b| b.is_ascii_digit())
        && matches!(to.as_bytes()[0], b'6'..=b'9');
    if !valid {
        return error(StatusCode::BAD_REQUEST, "not an Indian mobile number");
    }
    if s.unreachable.contains(&to) {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "number not reachable");
    }
    if m.text.trim().is_empty() {
        return error(StatusCode::BAD_REQUEST, "empty message");
    }
    s.next_id += 1;
    let id = format!("sms-{}", s.next_id);
    s.sms.push(Sms {
        id: id.clone(),
        to,
        text: m.text,
        reference: m.reference,
    });
    (
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "id": id, "status": "accepted" })),
    )
        .into_response()
}

#[derive(Deserialize)]
struct To {
    to: Option<String>,
    token: Option<String>,
}

async fn list_sms(State(state): State<Shared>, Query(q): Query<To>) -> Json<Vec<Sms>> {
    let s = state.lock().unwrap();
    Json(
        s.sms
            .iter()
            .filter(|m| q.to.as_ref().is_none_or(|to| &m.to == to))
            .cloned()
            .collect(),
    )
}

/// A push service as RFC 8030 and RFC 8292 describe it: an encrypted body, a TTL, and a VAPID
/// authorization; 201 with the message's location, 410 for a subscription that is gone.
async fn receive_push(
    State(state): State<Shared>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let mut s = state.lock().unwrap();
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    if s.gone.contains(&token) {
        return error(StatusCode::GONE, "subscription expired");
    }
    if in_outage(&mut s, "push") {
        return error(StatusCode::SERVICE_UNAVAILABLE, "push service busy");
    }
    let authorization = text("authorization");
    if !authorization.starts_with("vapid t=") || !authorization.contains(", k=") {
        return error(StatusCode::UNAUTHORIZED, "VAPID authorization required");
    }
    if text("ttl").parse::<u32>().is_err() {
        return error(StatusCode::BAD_REQUEST, "TTL header required");
    }
    if !body.is_empty() && text("content-encoding") != "aes128gcm" {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "aes128gcm encoding required",
        );
    }
    if body.len() > 4096 {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "payload over 4096 bytes");
    }
    s.next_id += 1;
    let id = format!("push-{}", s.next_id);
    s.pushes.push(Push {
        id: id.clone(),
        token,
        body: base64::engine::general_purpose::STANDARD.encode(&body),
        content_encoding: text("content-encoding"),
        ttl: text("ttl"),
        urgency: text("urgency"),
        authorization,
    });
    (
        StatusCode::CREATED,
        [(header::LOCATION, format!("/push-messages/{id}"))],
    )
        .into_response()
}

async fn list_pushes(State(state): State<Shared>, Query(q): Query<To>) -> Json<Vec<Push>> {
    let s = state.lock().unwrap();
    Json(
        s.pushes
            .iter()
            .filter(|p| q.token.as_ref().is_none_or(|t| &p.token == t))
            .cloned()
            .collect(),
    )
}

#[derive(Deserialize)]
struct Outage {
    service: String,
    requests: u32,
}

/// The next `requests` requests to `service` ("sms" or "push") are refused with 503.
async fn outage(State(state): State<Shared>, Json(o): Json<Outage>) -> StatusCode {
    state.lock().unwrap().outages.insert(o.service, o.requests);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Unreachable {
    mobile: Option<String>,
    push_token: Option<String>,
}

/// A number the network can no longer reach, or a push subscription that is gone.
async fn unreachable(State(state): State<Shared>, Json(u): Json<Unreachable>) -> StatusCode {
    let mut s = state.lock().unwrap();
    if let Some(m) = u.mobile {
        s.unreachable.insert(m);
    }
    if let Some(t) = u.push_token {
        s.gone.insert(t);
    }
    StatusCode::NO_CONTENT
}
