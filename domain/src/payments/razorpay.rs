//! Razorpay's API as a `Gateway`: Orders (`POST /v1/orders`, `GET /v1/orders/{id}/payments`),
//! Payments (`GET /v1/payments/{id}`, `POST /v1/payments/{id}/capture`), Refunds
//! (`POST /v1/payments/{id}/refund`, `GET /v1/payments/{id}/refunds`), with HTTP basic auth by the
//! key id and secret; the hosted checkout (`POST /v1/checkout/embedded`); webhooks signed in
//! `X-Razorpay-Signature` (hex HMAC-SHA256 of the raw body with the webhook secret) and the
//! checkout's return signed in `razorpay_signature` (hex HMAC-SHA256 of `order_id|payment_id`
//! with the key secret). A city goes live with its own keys and `https://api.razorpay.com`; the
//! project's sandbox (`nagarik sandbox-razorpay`) speaks the same protocol.

use super::gateway::*;
use super::Seen;
use crate::money::Paise;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

/// Where the gateway is and the city's keys.
#[derive(Clone)]
pub struct Settings {
    /// `https://api.razorpay.com`, or the sandbox's address
    pub url: String,
    pub key_id: String,
    pub key_secret: String,
    pub webhook_secret: String,
}

/// The secrets stay out of logs.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("url", &self.url)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// The origin of the gateway's pages (for the checkout form's `form-action`).
    pub fn origin(&self) -> &str {
        origin_of(&self.url)
    }

    /// The sandbox's fixed test keys (README.md shows them), at `url`.
    pub fn sandbox(url: &str) -> Settings {
        Settings {
            url: url.trim_end_matches('/').to_string(),
            key_id: SANDBOX_KEY_ID.into(),
            key_secret: SANDBOX_KEY_SECRET.into(),
            webhook_secret: SANDBOX_WEBHOOK_SECRET.into(),
        }
    }
}

pub const SANDBOX_KEY_ID: &str = "rzp_test_nagarik";
pub const SANDBOX_KEY_SECRET: &str = "nagarik_sandbox_key_secret";
pub const SANDBOX_WEBHOOK_SECRET: &str = "nagarik_sandbox_webhook_secret";

#[derive(Clone, Debug)]
pub struct Razorpay {
    settings: Settings,
    http: reqwest::Client,
}

impl Razorpay {
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn new(settings: Settings) -> Razorpay {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(3))
            .build()
            .expect("an HTTP client");
        Razorpay { settings, http }
    }

    async fn call<T: for<'de> Deserialize<'de>>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T, GatewayError> {
        let mut req = self
            .http
            .request(method, format!("{}/v1{path}", self.settings.url))
            .basic_auth(&self.settings.key_id, Some(&self.settings.key_secret));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        let status = res.status();
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(GatewayError::Unavailable(format!("{path}: {status}")));
        }
        if !status.is_success() {
            let said: ErrorBody = res.json().await.unwrap_or_default();
            return Err(GatewayError::Refused(format!(
                "{path}: {status} {} {}",
                said.error.code, said.error.description
            )));
        }
        res.json()
            .await
            .map_err(|e| GatewayError::Unavailable(format!("{path}: unreadable answer: {e}")))
    }
}

#[derive(Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: ErrorDetail,
}

#[derive(Default, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
struct OrderBody {
    id: String,
    amount: i64,
}

#[derive(Deserialize)]
struct Collection<T> {
    items: Vec<T>,
}

/// A payment entity, as the API and the webhooks' payloads carry it.
#[derive(Deserialize)]
pub struct PaymentBody {
    id: String,
    #[serde(default)]
    order_id: Option<String>,
    status: String,
    amount: i64,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

impl PaymentBody {
    pub fn observed(self) -> Result<Observed, GatewayError> {
        let seen = Seen::parse(&self.status).ok_or_else(|| {
            GatewayError::Refused(format!("payment {}: status {:?}", self.id, self.status))
        })?;
        Ok(Observed {
            order_id: self.order_id.unwrap_or_default(),
            id: self.id,
            seen,
            amount: Paise(self.amount),
            method: self.method,
            error: self.error_description,
        })
    }
}

#[derive(Deserialize)]
struct RefundBody {
    id: String,
    payment_id: String,
    amount: i64,
    #[serde(default)]
    notes: serde_json::Value,
    status: String,
}

impl RefundBody {
    fn refund(self) -> GatewayRefund {
        GatewayRefund {
            ours: self
                .notes
                .get("refund")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            id: self.id,
            payment_id: self.payment_id,
            amount: Paise(self.amount),
            processed: self.status == "processed",
        }
    }
}

/// A webhook's event: its name and the payment it is about (`payload.payment.entity`), if any.
#[derive(Deserialize)]
pub struct Event {
    pub event: String,
    #[serde(default)]
    payload: EventPayload,
}

#[derive(Default, Deserialize)]
struct EventPayload {
    #[serde(default)]
    payment: Option<Wrapped<PaymentBody>>,
    #[serde(default)]
    refund: Option<Wrapped<RefundBody>>,
}

#[derive(Deserialize)]
struct Wrapped<T> {
    entity: T,
}

impl Event {
    pub fn parse(body: &[u8]) -> Result<Event, serde_json::Error> {
        serde_json::from_slice(body)
    }
    /// Our id of the refund the event tells of (`refund.processed`), if it is one of ours.
    pub fn refund_of_ours(&self) -> Option<uuid::Uuid> {
        let r = self.payload.refund.as_ref()?;
        r.entity.notes.get("refund")?.as_str()?.parse().ok()
    }

    /// The payment the event tells of, as observed.
    pub fn payment(self) -> Option<Result<Observed, GatewayError>> {
        self.payload.payment.map(|p| p.entity.observed())
    }
}

impl Gateway for Razorpay {
    fn name(&self) -> &'static str {
        "razorpay"
    }

    async fn create_order(&self, order: &NewOrder) -> Result<Order, GatewayError> {
        let body: OrderBody = self
            .call(
                reqwest::Method::POST,
                "/orders",
                Some(json!({
                    "amount": order.amount.0,
                    "currency": "INR",
                    "receipt": order.receipt,
                    "payment_capture": false,
                    "notes": {"description": order.description},
                })),
            )
            .await?;
        Ok(Order {
            id: body.id,
            amount: Paise(body.amount),
        })
    }

    async fn payments_of(&self, order_id: &str) -> Result<Vec<Observed>, GatewayError> {
        let list: Collection<PaymentBody> = self
            .call(
                reqwest::Method::GET,
                &format!("/orders/{}/payments", path_part(order_id)),
                None,
            )
            .await?;
        list.items.into_iter().map(PaymentBody::observed).collect()
    }

    async fn payment(&self, id: &str) -> Result<Observed, GatewayError> {
        let p: PaymentBody = self
            .call(
                reqwest::Method::GET,
                &format!("/payments/{}", path_part(id)),
                None,
            )
            .await?;
        p.observed()
    }

    async fn capture(&self, payment_id: &str, amount: Paise) -> Result<Observed, GatewayError> {
        let p: PaymentBody = self
            .call(
                reqwest::Method::POST,
                &format!("/payments/{}/capture", path_part(payment_id)),
                Some(json!({"amount": amount.0, "currency": "INR"})),
            )
            .await?;
        p.observed()
    }

    async fn refund(
        &self,
        payment_id: &str,
        amount: Paise,
        ours: &str,
    ) -> Result<GatewayRefund, GatewayError> {
        let r: RefundBody = self
            .call(
                reqwest::Method::POST,
                &format!("/payments/{}/refund", path_part(payment_id)),
                Some(json!({"amount": amount.0, "receipt": ours, "notes": {"refund": ours}})),
            )
            .await?;
        Ok(r.refund())
    }

    async fn refunds_of(&self, payment_id: &str) -> Result<Vec<GatewayRefund>, GatewayError> {
        let list: Collection<RefundBody> = self
            .call(
                reqwest::Method::GET,
                &format!("/payments/{}/refunds", path_part(payment_id)),
                None,
            )
            .await?;
        Ok(list.items.into_iter().map(RefundBody::refund).collect())
    }

    fn checkout(&self, order: &Order, about: &CheckoutAbout) -> Checkout {
        let mut fields = vec![
            ("key_id".to_string(), self.settings.key_id.clone()),
            ("order_id".to_string(), order.id.clone()),
            ("amount".to_string(), order.amount.0.to_string()),
            ("currency".to_string(), "INR".to_string()),
            ("name".to_string(), about.name.clone()),
            ("description".to_string(), about.description.clone()),
            ("prefill[contact]".to_string(), about.mobile.clone()),
            ("callback_url".to_string(), about.return_url.clone()),
            ("cancel_url".to_string(), about.cancel_url.clone()),
        ];
        if let Some(email) = &about.email {
            fields.push(("prefill[email]".to_string(), email.clone()));
        }
        Checkout {
            action: format!("{}/v1/checkout/embedded", self.settings.url),
            fields,
        }
    }

    fn webhook_is_genuine(&self, body: &[u8], signature: &str) -> bool {
        hmac_hex_matches(&self.settings.webhook_secret, body, signature)
    }

    fn return_is_genuine(&self, order_id: &str, payment_id: &str, signature: &str) -> bool {
        hmac_hex_matches(
            &self.settings.key_secret,
            format!("{order_id}|{payment_id}").as_bytes(),
            signature,
        )
    }
}

/// `https://host:port` of an address.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// An id from outside goes into a path only if it looks like one (letters, digits, `_`).
fn path_part(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkouts_return_is_signed_over_order_and_payment() {
        let r = Razorpay::new(Settings::sandbox("http://127.0.0.1:1"));
        let sig = hmac_hex(SANDBOX_KEY_SECRET, b"order_A|pay_B");
        assert!(r.return_is_genuine("order_A", "pay_B", &sig));
        assert!(!r.return_is_genuine("order_A", "pay_C", &sig));
        let body = br#"{"event":"payment.captured"}"#;
        let hook = hmac_hex(SANDBOX_WEBHOOK_SECRET, body);
        assert!(r.webhook_is_genuine(body, &hook));
        assert!(!r.webhook_is_genuine(br#"{"event":"payment.failed"}"#, &hook));
        // the key secret does not sign webhooks
        assert!(!r.webhook_is_genuine(body, &hmac_hex(SANDBOX_KEY_SECRET, body)));
    }

    #[test]
    fn a_webhook_names_its_payment() {
        let body = br#"{"entity":"event","event":"payment.authorized","payload":{"payment":{"entity":{"id":"pay_1","order_id":"order_1","status":"authorized","amount":5000,"method":"upi"}}}}"#;
        let e = Event::parse(body).unwrap();
        assert_eq!(e.event, "payment.authorized");
        let p = e.payment().unwrap().unwrap();
        assert_eq!(
            (p.id.as_str(), p.order_id.as_str(), p.seen, p.amount),
            ("pay_1", "order_1", Seen::Authorized, Paise(5000))
        );
        assert!(
            Event::parse(br#"{"event":"refund.processed","payload":{}}"#)
                .unwrap()
                .payment()
                .is_none()
        );
    }

    #[test]
    fn the_gateways_origin_is_its_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://api.razorpay.com"),
            "https://api.razorpay.com"
        );
        assert_eq!(origin_of("http://127.0.0.1:3026/"), "http://127.0.0.1:3026");
        assert_eq!(
            origin_of("http://127.0.0.1:3026/v1"),
            "http://127.0.0.1:3026"
        );
    }

    #[test]
    fn ids_cannot_walk_the_path() {
        assert_eq!(path_part("pay_1/../../orders"), "pay_1orders");
    }
}
