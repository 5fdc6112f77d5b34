//! What the payment gateway sends back: the person's browser returning from the hosted checkout
//! (`POST /payments/return`, a form the checkout posts) and the gateway's webhooks
//! (`POST /api/v1/payments/webhook`). Neither carries a session: each is proven by the gateway's
//! signature (the checkout's `razorpay_signature`, the webhook's `X-Razorpay-Signature` over the
//! raw body), and what it says goes through `payments::store::observe`, the one path that credits
//! a payment, once. A forged one is refused and logged.

use super::ApiError;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::payments::gateway::Gateway;
use domain::payments::razorpay::Event;
use domain::payments::store;
use domain::problem::Problem;
use std::collections::HashMap;
use time::OffsetDateTime;

/// `POST /payments/return`: the checkout's outcome, posted by the person's browser. A success is
/// believed only when its signature checks out, and then the payment itself is asked of the
/// gateway; a failure names its order, which is asked about too. Either way the person lands on
/// the page of what they paid for, which tells how it went.
pub async fn returned(
    State(state): State<AppState>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let gateway = &state.config.payments;
    let now = OffsetDateTime::now_utc();
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let order = if !field("razorpay_signature").is_empty() {
        let (order, payment) = (field("razorpay_order_id"), field("razorpay_payment_id"));
        if !gateway.return_is_genuine(order, payment, field("razorpay_signature")) {
            tracing::warn!(target: "security", order, payment, "a checkout return with a forged signature");
            return (
                StatusCode::BAD_REQUEST,
                "the payment's signature does not check out",
            )
                .into_response();
        }
        match gateway.payment(payment).await {
            Ok(seen) if seen.order_id == order => settle(&state, seen, now).await,
            Ok(_) => tracing::warn!(
                order,
                payment,
                "a checkout return naming another order's payment"
            ),
            // the webhook or reconciliation will settle it; the page says it is pending
            Err(e) => {
                tracing::warn!(error = %e, order, "the gateway could not be asked after a return")
            }
        }
        order.to_string()
    } else {
        // a failed try: its order, from the metadata (not trusted: the gateway is asked)
        let order = serde_json::from_str::<serde_json::Value>(field("error[metadata]"))
            .ok()
            .and_then(|m| {
                m.get("order_id")
                    .and_then(|o| o.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_default();
        if !order.is_empty() {
            match gateway.payments_of(&order).await {
                Ok(all) => {
                    for seen in all {
                        settle(&state, seen, now).await;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, order, "the gateway could not be asked after a failed try")
                }
            }
        }
        order
    };
    let page = match store::page_of_order(&state.pool, &order).await {
        Ok(Some(page)) => page,
        _ => "/applications".to_string(),
    };
    Redirect::to(&page).into_response()
}

async fn settle(state: &AppState, seen: domain::payments::gateway::Observed, now: OffsetDateTime) {
    if let Err(e) = store::observe(&state.pool, &state.config.payments, seen, now).await {
        tracing::warn!(error = %e, "a payment could not be settled now; reconciliation will");
    }
}

/// The webhook's answer when it was taken (the gateway stops sending it).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Taken {
    /// `taken`, or `seen` for an event already taken
    pub status: &'static str,
}

/// `POST /api/v1/payments/webhook`: Razorpay's webhooks (`payment.authorized`,
/// `payment.captured`, `payment.failed`, `order.paid`, `refund.processed`…). Taken with 200 once
/// applied (a repeated event id is answered at once); 503 when it could not be applied now, so
/// the gateway sends it again; 400 when its signature does not check out.
#[utoipa::path(
    post,
    path = "/api/v1/payments/webhook",
    tag = "payments",
    request_body(content = String, content_type = "application/json",
        description = "The gateway's event, exactly as it sent it (the signature covers these bytes)"),
    params(
        ("X-Razorpay-Signature" = String, Header, description = "hex HMAC-SHA256 of the body with the webhook secret"),
        ("x-razorpay-event-id" = String, Header, description = "the event's id; an id seen before is not applied again"),
    ),
    responses(
        (status = 200, description = "taken (or seen before)", body = Taken),
        (status = 400, description = "the signature does not check out, or the body is not an event", body = super::ErrorBody),
        (status = 503, description = "it could not be applied now: send it again", body = super::ErrorBody),
    )
)]
pub async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let gateway = &state.config.payments;
    if !gateway.webhook_is_genuine(&body, &header("x-razorpay-signature")) {
        tracing::warn!(target: "security", bytes = body.len(), "a payment webhook with a forged signature was refused");
        return ApiError::new(StatusCode::BAD_REQUEST, "bad_signature").into_response();
    }
    let event_id = header("x-razorpay-event-id");
    let now = OffsetDateTime::now_utc();
    match store::seen_event(&state.pool, &event_id).await {
        Ok(true) => return axum::Json(Taken { status: "seen" }).into_response(),
        Ok(false) => {}
        Err(p) => return ApiError::from(p).into_response(),
    }
    let Ok(event) = Event::parse(&body) else {
        return ApiError::new(StatusCode::BAD_REQUEST, "not_an_event").into_response();
    };
    let name = event.event.clone();
    let refund = event.refund_of_ours();
    let applied = match event.payment() {
        Some(Ok(seen)) => match store::observe(&state.pool, gateway, seen, now).await {
            // not one of our orders (another system on the same account): nothing to do
            Ok(_) | Err(Problem::NotFound) => Ok(()),
            Err(p) => Err(p),
        },
        Some(Err(e)) => {
            tracing::warn!(error = %e, event = name, "a webhook's payment could not be read");
            Ok(())
        }
        None => Ok(()),
    };
    let applied = match (applied, refund) {
        (Ok(()), Some(refund)) => store::process(&state.pool, gateway, refund, now)
            .await
            .map(|_| ()),
        (other, _) => other,
    };
    if let Err(p) = applied {
        tracing::warn!(error = %p, event = name, "a webhook could not be applied now; the gateway will send it again");
        return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "try_again").into_response();
    }
    if let Err(p) = store::took_event(&state.pool, &event_id, &name, now).await {
        return ApiError::from(p).into_response();
    }
    axum::Json(Taken { status: "taken" }).into_response()
}

/// The OpenAPI document's part for payments.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(webhook),
    components(schemas(Taken)),
    tags((name = "payments", description = "What the payment gateway tells the city"))
)]
pub struct ApiDoc;

#[derive(serde::Deserialize)]
pub struct PdfQuery {
    /// `en`, `or` or `hi`; the reader's own when absent
    lang: Option<String>,
}

/// `GET /receipts/{number}/receipt.pdf`: a receipt as a PDF in the reader's language beside
/// English, to those who may read it (its payer, its department, a city admin; anyone else: not
/// found).
pub async fn receipt_pdf(
    State(state): State<AppState>,
    axum::Extension(caller): axum::Extension<app::request::Caller>,
    axum::Extension(locale): axum::Extension<domain::Locale>,
    axum::extract::Path(number): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<PdfQuery>,
) -> Response {
    use axum::http::header;
    let locale = q
        .lang
        .as_deref()
        .and_then(domain::Locale::from_code)
        .unwrap_or(locale);
    let Some(account) = caller.account else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(number) = domain::reference::parse(domain::payments::RECEIPT_PREFIX, &number) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let r = match store::receipt(&state.pool, &account.actor(), &number, locale).await {
        Ok(r) => r,
        Err(p) => return ApiError::from(p).into_response(),
    };
    let printable = domain::payments::receipt_pdf::Printable {
        paid_for: app::payments::paid_for(r.purpose, &r.paid_for, locale),
        method: r
            .method
            .as_deref()
            .map(|m| app::payments::receipt::method_label(m, locale).to_string()),
        date: app::grievances::ist(r.issued_at),
        link: format!("{}/receipts/{}", state.config.public_url, r.number),
        receipt: &r,
    };
    match domain::payments::receipt_pdf::render(&printable, locale) {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.pdf\"", r.number),
                ),
                (header::CACHE_CONTROL, "private, no-store".into()),
            ],
            body,
        )
            .into_response(),
        Err(p) => ApiError::from(p).into_response(),
    }
}
