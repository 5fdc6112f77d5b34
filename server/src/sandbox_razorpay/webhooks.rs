//! The sandbox's webhooks, sent as Razorpay sends them: a JSON event posted to the merchant's
//! webhook URL with `X-Razorpay-Signature` (hex HMAC-SHA256 of the raw body with the webhook
//! secret) and `x-razorpay-event-id`, again and again (0.5 s, 1 s, 2 s… up to 30 s apart) until
//! the merchant answers 2xx. Each event is sent by its own task, so they can arrive out of order,
//! as Razorpay's can.

use super::{now, Sandbox, Shared};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::payments::gateway::hmac_hex;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::Duration;

/// One event and how its delivery went.
#[derive(Clone, Serialize)]
pub(super) struct Sent {
    pub id: String,
    pub event: String,
    #[serde(skip)]
    pub body: String,
    /// what `X-Razorpay-Signature` carries
    pub signature: String,
    pub attempts: u32,
    pub delivered: bool,
    pub last_answer: Option<String>,
}

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/sandbox/webhook", post(set_url))
        .route("/sandbox/events", get(events))
        .route("/sandbox/events/{id}/resend", post(resend))
}

/// Queues an event for the merchant; its own task sends it until answered.
pub(super) fn queue(s: &mut Sandbox, event: &str, payload: Value) {
    let id = s.id("evt");
    let contains: Vec<&String> = payload
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    let body = json!({
        "entity": "event",
        "account_id": "acc_sandbox0000001",
        "event": event,
        "contains": contains,
        "payload": payload,
        "created_at": now(),
    })
    .to_string();
    let signature = hmac_hex(&s.webhook_secret, body.as_bytes());
    s.events.push(Sent {
        id,
        event: event.into(),
        signature,
        body,
        attempts: 0,
        delivered: false,
        last_answer: None,
    });
    let index = s.events.len() - 1;
    if let Some(me) = s.me.upgrade() {
        tokio::spawn(deliver(me, index));
    }
}

async fn deliver(state: Shared, index: usize) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("an HTTP client");
    let mut wait = Duration::from_millis(500);
    loop {
        let (url, id, body, signature) = {
            let s = state.lock().unwrap();
            let e = &s.events[index];
            (
                s.webhook_url.clone(),
                e.id.clone(),
                e.body.clone(),
                e.signature.clone(),
            )
        };
        if let Some(url) = url {
            let answer = client
                .post(&url)
                .header("content-type", "application/json")
                .header("X-Razorpay-Signature", &signature)
                .header("x-razorpay-event-id", &id)
                .body(body)
                .send()
                .await;
            let mut s = state.lock().unwrap();
            let e = &mut s.events[index];
            e.attempts += 1;
            match answer {
                Ok(r) if r.status().is_success() => {
                    e.delivered = true;
                    e.last_answer = Some(r.status().to_string());
                    return;
                }
                Ok(r) => e.last_answer = Some(r.status().to_string()),
                Err(err) => e.last_answer = Some(err.to_string()),
            }
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(30));
    }
}

#[derive(Deserialize)]
struct WebhookUrl {
    url: String,
}

async fn set_url(State(state): State<Shared>, Json(w): Json<WebhookUrl>) -> StatusCode {
    state.lock().unwrap().webhook_url = Some(w.url);
    StatusCode::NO_CONTENT
}

/// What was sent, with each event's body (for tests to replay or forge).
async fn events(State(state): State<Shared>) -> Json<Value> {
    let s = state.lock().unwrap();
    Json(Value::Array(
        s.events
            .iter()
            .map(|e| {
                let mut v = serde_json::to_value(e).unwrap_or_default();
                v["body"] = Value::String(e.body.clone());
                v
            })
            .collect(),
    ))
}

/// Sends a delivered event once more, as a gateway that did not hear the answer would.
async fn resend(State(state): State<Shared>, Path(id): Path<String>) -> StatusCode {
    let index = {
        let s = state.lock().unwrap();
        s.events.iter().position(|e| e.id == id)
    };
    match index {
        Some(i) => {
            tokio::spawn(deliver(state, i));
            StatusCode::ACCEPTED
        }
        None => StatusCode::NOT_FOUND,
    }
}
