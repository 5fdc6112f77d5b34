//! `nagarik sandbox-razorpay ADDR`: a payment gateway that speaks Razorpay's protocol, run as its
//! own process so development and tests pay across real HTTP as production does. It answers the
//! API the server uses (`/v1/orders`, `/v1/orders/{id}/payments`, `/v1/payments/{id}`,
//! `/v1/payments/{id}/capture`, `/v1/payments/{id}/refund`, `/v1/payments/{id}/refunds`) with
//! HTTP basic auth by fixed test keys, shows a hosted checkout (`/v1/checkout/embedded`, in
//! `checkout`) where a tester pays by UPI, card or net banking, fails, or gives up, and sends
//! webhooks signed as Razorpay signs them, again and again until answered 2xx (`webhooks`). It
//! keeps what it knows in memory; it moves no money.
//!
//! For tests: `/sandbox/outage` refuses the next API requests with 503, `/sandbox/webhook` sets
//! where webhooks go, `/sandbox/events` lists what was sent, `/sandbox/payments/{id}/approve` and
//! `/decline` answer a UPI request as the person's bank would, later.

mod checkout;
mod webhooks;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use domain::payments::razorpay::{SANDBOX_KEY_ID, SANDBOX_KEY_SECRET, SANDBOX_WEBHOOK_SECRET};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Serialize)]
struct Order {
    id: String,
    entity: &'static str,
    amount: i64,
    amount_paid: i64,
    amount_due: i64,
    currency: String,
    receipt: Option<String>,
    status: &'static str,
    attempts: u32,
    notes: Value,
    created_at: i64,
    #[serde(skip)]
    auto_capture: bool,
}

#[derive(Clone, Serialize)]
struct Payment {
    id: String,
    entity: &'static str,
    amount: i64,
    currency: String,
    status: &'static str,
    order_id: String,
    method: String,
    captured: bool,
    amount_refunded: i64,
    refund_status: Option<&'static str>,
    error_code: Option<String>,
    error_description: Option<String>,
    email: String,
    contact: String,
    fee: i64,
    tax: i64,
    created_at: i64,
}

#[derive(Clone, Serialize)]
struct Refund {
    id: String,
    entity: &'static str,
    amount: i64,
    currency: String,
    payment_id: String,
    notes: Value,
    receipt: Option<String>,
    status: &'static str,
    created_at: i64,
}

struct Sandbox {
    key_id: String,
    key_secret: String,
    webhook_secret: String,
    webhook_url: Option<String>,
    orders: HashMap<String, Order>,
    payments: HashMap<String, Payment>,
    refunds: Vec<Refund>,
    /// API requests still to refuse with 503
    outage: u32,
    events: Vec<webhooks::Sent>,
    next: u64,
    /// itself, for the tasks that send webhooks
    me: std::sync::Weak<Mutex<Sandbox>>,
}

type Shared = Arc<Mutex<Sandbox>>;

impl Sandbox {
    /// A new id in Razorpay's shape: a prefix and fourteen letters and digits.
    fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        let n = self.next + std::process::id() as u64 * 1_000_000;
        format!("{prefix}_{:0>14}", base36(n))
    }
}

fn base36(mut n: u64) -> String {
    let digits = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    while n > 0 {
        out.push(digits[(n % 62) as usize]);
        n /= 62;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub fn router(webhook_url: Option<String>) -> Router {
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let state: Shared = Arc::new(Mutex::new(Sandbox {
        key_id: env("NAGARIK_RAZORPAY_KEY_ID", SANDBOX_KEY_ID),
        key_secret: env("NAGARIK_RAZORPAY_KEY_SECRET", SANDBOX_KEY_SECRET),
        webhook_secret: env("NAGARIK_RAZORPAY_WEBHOOK_SECRET", SANDBOX_WEBHOOK_SECRET),
        webhook_url,
        orders: HashMap::new(),
        payments: HashMap::new(),
        refunds: Vec::new(),
        outage: 0,
        events: Vec::new(),
        next: 0,
        me: std::sync::Weak::new(),
    }));
    state.lock().unwrap().me = Arc::downgrade(&state);
    Router::new()
        .route("/v1/orders", post(create_order))
        .route("/v1/orders/{id}", get(fetch_order))
        .route("/v1/orders/{id}/payments", get(order_payments))
        .route("/v1/payments/{id}", get(fetch_payment))
        .route("/v1/payments/{id}/capture", post(capture))
        .route("/v1/payments/{id}/refund", post(refund))
        .route("/v1/payments/{id}/refunds", get(payment_refunds))
        .merge(checkout::routes())
        .merge(webhooks::routes())
        .route("/sandbox/outage", post(outage))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(state)
}

pub async fn serve(addr: &str, webhook_url: Option<String>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The first line says where it listens, so a test that asked for port 0 learns the port.
    println!(
        "sandbox payment gateway listening on http://{}",
        listener.local_addr()?
    );
    use std::io::Write;
    std::io::stdout().flush()?;
    axum::serve(listener, router(webhook_url)).await?;
    Ok(())
}

/// Razorpay's error body.
fn error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        Json(
            json!({"error": {"code": code, "description": description, "source": "business",
                              "step": "payment_initiation", "reason": "input_validation_failed",
                              "metadata": {}}}),
        ),
    )
        .into_response()
}

fn bad_request(description: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "BAD_REQUEST_ERROR", description)
}

/// Basic auth by the key id and secret, and the outage a test asked for: the refusal, if any.
fn admit(s: &mut Sandbox, headers: &HeaderMap) -> Option<Response> {
    if s.outage > 0 {
        s.outage -= 1;
        return Some(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVER_ERROR",
            "The server is unavailable (sandbox outage)",
        ));
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let expected = format!("{}:{}", s.key_id, s.key_secret);
    (given.as_deref() != Some(expected.as_str())).then(|| {
        error(
            StatusCode::UNAUTHORIZED,
            "BAD_REQUEST_ERROR",
            "The api key provided is invalid",
        )
    })
}

#[derive(Deserialize)]
struct NewOrder {
    amount: i64,
    currency: String,
    #[serde(default)]
    receipt: Option<String>,
    #[serde(default)]
    notes: Value,
    /// Razorpay takes a boolean or 0/1; absent: captured automatically
    #[serde(default)]
    payment_capture: Option<Value>,
}

async fn create_order(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(o): Json<NewOrder>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(refused) = admit(&mut s, &headers) {
        return refused;
    }
    if o.amount < 100 {
        return bad_request("The amount must be atleast INR 1.00");
    }
    if o.currency != "INR" {
        return bad_request("Currency is not supported");
    }
    if o.receipt.as_ref().is_some_and(|r| r.len() > 40) {
        return bad_request("receipt: the length must be no more than 40.");
    }
    let auto_capture = match &o.payment_capture {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(v) => v.as_i64() == Some(1) || v.as_str() == Some("1"),
    };
    let id = s.id("order");
    let order = Order {
        id: id.clone(),
        entity: "order",
        amount: o.amount,
        amount_paid: 0,
        amount_due: o.amount,
        currency: o.currency,
        receipt: o.receipt,
        status: "created",
        attempts: 0,
        notes: if o.notes.is_null() {
            json!([])
        } else {
            o.notes
        },
        created_at: now(),
        auto_capture,
    };
    s.orders.insert(id, order.clone());
    Json(order).into_response()
}

async fn fetch_order(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(refused) = admit(&mut s, &headers) {
        return refused;
    }
    match s.orders.get(&id) {
        Some(o) => Json(o.clone()).into_response(),
        None => bad_request("The id provided does not exist"),
    }
}

async fn order_payments(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(refused) = admit(&mut s, &headers) {
        return refused;
    }
    if !s.orders.contains_key(&id) {
        return bad_request("The id provided does not exist");
    }
    let mut items: Vec<Payment> = s
        .payments
        .values()
        .filter(|p| p.order_id == id)
        .cloned()
        .collect();
    items.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Json(json!({"entity": "collection", "count": items.len(), "items": items})).into_response()
}

async fn fetch_payment(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(refused) = admit(&mut s, &headers) {
        return refused;
    }
    match s.payments.get(&id) {
        Some(p) => Json(p.clone()).into_response(),
        None => bad_request("The id provided does not exist"),
    }
}

#[derive(Deserialize)]
struct CaptureIn {
    amount: i64,
    currency: String,
}

async fn capture(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(c): Json<CaptureIn>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(refused) = admit(&mut s, &headers) {
        return refused;
    }
    let Some(p) = s.payments.get(&id).cloned() else {
        return bad_request("The id provided does not exist");
    };
    if p.status != "authorized" {
        return bad_request(match p.status {
            "captured" | "refunded" => "This payment has already been captured",
            _ => "Only payments which have been authorized and not yet captured can be captured",
        });
    }
    if c.amount != p.amount || c.currency != p.currency {
        return bad_request("Capture amount must be equal to the amount authorized");
    }
    let captured = mark_captured(&mut s, &id);
    Json(captured).into_response()
}

/// A payment becomes captured and its order paid; the webhooks say so.
fn mark_captured(s: &mut Sandbox, id: &str) -> Payment {
    let p = s.payments.get_mut(id).expect("a payment");
    p.status = "captured";
    p.captured = true;
    // Razorpay's fee: 2 % (plus 18 % GST on it), settled the next day
    p.fee = p.amount * 2 / 100 * 118 / 100;
    p.tax = p.amount * 2 / 100 * 18 / 100;
    let p = p.clone();
    if let Some(o) = s.orders.get_mut(&p.order_id) {
        o.status = "paid";
        o.amount_paid = p.amount;
        o.amount_due = 0;
    }
    webhooks::queue(s, "payment.captured", json!({"payment": {"entity": p}}));
    if let Some(o) = s.orders.get(&p.order_id).cloned() {
        webhooks::queue(
            s,
            "order.paid",
            json!({"payment": {"entity": p}, "order": {"entity": o}}),
        );
    }
    p
}

#[derive(Deserialize)]
struct RefundIn {
    #[serde(default)]
    amount: Option<i64>,
    #[serde(default)]
    notes: Value,
    #[serde(default)]
    receipt: Option<String>,
}

async fn refund(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(r): Json<RefundIn>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(refused) = admit(&mut s, &headers) {
        return refused;
    }
    let Some(p) = s.payments.get(&id).cloned() else {
        return bad_request("The id provided does not exist");
    };
    if !p.captured {
        return bad_request("Only captured payments can be refunded");
    }
    let amount = r.amount.unwrap_or(p.amount - p.amount_refunded);
    if amount <= 0 || amount > p.amount - p.amount_refunded {
        return bad_request("The refund amount provided is greater than amount captured");
    }
    let refund = Refund {
        id: s.id("rfnd"),
        entity: "refund",
        amount,
        currency: p.currency.clone(),
        payment_id: id.clone(),
        notes: if r.notes.is_null() {
            json!([])
        } else {
            r.notes
        },
        receipt: r.receipt,
        status: "processed",
        created_at: now(),
    };
    s.refunds.push(refund.clone());
    let p = s.payments.get_mut(&id).expect("the payment");
    p.amount_refunded += amount;
    p.refund_status = Some(if p.amount_refunded == p.amount {
        "full"
    } else {
        "partial"
    });
    if p.amount_refunded == p.amount {
        p.status = "refunded";
    }
    let p = p.clone();
    webhooks::queue(
        &mut s,
        "refund.processed",
        json!({"refund": {"entity": refund}, "payment": {"entity": p}}),
    );
    Json(refund).into_response()
}

async fn payment_refunds(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(refused) = admit(&mut s, &headers) {
        return refused;
    }
    let items: Vec<Refund> = s
        .refunds
        .iter()
        .filter(|r| r.payment_id == id)
        .cloned()
        .collect();
    Json(json!({"entity": "collection", "count": items.len(), "items": items})).into_response()
}

#[derive(Deserialize)]
struct Outage {
    requests: u32,
}

async fn outage(State(state): State<Shared>, Json(o): Json<Outage>) -> StatusCode {
    state.lock().unwrap().outage = o.requests;
    StatusCode::NO_CONTENT
}
