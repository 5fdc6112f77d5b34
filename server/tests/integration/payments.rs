//! Paying an application's fee through the sandbox gateway, which speaks Razorpay's protocol as
//! its own process: the checkout, the browser's return, webhooks (twice, out of order, before the
//! browser, forged), the gateway down and back, reconciliation of what nobody paid, refunds that
//! never exceed what was paid, a ledger that balances, receipts only for those who may read
//! them, and Razorpay's own SDK agreeing with the sandbox's signatures.

use crate::applications::apply_for_birth_certificate;
use crate::grievances::register_citizen;
use crate::helpers::*;
use crate::outside::PaymentGateway;
use domain::money::Paise;
use domain::payments::razorpay::{Razorpay, SANDBOX_KEY_SECRET, SANDBOX_WEBHOOK_SECRET};
use domain::payments::{store, RefundReason};
use serde_json::Value;

const FEE: i64 = 5_000;

/// A server paying through a sandbox gateway whose webhooks come back to it.
async fn paying_app() -> (TestApp, PaymentGateway) {
    let gw = PaymentGateway::start().await;
    let mut config = test_config();
    config.payments = Razorpay::new(gw.settings());
    let app = spawn_app_with(config).await;
    gw.send_webhooks_to(&format!("{}/api/v1/payments/webhook", app.base))
        .await;
    (app, gw)
}

/// A citizen with an application whose fee (₹50) is due.
async fn fee_due(app: &TestApp, mobile: &str) -> (reqwest::Client, String) {
    let c = register_citizen(app, mobile).await;
    let number = apply_for_birth_certificate(app, &c, "Lopamudra Das").await;
    sqlx::query("UPDATE applications SET fee_paise = $2, fee_status = 'due' WHERE number = $1")
        .bind(&number)
        .bind(FEE)
        .execute(&app.pool)
        .await
        .unwrap();
    (c, number)
}

fn key() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn hidden(html: &str) -> Vec<(String, String)> {
    crate::outside::hidden_fields(html)
}

/// Starts paying (as the "Pay" button does): the payment's id.
async fn start(app: &TestApp, c: &reqwest::Client, number: &str, key: &str) -> (u16, Value) {
    app.call(c, "payments/pay_fee", &[("number", number), ("key", key)])
        .await
}

/// Goes through the sandbox's checkout choosing `choice`: the page the checkout answers with.
async fn checkout(app: &TestApp, c: &reqwest::Client, payment: &str, choice: &str) -> String {
    let (status, view) = app.call(c, "payments/checkout", &[("id", payment)]).await;
    assert_eq!(status, 200, "{view}");
    let fields: Vec<(String, String)> = view["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    let gateway = reqwest::Client::new();
    let page = gateway
        .post(view["action"].as_str().unwrap())
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("₹50.00"), "{page}");
    let mut pay = hidden(&page);
    pay.push(("choice".into(), choice.into()));
    let action = format!(
        "{}/v1/checkout/pay",
        view["action"]
            .as_str()
            .unwrap()
            .split("/v1/")
            .next()
            .unwrap()
    );
    gateway
        .post(action)
        .form(&pay)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The browser posts the checkout's outcome back to us: where it is sent next.
async fn come_back(app: &TestApp, form: &[(String, String)]) -> (u16, String) {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = browser
        .post(format!("{}/payments/return", app.base))
        .form(form)
        .send()
        .await
        .unwrap();
    let to = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), to)
}

async fn fee_status(app: &TestApp, number: &str) -> String {
    sqlx::query_scalar("SELECT fee_status FROM applications WHERE number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

/// Every movement sums to zero, and the accounts hold what was captured less what went back.
async fn ledger_balances(app: &TestApp, department_holds: i64) {
    let unbalanced = count(
        app,
        "SELECT count(*) FROM (SELECT movement FROM ledger_entries GROUP BY movement
         HAVING sum(amount_paise) <> 0) m",
    )
    .await;
    assert_eq!(unbalanced, 0);
    let balances = store::balances(&app.pool).await.unwrap();
    let of = |account: &str| {
        balances
            .iter()
            .find(|(a, _)| a == account)
            .map_or(0, |(_, b)| *b)
    };
    assert_eq!(
        of("department:bmc:receipts"),
        -department_holds,
        "{balances:?}"
    );
    assert_eq!(of("gateway:razorpay"), department_holds, "{balances:?}");
}

#[tokio::test]
async fn a_fee_paid_at_the_checkout_is_credited_once_with_a_receipt_however_often_the_news_comes() {
    let (app, gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000501").await;
    let k = key();
    let (status, first) = start(&app, &c, &number, &k).await;
    assert_eq!(status, 200, "{first}");
    let payment = first["Done"].as_str().unwrap().to_string();
    // a double click, and a second tab with its own key, land on the same attempt
    assert_eq!(start(&app, &c, &number, &k).await.1, first);
    assert_eq!(start(&app, &c, &number, &key()).await.1, first);

    let page = checkout(&app, &c, &payment, "upi").await;
    let back = hidden(&page);
    assert!(
        back.iter().any(|(k, _)| k == "razorpay_signature"),
        "{page}"
    );
    let (status, to) = come_back(&app, &back).await;
    assert_eq!(
        (status, to.as_str()),
        (303, format!("/applications/{number}").as_str())
    );
    assert_eq!(fee_status(&app, &number).await, "paid");

    // the webhooks (authorized, captured, order paid) come too, and again: nothing more happens
    let events = gw.all_delivered().await;
    for e in &events {
        gw.resend(e["id"].as_str().unwrap()).await;
    }
    gw.all_delivered().await;
    let (_, again) = come_back(&app, &back).await;
    assert_eq!(again, format!("/applications/{number}"));
    assert_eq!(count(&app, "SELECT count(*) FROM receipts").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM payments WHERE state = 'captured'"
        )
        .await,
        1
    );
    ledger_balances(&app, FEE).await;

    // the page shows it paid, with its receipt, and no button to pay again
    let (_, view) = app
        .call(&c, "applications/view", &[("number", &number)])
        .await;
    assert_eq!(view["fee"]["paid"], true);
    assert!(view["fee"]["pay_key"].is_null());
    let receipt = view["fee"]["receipts"][0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(receipt.starts_with("RC-"), "{receipt}");
    assert!(
        view["timeline"].to_string().contains("The fee was paid"),
        "{view}"
    );
    let (status, r) = app
        .call(&c, "payments/receipt", &[("number", &receipt)])
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["amount"].as_str(), r["method"].as_str()),
        (Some("₹50"), Some("UPI"))
    );
    // paying again is refused, in words
    let (_, refused) = start(&app, &c, &number, &key()).await;
    assert_eq!(refused["Invalid"][0]["code"], "err_already_paid");
    // every chain still verifies, the payment's among them
    let (checked, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(checked > 0 && broken.is_empty(), "{broken:?}");

    // the payer's export lists it with its receipt; closing the account keeps the money's record
    // for the department, without the person, and the ledger unchanged
    let export = app.get_json(&c, "/me/data.json").await;
    assert_eq!(export["payments"][0]["state"], "captured");
    assert_eq!(export["payments"][0]["receipts"][0], receipt.as_str());
    let (status, body) = app
        .call(
            &c,
            "identity/close_account",
            &[("password", "lotus harbour pencil drum")],
        )
        .await;
    assert_eq!((status, body["Done"].is_string()), (200, true), "{body}");
    let payer: Option<uuid::Uuid> = sqlx::query_scalar("SELECT payer_id FROM payments")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(payer, None);
    assert_eq!(count(&app, "SELECT count(*) FROM receipts").await, 1);
    ledger_balances(&app, FEE).await;
}

#[tokio::test]
async fn a_webhook_before_the_browser_returns_and_news_out_of_order_credit_once() {
    let (app, gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000502").await;
    let (_, started) = start(&app, &c, &number, &key()).await;
    let payment = started["Done"].as_str().unwrap().to_string();
    let page = checkout(&app, &c, &payment, "card").await;
    // the browser is slow: the webhooks settle it first
    gw.all_delivered().await;
    assert_eq!(fee_status(&app, &number).await, "paid");
    let (status, _) = come_back(&app, &hidden(&page)).await;
    assert_eq!(status, 303);

    // news signed by the gateway arriving late and in the wrong order changes nothing
    let events = gw.events().await;
    let mut bodies: Vec<&Value> = events.iter().collect();
    bodies.reverse();
    let hook = reqwest::Client::new();
    for (i, e) in bodies.into_iter().enumerate() {
        let body = e["body"].as_str().unwrap().to_string();
        let res = hook
            .post(format!("{}/api/v1/payments/webhook", app.base))
            .header("content-type", "application/json")
            .header(
                "X-Razorpay-Signature",
                domain::payments::gateway::hmac_hex(SANDBOX_WEBHOOK_SECRET, body.as_bytes()),
            )
            .header("x-razorpay-event-id", format!("evt_replayed_{i}"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    assert_eq!(count(&app, "SELECT count(*) FROM receipts").await, 1);
    ledger_balances(&app, FEE).await;
}

#[tokio::test]
async fn a_forged_webhook_and_a_forged_return_are_refused_and_change_nothing() {
    let (app, gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000503").await;
    let (_, started) = start(&app, &c, &number, &key()).await;
    let payment = started["Done"].as_str().unwrap().to_string();
    let (_, view) = app.call(&c, "payments/checkout", &[("id", &payment)]).await;
    let order = view["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == "order_id")
        .unwrap()[1]
        .as_str()
        .unwrap()
        .to_string();
    let body = serde_json::json!({"entity": "event", "event": "payment.captured", "payload": {"payment": {"entity": {
        "id": "pay_forged0000001", "order_id": order, "status": "captured", "amount": FEE, "method": "upi"}}}})
    .to_string();
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/payments/webhook", app.base))
        .header("content-type", "application/json")
        .header(
            "X-Razorpay-Signature",
            domain::payments::gateway::hmac_hex("not-the-secret", body.as_bytes()),
        )
        .header("x-razorpay-event-id", "evt_forged")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let forged_return = [
        ("razorpay_order_id".to_string(), order.clone()),
        (
            "razorpay_payment_id".to_string(),
            "pay_forged0000001".to_string(),
        ),
        (
            "razorpay_signature".to_string(),
            domain::payments::gateway::hmac_hex("guess", b"x"),
        ),
    ];
    assert_eq!(come_back(&app, &forged_return).await.0, 400);
    assert_eq!(fee_status(&app, &number).await, "due");
    assert_eq!(count(&app, "SELECT count(*) FROM ledger_entries").await, 0);
    assert!(gw.events().await.is_empty());
}

#[tokio::test]
async fn the_gateway_down_refuses_a_start_in_words_and_a_webhook_is_taken_once_it_is_back() {
    let (app, gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000504").await;
    gw.outage(1).await;
    let (status, refused) = start(&app, &c, &number, &key()).await;
    assert_eq!(status, 200);
    assert_eq!(refused["Invalid"][0]["code"], "err_gateway_down");
    // back: the same attempt goes on
    let (_, started) = start(&app, &c, &number, &key()).await;
    let payment = started["Done"].as_str().unwrap().to_string();
    assert_eq!(count(&app, "SELECT count(*) FROM payments").await, 1);
    // down while the bank says yes: the capture cannot be asked, the webhook is answered 503 and
    // sent again until the gateway is back
    let (_, view) = app.call(&c, "payments/checkout", &[("id", &payment)]).await;
    assert!(view["action"].is_string());
    gw.outage(3).await;
    let _ = checkout_without_view(&app, &gw, &view, "netbanking").await;
    let events = gw.all_delivered().await;
    assert!(
        events.iter().any(|e| e["attempts"].as_u64().unwrap() > 1),
        "{events:#?}"
    );
    assert_eq!(fee_status(&app, &number).await, "paid");
    assert_eq!(count(&app, "SELECT count(*) FROM receipts").await, 1);
    ledger_balances(&app, FEE).await;
}

/// The checkout for a view already fetched (the gateway may be down for the app meanwhile).
async fn checkout_without_view(
    app: &TestApp,
    gw: &PaymentGateway,
    view: &Value,
    choice: &str,
) -> String {
    let _ = app;
    let fields: Vec<(String, String)> = view["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    let c = reqwest::Client::new();
    let page = c
        .post(format!("{}/v1/checkout/embedded", gw.url))
        .form(&fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut pay = hidden(&page);
    pay.push(("choice".into(), choice.into()));
    c.post(format!("{}/v1/checkout/pay", gw.url))
        .form(&pay)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_abandoned_payment_ends_reconciled_and_a_failed_one_leaves_the_fee_due() {
    let (app, gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000505").await;
    let (_, started) = start(&app, &c, &number, &key()).await;
    let payment = started["Done"].as_str().unwrap().to_string();
    // the bank declines: the person is back on the page, which says so, and may try again
    let page = checkout(&app, &c, &payment, "fail").await;
    let (status, to) = come_back(&app, &hidden(&page)).await;
    assert_eq!((status, to), (303, format!("/applications/{number}")));
    let (_, view) = app
        .call(&c, "applications/view", &[("number", &number)])
        .await;
    assert_eq!(view["fee"]["paid"], false);
    assert!(
        view["fee"]["note"]
            .as_str()
            .unwrap()
            .contains("did not go through"),
        "{view}"
    );
    assert!(view["fee"]["pay_key"].is_string());

    // a new try nobody finishes: reconciliation asks the gateway and, once the order lapsed,
    // ends it abandoned
    let (_, second) = start(&app, &c, &number, &key()).await;
    let second = second["Done"].as_str().unwrap().to_string();
    assert_ne!(second, payment);
    let later = time::OffsetDateTime::now_utc() + time::Duration::minutes(31);
    let gateway = Razorpay::new(gw.settings());
    let done = store::reconcile(&app.pool, &gateway, later).await.unwrap();
    assert_eq!(done.payments, 1);
    let state: String = sqlx::query_scalar("SELECT state FROM payments WHERE id = $1::uuid")
        .bind(&second)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "abandoned");
    let (_, view) = app
        .call(&c, "applications/view", &[("number", &number)])
        .await;
    assert!(
        view["fee"]["note"]
            .as_str()
            .unwrap()
            .contains("not finished"),
        "{view}"
    );
    assert_eq!(fee_status(&app, &number).await, "due");
    assert_eq!(count(&app, "SELECT count(*) FROM ledger_entries").await, 0);
}

#[tokio::test]
async fn a_upi_request_the_bank_answers_later_is_pending_then_paid() {
    let (app, gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000506").await;
    let (_, started) = start(&app, &c, &number, &key()).await;
    let payment = started["Done"].as_str().unwrap().to_string();
    let page = checkout(&app, &c, &payment, "upi_later").await;
    let at_bank = page
        .split("<code>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    // reconciliation hears the bank has it: pending, and the page says not to pay again
    let gateway = Razorpay::new(gw.settings());
    store::reconcile(
        &app.pool,
        &gateway,
        time::OffsetDateTime::now_utc() + time::Duration::minutes(2),
    )
    .await
    .unwrap();
    let (_, view) = app
        .call(&c, "applications/view", &[("number", &number)])
        .await;
    assert!(
        view["fee"]["note"]
            .as_str()
            .unwrap()
            .contains("waiting for your bank"),
        "{view}"
    );
    assert!(
        view["fee"]["pay_key"].is_null(),
        "no second payment while the bank decides"
    );
    // long past the order's time, a request still at the bank is not called abandoned
    store::reconcile(
        &app.pool,
        &gateway,
        time::OffsetDateTime::now_utc() + time::Duration::minutes(45),
    )
    .await
    .unwrap();
    assert_eq!(fee_status(&app, &number).await, "due");
    gw.bank_answers(&at_bank, true).await;
    gw.all_delivered().await;
    assert_eq!(fee_status(&app, &number).await, "paid");
}

#[tokio::test]
async fn refunds_never_exceed_what_was_paid_each_has_a_receipt_and_the_ledger_balances() {
    let (app, gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000507").await;
    let (_, started) = start(&app, &c, &number, &key()).await;
    let payment = started["Done"].as_str().unwrap().to_string();
    let page = checkout(&app, &c, &payment, "upi").await;
    come_back(&app, &hidden(&page)).await;
    let id: uuid::Uuid = payment.parse().unwrap();
    let gateway = Razorpay::new(gw.settings());
    let now = time::OffsetDateTime::now_utc();
    let first = store::refund(
        &app.pool,
        &gateway,
        id,
        Paise(2_000),
        RefundReason::Asked,
        None,
        now,
    )
    .await
    .unwrap();
    assert!(first.receipt.unwrap().starts_with("RC-"));
    let too_much = store::refund(
        &app.pool,
        &gateway,
        id,
        Paise(3_001),
        RefundReason::Asked,
        None,
        now,
    )
    .await;
    match too_much {
        Err(domain::problem::Problem::Invalid(f)) => assert_eq!(
            (f[0].field.as_str(), f[0].code.as_str()),
            ("amount", "err_refund_too_much")
        ),
        other => panic!("{other:?}"),
    }
    store::refund(
        &app.pool,
        &gateway,
        id,
        Paise(3_000),
        RefundReason::Asked,
        None,
        now,
    )
    .await
    .unwrap();
    assert!(store::refund(
        &app.pool,
        &gateway,
        id,
        Paise(1),
        RefundReason::Asked,
        None,
        now
    )
    .await
    .is_err());
    ledger_balances(&app, 0).await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM receipts WHERE refund_id IS NOT NULL"
        )
        .await,
        2
    );
    // the gateway gave back exactly what was paid
    let sandbox: Value = reqwest::Client::new()
        .get(format!(
            "{}/v1/payments/{}",
            gw.url,
            hidden(&page)
                .iter()
                .find(|(k, _)| k == "razorpay_payment_id")
                .unwrap()
                .1
        ))
        .basic_auth(
            domain::payments::razorpay::SANDBOX_KEY_ID,
            Some(SANDBOX_KEY_SECRET),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            sandbox["amount_refunded"].as_i64(),
            sandbox["status"].as_str()
        ),
        (Some(FEE), Some("refunded"))
    );
    let (_, view) = app
        .call(&c, "applications/view", &[("number", &number)])
        .await;
    assert_eq!(view["fee"]["receipts"].as_array().unwrap().len(), 3);
    assert!(view["timeline"]
        .to_string()
        .contains("Money was given back"));
}

#[tokio::test]
async fn another_citizen_gets_no_receipt_no_checkout_and_cannot_pay_anothers_fee() {
    let (app, _gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000508").await;
    let (_, started) = start(&app, &c, &number, &key()).await;
    let payment = started["Done"].as_str().unwrap().to_string();
    let other = register_citizen(&app, "9437000509").await;
    assert_eq!(
        app.call(&other, "payments/checkout", &[("id", &payment)])
            .await
            .0,
        404
    );
    assert_eq!(start(&app, &other, &number, &key()).await.0, 404);
    let anonymous = client();
    assert_eq!(start(&app, &anonymous, &number, &key()).await.0, 401);
    assert_eq!(
        app.call(&anonymous, "payments/checkout", &[("id", &payment)])
            .await
            .0,
        401
    );
    // a paid fee's receipt: the payer's, not another citizen's
    let number = domain::reference::make("RC", 2026, 1000);
    sqlx::query(
        "INSERT INTO receipts (number, payment_id, amount_paise, issued_at)
         VALUES ($1, $2::uuid, 5000, now())",
    )
    .bind(&number)
    .bind(&payment)
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        app.call(&c, "payments/receipt", &[("number", &number)])
            .await
            .0,
        200
    );
    assert_eq!(
        app.call(&other, "payments/receipt", &[("number", &number)])
            .await
            .0,
        404
    );
    assert_eq!(
        app.call(&anonymous, "payments/receipt", &[("number", &number)])
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn razorpays_own_sdk_verifies_the_sandboxs_signatures_and_our_server_accepts_exactly_those() {
    let (app, gw) = paying_app().await;
    let (c, number) = fee_due(&app, "9437000510").await;
    let (_, started) = start(&app, &c, &number, &key()).await;
    let page = checkout(&app, &c, started["Done"].as_str().unwrap(), "upi").await;
    let back = hidden(&page);
    let events = gw.all_delivered().await;
    let python = std::env::var("NAGARIK_PYTHON").unwrap_or_else(|_| "python3".into());
    let field = |k: &str| back.iter().find(|(n, _)| n == k).unwrap().1.clone();
    let script = r#"
import json, sys, razorpay
d = json.load(sys.stdin)
client = razorpay.Client(auth=(d["key_id"], d["key_secret"]))
ok = client.utility.verify_payment_signature({
    "razorpay_order_id": d["order"], "razorpay_payment_id": d["payment"], "razorpay_signature": d["signature"]})
assert ok is True
for e in d["events"]:
    assert client.utility.verify_webhook_signature(e["body"], e["signature"], d["webhook_secret"]) is True
try:
    client.utility.verify_webhook_signature(d["events"][0]["body"] + " ", d["events"][0]["signature"], d["webhook_secret"])
    sys.exit("a changed body verified")
except razorpay.errors.SignatureVerificationError:
    pass
print("verified", len(d["events"]))
"#;
    let input = serde_json::json!({
        "key_id": domain::payments::razorpay::SANDBOX_KEY_ID,
        "key_secret": SANDBOX_KEY_SECRET,
        "webhook_secret": SANDBOX_WEBHOOK_SECRET,
        "order": field("razorpay_order_id"),
        "payment": field("razorpay_payment_id"),
        "signature": field("razorpay_signature"),
        "events": events.iter().map(|e| {
            let body = e["body"].as_str().unwrap();
            serde_json::json!({"body": body, "signature": e["signature"]})
        }).collect::<Vec<_>>(),
    });
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python with razorpay (./dev test installs it)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("verified"));
    // and our server took exactly those (all delivered with 2xx), and refuses one byte changed
    let body = format!("{} ", events[0]["body"].as_str().unwrap());
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/payments/webhook", app.base))
        .header(
            "X-Razorpay-Signature",
            domain::payments::gateway::hmac_hex(
                SANDBOX_WEBHOOK_SECRET,
                events[0]["body"].as_str().unwrap().as_bytes(),
            ),
        )
        .header("x-razorpay-event-id", "evt_changed")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}
