//! The billers, through one interface shaped as Bharat BillPay's three calls: bill fetch
//! (`POST {base}/bbps/bill/fetch`), bill payment (`/bbps/bill/pay`) and transaction status
//! (`/bbps/txn/status`), in BBPS's words (`refId`, `customerParams`, `billerResponse`,
//! `paymentExactness`, `txnRefId`, `approvalRefNumber`, `responseCode` "000" for success).
//! One adapter per biller, each at its own address with the customer parameter it asks for
//! (`Billers` holds them; `NAGARIK_BILLER_<CODE>_URL` points one elsewhere).
//!
//! What a biller answers becomes `BillerError`: `Unknown` (no such consumer), `NothingDue` (the
//! bill is paid), `Refused` (it will not take this payment, with its reason) or `Unavailable`
//! (down, failing or too slow: try again later).

use super::{BillerId, Exactness};
use crate::money::Paise;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BillerError {
    #[error("no such consumer")]
    Unknown,
    #[error("no bill is due")]
    NothingDue,
    #[error("the biller refused: {0}")]
    Refused(String),
    #[error("the biller is unavailable: {0}")]
    Unavailable(String),
}

/// A bill as the biller fetched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    pub customer_name: String,
    pub bill_number: String,
    pub period: String,
    pub bill_date: Option<time::Date>,
    pub due_date: Option<time::Date>,
    /// what is due now (what was paid of it already taken off)
    pub amount: Paise,
    pub exactness: Exactness,
    pub minimum: Paise,
}

/// A payment the biller is told of: our bill payment's number is BBPS's `txnRefId`, so a
/// second telling of the same payment is the same payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Told {
    pub txn_ref: String,
    pub consumer: String,
    pub bill_number: String,
    pub amount: Paise,
    pub method: String,
}

/// What became of a payment at the biller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// taken, with the biller's reference
    Taken(String),
    /// refused, with its reason
    Refused(String),
    /// the biller has not decided, or never heard of it (status only)
    NotYet,
}

/// One biller's adapter: BBPS's calls at its address.
#[derive(Clone, Debug)]
pub struct Bbps {
    pub biller: BillerId,
    pub url: String,
    http: reqwest::Client,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Param<'a> {
    name: &'a str,
    value: &'a str,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Answer {
    response_code: String,
    response_reason: String,
    biller_response: Option<BillerResponse>,
    payment_exactness: Option<String>,
    minimum_amount: Option<String>,
    approval_ref_number: Option<String>,
    txn_status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct BillerResponse {
    customer_name: String,
    amount: String,
    bill_date: String,
    due_date: String,
    bill_number: String,
    bill_period: String,
}

fn paise(s: &str) -> Result<Paise, BillerError> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 0)
        .map(Paise)
        .ok_or_else(|| BillerError::Unavailable(format!("an amount that is not paise: {s:?}")))
}

fn day(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

impl Bbps {
    pub fn new(biller: BillerId, url: &str) -> Bbps {
        let http = reqwest::Client::builder()
            // a slow biller is waited for this long, then asked again later
            .timeout(Duration::from_secs(8))
            .connect_timeout(Duration::from_secs(3))
            .build()
            .expect("an HTTP client builds");
        Bbps {
            biller,
            url: url.trim_end_matches('/').to_string(),
            http,
        }
    }

    async fn call(&self, path: &str, body: serde_json::Value) -> Result<Answer, BillerError> {
        let started = std::time::Instant::now();
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .map_err(|e| BillerError::Unavailable(e.to_string()))?;
        let status = response.status();
        tracing::debug!(biller = self.biller.code(), path, %status, ms = started.elapsed().as_millis() as u64, "biller");
        if !status.is_success() {
            return Err(BillerError::Unavailable(format!("{path}: {status}")));
        }
        response
            .json()
            .await
            .map_err(|e| BillerError::Unavailable(format!("{path}: unreadable answer: {e}")))
    }

    fn ref_id() -> String {
        crate::db::new_id().simple().to_string()
    }

    /// BBPS bill fetch: the bill now due for `consumer`.
    pub async fn fetch(&self, consumer: &str) -> Result<Fetched, BillerError> {
        let body = serde_json::json!({
            "refId": Self::ref_id(),
            "customerParams": [Param { name: self.biller.parameter(), value: consumer }],
        });
        let a = self.call("/bbps/bill/fetch", body).await?;
        match a.response_code.as_str() {
            "000" => {}
            "BFR004" => return Err(BillerError::Unknown),
            "BFR005" => return Err(BillerError::NothingDue),
            code => {
                return Err(BillerError::Unavailable(format!(
                    "fetch answered {code}: {}",
                    a.response_reason
                )))
            }
        }
        let bill = a
            .biller_response
            .ok_or_else(|| BillerError::Unavailable("a fetch without its bill".into()))?;
        Ok(Fetched {
            amount: paise(&bill.amount)?,
            minimum: match a.minimum_amount.as_deref() {
                Some(m) if !m.trim().is_empty() => paise(m)?,
                _ => Paise(0),
            },
            exactness: Exactness::from_bbps(a.payment_exactness.as_deref().unwrap_or("")),
            customer_name: bill.customer_name,
            bill_number: bill.bill_number,
            period: bill.bill_period,
            bill_date: day(&bill.bill_date),
            due_date: day(&bill.due_date),
        })
    }

    /// BBPS bill payment: tells the biller of money taken for a bill.
    pub async fn pay(&self, told: &Told) -> Result<Outcome, BillerError> {
        let body = serde_json::json!({
            "refId": Self::ref_id(),
            "txnRefId": told.txn_ref,
            "customerParams": [Param { name: self.biller.parameter(), value: &told.consumer }],
            "billNumber": told.bill_number,
            "amount": told.amount.0.to_string(),
            "paymentMode": told.method,
        });
        let a = self.call("/bbps/bill/pay", body).await?;
        Ok(match a.response_code.as_str() {
            "000" => Outcome::Taken(a.approval_ref_number.unwrap_or_default()),
            "BPR001" => Outcome::NotYet,
            _ => Outcome::Refused(if a.response_reason.is_empty() {
                a.response_code
            } else {
                a.response_reason
            }),
        })
    }

    /// BBPS transaction status: what became of a payment told before (an answer lost).
    pub async fn status(&self, txn_ref: &str) -> Result<Outcome, BillerError> {
        let body = serde_json::json!({ "refId": Self::ref_id(), "txnRefId": txn_ref });
        let a = self.call("/bbps/txn/status", body).await?;
        Ok(match (a.response_code.as_str(), a.txn_status.as_deref()) {
            ("000", Some("SUCCESS")) => Outcome::Taken(a.approval_ref_number.unwrap_or_default()),
            ("000", Some("FAILURE")) => Outcome::Refused(a.response_reason),
            _ => Outcome::NotYet,
        })
    }
}

/// Every biller's adapter.
#[derive(Clone, Debug)]
pub struct Billers {
    adapters: Vec<Bbps>,
}

impl Billers {
    /// Each biller at `{base}/{code}` unless `NAGARIK_BILLER_<CODE>_URL` says otherwise.
    pub fn at(base: &str, overrides: impl Fn(BillerId) -> Option<String>) -> Billers {
        let base = base.trim_end_matches('/');
        Billers {
            adapters: BillerId::ALL
                .into_iter()
                .map(|b| {
                    let url = overrides(b).unwrap_or_else(|| format!("{base}/{}", b.code()));
                    Bbps::new(b, &url)
                })
                .collect(),
        }
    }

    pub fn get(&self, biller: BillerId) -> &Bbps {
        self.adapters
            .iter()
            .find(|a| a.biller == biller)
            .expect("every biller has an adapter")
    }
}
