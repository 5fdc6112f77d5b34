//! The sandbox's hosted checkout, as Razorpay's `POST /v1/checkout/embedded` is used: the
//! merchant's page posts the order to it, the person chooses how to pay (or to fail, or to give
//! up), and the outcome is posted back to the merchant's `callback_url` with
//! `razorpay_payment_id`, `razorpay_order_id` and `razorpay_signature` (or `error[…]` fields when
//! it failed). A UPI request can be left for the bank to answer later
//! (`/sandbox/payments/{id}/approve` or `/decline`); only the webhook then tells the merchant.

use super::{bad_request, mark_captured, now, webhooks, Payment, Shared};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use domain::payments::gateway::hmac_hex;
use serde::Deserialize;
use serde_json::json;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/checkout/embedded", post(page))
        .route("/v1/checkout/pay", post(pay))
        .route("/sandbox/payments/{id}/approve", post(approve))
        .route("/sandbox/payments/{id}/decline", post(decline))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rupees(paise: i64) -> String {
    format!("₹{}.{:02}", paise / 100, paise % 100)
}

fn shell(title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:sans-serif;max-width:30rem;margin:1rem auto;padding:0 1rem;line-height:1.5}}
fieldset{{border:1px solid #888;padding:.5rem 1rem}}label{{display:block;padding:.4rem 0}}
button{{font-size:1rem;padding:.6rem 1.2rem;margin:.5rem .5rem .5rem 0}}.amount{{font-size:1.5rem;font-weight:bold}}</style>
</head><body><main>{body}</main></body></html>"#
    ))
}

/// The merchant's form, as Razorpay's hosted checkout takes it.
#[derive(Deserialize)]
struct Embedded {
    key_id: String,
    order_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    callback_url: String,
    #[serde(default)]
    cancel_url: String,
    #[serde(rename = "prefill[contact]", default)]
    contact: String,
    #[serde(rename = "prefill[email]", default)]
    email: String,
}

async fn page(State(state): State<Shared>, Form(e): Form<Embedded>) -> Response {
    let s = state.lock().unwrap();
    if e.key_id != s.key_id {
        return (StatusCode::UNAUTHORIZED, "The api key provided is invalid").into_response();
    }
    let Some(order) = s.orders.get(&e.order_id) else {
        return bad_request("The id provided does not exist");
    };
    if order.status == "paid" {
        return shell("Paid", "<h1>This order is paid already</h1>").into_response();
    }
    let hidden = |name: &str, value: &str| {
        format!(
            r#"<input type="hidden" name="{name}" value="{}">"#,
            esc(value)
        )
    };
    let choices = [
        ("upi", "UPI: pay now"),
        ("upi_later", "UPI: a request my bank answers later"),
        ("card", "Card: pay"),
        ("netbanking", "Net banking: pay"),
        ("fail", "Card: declined by the bank"),
    ];
    let radios: String = choices
        .iter()
        .enumerate()
        .map(|(i, (value, label))| {
            format!(
                r#"<label><input type="radio" name="choice" value="{value}"{}> {label}</label>"#,
                if i == 0 { " checked" } else { "" }
            )
        })
        .collect();
    let cancel = if e.cancel_url.is_empty() {
        String::new()
    } else {
        format!(
            r#"<p><a href="{}">Cancel and go back</a></p>"#,
            esc(&e.cancel_url)
        )
    };
    let body = format!(
        r#"<h1>Sandbox checkout</h1>
<p>{name}: {description}</p>
<p class="amount" data-testid="checkout-amount">{amount}</p>
<form method="post" action="/v1/checkout/pay">
{order}{callback}{contact}{email}
<fieldset><legend>How to pay (no money moves in the sandbox)</legend>{radios}</fieldset>
<button type="submit">Pay {amount}</button>
</form>{cancel}"#,
        name = esc(&e.name),
        description = esc(&e.description),
        amount = rupees(order.amount),
        order = hidden("order_id", &e.order_id),
        callback = hidden("callback_url", &e.callback_url),
        contact = hidden("contact", &e.contact),
        email = hidden("email", &e.email),
    );
    shell("Sandbox checkout", &body).into_response()
}

#[derive(Deserialize)]
struct Pay {
    order_id: String,
    callback_url: String,
    choice: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    email: String,
}

async fn pay(State(state): State<Shared>, Form(p): Form<Pay>) -> Response {
    let mut s = state.lock().unwrap();
    let Some(order) = s.orders.get(&p.order_id).cloned() else {
        return bad_request("The id provided does not exist");
    };
    if order.status == "paid" {
        return bad_request("Order has already been paid");
    }
    let method = match p.choice.as_str() {
        "upi" | "upi_later" => "upi",
        "card" | "fail" => "card",
        "netbanking" => "netbanking",
        _ => return bad_request("Choose how to pay"),
    };
    let id = s.id("pay");
    let payment = Payment {
        id: id.clone(),
        entity: "payment",
        amount: order.amount,
        currency: order.currency.clone(),
        status: "created",
        order_id: order.id.clone(),
        method: method.into(),
        captured: false,
        amount_refunded: 0,
        refund_status: None,
        error_code: None,
        error_description: None,
        email: p.email,
        contact: p.contact,
        fee: 0,
        tax: 0,
        created_at: now(),
    };
    s.payments.insert(id.clone(), payment);
    if let Some(o) = s.orders.get_mut(&order.id) {
        o.attempts += 1;
        o.status = "attempted";
    }
    match p.choice.as_str() {
        "upi_later" => {
            let body = format!(
                r#"<h1>Approve the request in your UPI app</h1>
<p data-testid="upi-waiting">A request for {} was sent to your UPI app. Your bank will tell the merchant when you answer.</p>
<p>Payment <code>{id}</code></p>"#,
                rupees(order.amount)
            );
            shell("Waiting for your bank", &body).into_response()
        }
        "fail" => {
            decide(&mut s, &id, false);
            back(&s, &p.callback_url, &id, false)
        }
        _ => {
            decide(&mut s, &id, true);
            back(&s, &p.callback_url, &id, true)
        }
    }
}

/// The bank's answer: authorized (and captured at once if the order asked for that), or failed.
fn decide(s: &mut super::Sandbox, id: &str, approved: bool) {
    let Some(p) = s.payments.get_mut(id) else {
        return;
    };
    if p.status != "created" {
        return;
    }
    if approved {
        p.status = "authorized";
    } else {
        p.status = "failed";
        p.error_code = Some("BAD_REQUEST_ERROR".into());
        p.error_description = Some("Payment processing failed because the bank declined it".into());
    }
    let p = p.clone();
    let event = if approved {
        "payment.authorized"
    } else {
        "payment.failed"
    };
    webhooks::queue(s, event, json!({"payment": {"entity": p}}));
    let auto = s.orders.get(&p.order_id).is_some_and(|o| o.auto_capture);
    if approved && auto {
        mark_captured(s, id);
    }
}

/// Posts the outcome back to the merchant, as the checkout's redirect does: a form the browser
/// submits at once (a button for a browser without JavaScript).
fn back(s: &super::Sandbox, callback: &str, id: &str, ok: bool) -> Response {
    let p = &s.payments[id];
    let mut fields: Vec<(String, String)> = if ok {
        vec![
            ("razorpay_payment_id".into(), p.id.clone()),
            ("razorpay_order_id".into(), p.order_id.clone()),
            (
                "razorpay_signature".into(),
                hmac_hex(&s.key_secret, format!("{}|{}", p.order_id, p.id).as_bytes()),
            ),
        ]
    } else {
        vec![
            ("error[code]".into(), "BAD_REQUEST_ERROR".into()),
            (
                "error[description]".into(),
                p.error_description.clone().unwrap_or_default(),
            ),
            ("error[source]".into(), "bank".into()),
            ("error[step]".into(), "payment_authorization".into()),
            ("error[reason]".into(), "payment_failed".into()),
        ]
    };
    if !ok {
        fields.push((
            "error[metadata]".into(),
            json!({"payment_id": p.id, "order_id": p.order_id}).to_string(),
        ));
    }
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                esc(k),
                esc(v)
            )
        })
        .collect();
    let body = format!(
        r#"<h1>{}</h1><form id="back" method="post" action="{}">{inputs}<button type="submit">Return to the merchant</button></form>
<script>document.getElementById('back').submit()</script>"#,
        if ok { "Payment done" } else { "Payment failed" },
        esc(callback)
    );
    shell("Returning", &body).into_response()
}

async fn approve(State(state): State<Shared>, Path(id): Path<String>) -> StatusCode {
    answer(&state, &id, true)
}

async fn decline(State(state): State<Shared>, Path(id): Path<String>) -> StatusCode {
    answer(&state, &id, false)
}

fn answer(state: &Shared, id: &str, approved: bool) -> StatusCode {
    let mut s = state.lock().unwrap();
    if !s.payments.contains_key(id) {
        return StatusCode::NOT_FOUND;
    }
    decide(&mut s, id, approved);
    StatusCode::NO_CONTENT
}
