//! The one interface to a payment gateway: orders, the payments made against them, capture,
//! refunds, the hosted checkout the browser is sent to, and the two signatures that prove news
//! came from the gateway (a webhook's, and the browser's return from the checkout). Razorpay's
//! adapter is `super::razorpay`; another gateway is another implementation of `Gateway`.

use super::Seen;
use crate::money::Paise;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::future::Future;

/// An order asked of the gateway: the amount, and our payment's id as its receipt.
#[derive(Clone, Debug)]
pub struct NewOrder {
    pub amount: Paise,
    pub receipt: String,
    /// what the person reads on the checkout ("Application AP-26-0000001-3")
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub id: String,
    pub amount: Paise,
}

/// One payment of an order as the gateway tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observed {
    pub id: String,
    pub order_id: String,
    pub seen: Seen,
    pub amount: Paise,
    /// upi, card, netbanking, wallet
    pub method: Option<String>,
    /// why it failed, in the gateway's words (kept for the department, not shown as is)
    pub error: Option<String>,
}

/// A refund as the gateway tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayRefund {
    pub id: String,
    pub payment_id: String,
    pub amount: Paise,
    /// our refund's id, as we gave it (so a refund asked twice is found, not made twice)
    pub ours: Option<String>,
    pub processed: bool,
}

/// Where the browser goes to pay: a form it posts to the gateway's hosted checkout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkout {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// Why the gateway did not do it.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// down, slow or answering 5xx: try again later (reconciliation will)
    #[error("the gateway is unavailable: {0}")]
    Unavailable(String),
    /// it said no (a 4xx with its reason)
    #[error("the gateway refused: {0}")]
    Refused(String),
}

pub trait Gateway: Send + Sync {
    /// The name kept with each payment ("razorpay").
    fn name(&self) -> &'static str;
    fn create_order(
        &self,
        order: &NewOrder,
    ) -> impl Future<Output = Result<Order, GatewayError>> + Send;
    fn payments_of(
        &self,
        order_id: &str,
    ) -> impl Future<Output = Result<Vec<Observed>, GatewayError>> + Send;
    fn payment(&self, id: &str) -> impl Future<Output = Result<Observed, GatewayError>> + Send;
    fn capture(
        &self,
        payment_id: &str,
        amount: Paise,
    ) -> impl Future<Output = Result<Observed, GatewayError>> + Send;
    /// Gives `amount` back; `ours` is our refund's id, which the gateway keeps with it.
    fn refund(
        &self,
        payment_id: &str,
        amount: Paise,
        ours: &str,
    ) -> impl Future<Output = Result<GatewayRefund, GatewayError>> + Send;
    fn refunds_of(
        &self,
        payment_id: &str,
    ) -> impl Future<Output = Result<Vec<GatewayRefund>, GatewayError>> + Send;
    /// The hosted checkout for `order`; the gateway posts the outcome to `return_url`, and sends
    /// the person to `cancel_url` if they give up.
    fn checkout(&self, order: &Order, about: &CheckoutAbout) -> Checkout;
    /// A webhook's body is the gateway's (its signature header checks out).
    fn webhook_is_genuine(&self, body: &[u8], signature: &str) -> bool;
    /// The browser's return from the checkout names a payment the gateway made for this order.
    fn return_is_genuine(&self, order_id: &str, payment_id: &str, signature: &str) -> bool;
}

/// What the checkout shows and where it sends the person after.
#[derive(Clone, Debug)]
pub struct CheckoutAbout {
    pub description: String,
    pub name: String,
    pub mobile: String,
    pub email: Option<String>,
    pub return_url: String,
    pub cancel_url: String,
}

/// HMAC-SHA256 of `message` with `secret`, in lower-case hex (Razorpay's signatures).
pub fn hmac_hex(secret: &str, message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(message);
    hex(&mac.finalize().into_bytes())
}

/// Whether `signature` (hex) is the HMAC-SHA256 of `message` with `secret`, compared in constant
/// time.
pub fn hmac_hex_matches(secret: &str, message: &[u8], signature: &str) -> bool {
    let Some(given) = unhex(signature.trim()) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(message);
    mac.verify_slice(&given).is_ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || s.is_empty() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hex_hmac_sha256() {
        // RFC 4231, test case 2
        assert_eq!(
            hmac_hex("Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let sig = hmac_hex("secret", b"order_1|pay_1");
        assert!(hmac_hex_matches("secret", b"order_1|pay_1", &sig));
        assert!(hmac_hex_matches(
            "secret",
            b"order_1|pay_1",
            &sig.to_uppercase()
        ));
        assert!(!hmac_hex_matches("secret", b"order_1|pay_2", &sig));
        assert!(!hmac_hex_matches("other", b"order_1|pay_1", &sig));
        assert!(!hmac_hex_matches("secret", b"order_1|pay_1", ""));
        assert!(!hmac_hex_matches("secret", b"order_1|pay_1", "zz"));
        assert!(!hmac_hex_matches("secret", b"order_1|pay_1", &sig[..10]));
    }
}
