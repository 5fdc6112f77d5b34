//! `nagarik sandbox-billers ADDR`: the city's billers as they would answer through Bharat
//! BillPay, run as their own process so bills are fetched and payments told across real HTTP.
//! Each biller answers at its own path (`/watco`, `/tpcodl`, `/bmc-holding-tax`) the three calls
//! of `domain::bills::biller`: `POST …/bbps/bill/fetch`, `…/bbps/bill/pay`, `…/bbps/txn/status`.
//! It keeps what it knows in memory, and behaves as real billers do (README lists the numbers):
//!
//! - WATCO takes exactly what is due; 1000000001 owes ₹412; 1000000002 has paid;
//!   1000000003 is disconnected, and WATCO refuses its payments when told of them.
//! - TPCODL takes part payments of ₹100 or more; 51100000001 owes ₹1,836.50; 51100000002 has
//!   paid; 51100000009 makes its systems fail (500) whenever it is asked about.
//! - BMC's holding tax answers slowly (two seconds a call) and takes part payments of ₹500 or
//!   more; 12/4512 owes ₹3,240 and 45/118 ₹12,600.
//! - Any other number is unknown. A payment told twice (one `txnRefId`) is taken once.
//!
//! For tests: `POST /sandbox/outage {"biller", "requests"}` answers that biller's next requests
//! with 503; `POST /sandbox/delay {"biller", "ms"}` slows it; `GET /sandbox/payments` lists the
//! payments each biller was told of.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Account {
    name: &'static str,
    bill_number: &'static str,
    period: &'static str,
    bill_date: &'static str,
    due_date: &'static str,
    amount: i64,
    paid: i64,
    /// BBPS's paymentExactness and the least part payment taken
    exactness: &'static str,
    minimum: i64,
    /// why the biller refuses payments for it, if it does
    refuses: Option<&'static str>,
    /// its systems fail whenever it is asked about
    fails: bool,
}

#[derive(Clone)]
struct Txn {
    biller: String,
    txn_ref: String,
    consumer: String,
    amount: i64,
    /// the approval reference, or the refusal
    outcome: Result<String, String>,
}

#[derive(Default)]
struct Sandbox {
    accounts: HashMap<(String, String), Account>,
    txns: Vec<Txn>,
    outage: HashMap<String, u32>,
    delay_ms: HashMap<String, u64>,
    serial: u64,
}

type Shared = Arc<Mutex<Sandbox>>;

fn account(
    name: &'static str,
    bill_number: &'static str,
    amount: i64,
    exactness: &'static str,
    minimum: i64,
) -> Account {
    Account {
        name,
        bill_number,
        period: "Nov 2026",
        bill_date: "2026-11-05",
        due_date: "2026-12-20",
        amount,
        paid: 0,
        exactness,
        minimum,
        refuses: None,
        fails: false,
    }
}

fn seeded() -> Sandbox {
    let mut s = Sandbox::default();
    let mut add = |biller: &str, consumer: &str, a: Account| {
        s.accounts.insert((biller.into(), consumer.into()), a);
    };
    add(
        "watco",
        "1000000001",
        account("Sasmita Mohanty", "WB2611-0040871", 41_200, "Exact", 0),
    );
    let mut paid = account("Bikram Sahoo", "WB2611-0040872", 28_800, "Exact", 0);
    paid.paid = paid.amount;
    add("watco", "1000000002", paid);
    let mut cut = account("Gopal Nayak", "WB2611-0040873", 65_500, "Exact", 0);
    cut.refuses = Some("Connection disconnected: pay the arrears at the WATCO division office");
    add("watco", "1000000003", cut);
    let tp = |name, bill, amount| account(name, bill, amount, "Exact and below", 10_000);
    add(
        "tpcodl",
        "51100000001",
        tp("Ananya Pradhan", "TP-1126-88213", 183_650),
    );
    let mut tp_paid = tp("Manas Ranjan Das", "TP-1126-88214", 97_000);
    tp_paid.paid = tp_paid.amount;
    add("tpcodl", "51100000002", tp_paid);
    let mut broken = tp("Prakash Jena", "TP-1126-88219", 51_000);
    broken.fails = true;
    add("tpcodl", "51100000009", broken);
    let bmc = |name, bill, amount| {
        let mut a = account(name, bill, amount, "Exact and below", 50_000);
        a.period = "2026-27";
        a.bill_date = "2026-04-01";
        a.due_date = "2027-03-31";
        a
    };
    add(
        "bmc-holding-tax",
        "12/4512",
        bmc("Rabindra Behera", "HT-2627-12-4512", 324_000),
    );
    add(
        "bmc-holding-tax",
        "45/118",
        bmc("Kalpana Mishra", "HT-2627-45-118", 1_260_000),
    );
    s.delay_ms.insert("bmc-holding-tax".into(), 2_000);
    s
}

pub fn router() -> Router {
    let state: Shared = Arc::new(Mutex::new(seeded()));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/{biller}/bbps/bill/fetch", post(fetch))
        .route("/{biller}/bbps/bill/pay", post(pay))
        .route("/{biller}/bbps/txn/status", post(status))
        .route("/sandbox/outage", post(outage))
        .route("/sandbox/delay", post(delay))
        .route("/sandbox/payments", get(payments))
        .with_state(state)
}

pub async fn serve(addr: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The first line says where it listens, so a test that asked for port 0 learns the port.
    println!(
        "sandbox billers listening on http://{}",
        listener.local_addr()?
    );
    use std::io::Write;
    std::io::stdout().flush()?;
    axum::serve(listener, router()).await?;
    Ok(())
}

fn answer(code: &str, reason: &str, rest: Value) -> Response {
    let mut body = json!({ "responseCode": code, "responseReason": reason });
    if let (Some(b), Value::Object(rest)) = (body.as_object_mut(), rest) {
        b.extend(rest);
    }
    Json(body).into_response()
}

/// The biller's outage or slowness a test asked for, and whether it is a biller at all.
async fn admit(state: &Shared, biller: &str) -> Option<Response> {
    let delay = {
        let mut s = state.lock().expect("the sandbox's lock");
        if !["watco", "tpcodl", "bmc-holding-tax"].contains(&biller) {
            return Some(StatusCode::NOT_FOUND.into_response());
        }
        if let Some(n) = s.outage.get_mut(biller).filter(|n| **n > 0) {
            *n -= 1;
            return Some(StatusCode::SERVICE_UNAVAILABLE.into_response());
        }
        s.delay_ms.get(biller).copied().unwrap_or(0)
    };
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    None
}

fn consumer_of(body: &Value) -> String {
    body["customerParams"][0]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn fetch(
    State(state): State<Shared>,
    Path(biller): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = admit(&state, &biller).await {
        return refused;
    }
    let s = state.lock().expect("the sandbox's lock");
    let Some(a) = s.accounts.get(&(biller.clone(), consumer_of(&body))) else {
        return answer("BFR004", "Invalid consumer number", json!({}));
    };
    if a.fails {
        return (StatusCode::INTERNAL_SERVER_ERROR, "biller system error").into_response();
    }
    let due = a.amount - a.paid;
    if due <= 0 {
        return answer("BFR005", "No bill due: the bill is paid", json!({}));
    }
    answer(
        "000",
        "Successful",
        json!({
            "refId": body["refId"],
            "billerResponse": {
                "customerName": a.name, "amount": due.to_string(), "billDate": a.bill_date,
                "dueDate": a.due_date, "billNumber": a.bill_number, "billPeriod": a.period,
            },
            "paymentExactness": a.exactness,
            "minimumAmount": a.minimum.to_string(),
        }),
    )
}

async fn pay(
    State(state): State<Shared>,
    Path(biller): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = admit(&state, &biller).await {
        return refused;
    }
    let txn_ref = body["txnRefId"].as_str().unwrap_or_default().to_string();
    let amount: i64 = body["amount"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let consumer = consumer_of(&body);
    let mut s = state.lock().expect("the sandbox's lock");
    if txn_ref.is_empty() || amount <= 0 {
        return answer(
            "BPR002",
            "A payment needs its txnRefId and amount",
            json!({}),
        );
    }
    // told twice: the same answer, taken once
    if let Some(t) = s
        .txns
        .iter()
        .find(|t| t.biller == biller && t.txn_ref == txn_ref)
    {
        return told(t);
    }
    s.serial += 1;
    let serial = s.serial;
    let outcome = match s.accounts.get_mut(&(biller.clone(), consumer.clone())) {
        None => Err("Invalid consumer number".to_string()),
        Some(a) if a.fails => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "biller system error").into_response()
        }
        Some(a) => {
            let due = a.amount - a.paid;
            if let Some(reason) = a.refuses {
                Err(reason.to_string())
            } else if due <= 0 {
                Err("The bill is already paid".to_string())
            } else if amount > due {
                Err("The amount is more than is due".to_string())
            } else if a.exactness == "Exact" && amount != due {
                Err("This biller takes the amount due only".to_string())
            } else if amount < a.minimum && amount != due {
                Err("The amount is below the biller's minimum".to_string())
            } else {
                a.paid += amount;
                let prefix: String = biller.chars().take(3).collect::<String>().to_uppercase();
                Ok(format!("{prefix}{:08}", 40_000 + serial))
            }
        }
    };
    let t = Txn {
        biller,
        txn_ref,
        consumer,
        amount,
        outcome,
    };
    s.txns.push(t.clone());
    told(&t)
}

fn told(t: &Txn) -> Response {
    match &t.outcome {
        Ok(reference) => answer(
            "000",
            "Successful",
            json!({ "txnRefId": t.txn_ref, "approvalRefNumber": reference }),
        ),
        Err(reason) => answer("BPR011", reason, json!({ "txnRefId": t.txn_ref })),
    }
}

async fn status(
    State(state): State<Shared>,
    Path(biller): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = admit(&state, &biller).await {
        return refused;
    }
    let txn_ref = body["txnRefId"].as_str().unwrap_or_default();
    let s = state.lock().expect("the sandbox's lock");
    match s
        .txns
        .iter()
        .find(|t| t.biller == biller && t.txn_ref == txn_ref)
    {
        Some(t) => match &t.outcome {
            Ok(reference) => answer(
                "000",
                "Successful",
                json!({ "txnRefId": txn_ref, "txnStatus": "SUCCESS", "approvalRefNumber": reference }),
            ),
            Err(reason) => answer(
                "000",
                reason,
                json!({ "txnRefId": txn_ref, "txnStatus": "FAILURE" }),
            ),
        },
        None => answer(
            "BSR404",
            "No such transaction",
            json!({ "txnRefId": txn_ref }),
        ),
    }
}

#[derive(Deserialize)]
struct Outage {
    biller: String,
    requests: u32,
}

async fn outage(State(state): State<Shared>, Json(o): Json<Outage>) -> StatusCode {
    state
        .lock()
        .expect("the sandbox's lock")
        .outage
        .insert(o.biller, o.requests);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Delay {
    biller: String,
    ms: u64,
}

async fn delay(State(state): State<Shared>, Json(d): Json<Delay>) -> StatusCode {
    state
        .lock()
        .expect("the sandbox's lock")
        .delay_ms
        .insert(d.biller, d.ms);
    StatusCode::NO_CONTENT
}

async fn payments(State(state): State<Shared>) -> Json<Value> {
    let s = state.lock().expect("the sandbox's lock");
    Json(Value::Array(
        s.txns
            .iter()
            .map(|t| {
                json!({
                    "biller": t.biller, "txnRefId": t.txn_ref, "consumer": t.consumer,
                    "amount": t.amount.to_string(),
                    "status": if t.outcome.is_ok() { "SUCCESS" } else { "FAILURE" },
                })
            })
            .collect(),
    ))
}
