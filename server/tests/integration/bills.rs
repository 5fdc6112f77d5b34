//! Bills through the sandbox billers (their own process, answering BBPS's fetch, payment and
//! status calls) and the sandbox payment gateway: a consumer number is linked only when its
//! biller knows it, a bill is paid in full or in part as the biller allows, the biller is told
//! once however often it is asked (and asked again while it is down), a payment the biller
//! refuses is refunded in full, and nobody but the payer and the department sees a payment.

use crate::grievances::register_citizen;
use crate::helpers::*;
use crate::outside::{PaymentGateway, SandboxBillers};
use domain::bills::store as bills;
use domain::payments::razorpay::Razorpay;
use serde_json::Value;
use time::{Duration, OffsetDateTime};

struct World {
    app: TestApp,
    gw: PaymentGateway,
    billers: SandboxBillers,
}

async fn world() -> World {
    let gw = PaymentGateway::start().await;
    let billers = SandboxBillers::start().await;
    let mut config = test_config();
    config.payments = Razorpay::new(gw.settings());
    config.billers = billers.billers();
    let app = spawn_app_with(config).await;
    gw.send_webhooks_to(&format!("{}/api/v1/payments/webhook", app.base))
        .await;
    World { app, gw, billers }
}

impl World {
    /// Tells the billers of what is paid, as the job does `later` from now.
    async fn tell(&self, later: Duration) -> bills::Telling {
        bills::tell(
            &self.app.pool,
            &self.billers.billers(),
            &Razorpay::new(self.gw.settings()),
            OffsetDateTime::now_utc() + later,
        )
        .await
        .unwrap()
    }

    async fn scalar<T>(&self, sql: &str, number: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
    {
        sqlx::query_scalar(sql)
            .bind(number)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }
}

async fn link(app: &TestApp, c: &reqwest::Client, biller: &str, consumer: &str) -> Value {
    let (status, body) = app
        .call(
            c,
            "bills/link",
            &[("biller", biller), ("consumer", consumer), ("nickname", "")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn field_error(body: &Value) -> (String, String) {
    let e = &body["Invalid"][0];
    (
        e["field"].as_str().unwrap_or_default().into(),
        e["code"].as_str().unwrap_or_default().into(),
    )
}

async fn pay(
    app: &TestApp,
    c: &reqwest::Client,
    biller: &str,
    consumer: &str,
    amount: &str,
) -> Value {
    let key = uuid::Uuid::now_v7().to_string();
    let (status, body) = app
        .call(
            c,
            "bills/pay",
            &[
                ("biller", biller),
                ("consumer", consumer),
                ("amount", amount),
                ("key", &key),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Goes through the sandbox's checkout of payment `id` choosing `choice`, and waits for the
/// gateway's webhooks to be taken.
async fn checkout(w: &World, c: &reqwest::Client, id: &str, choice: &str) {
    let (status, view) = w.app.call(c, "payments/checkout", &[("id", id)]).await;
    assert_eq!(status, 200, "{view}");
    let fields: Vec<(String, String)> = view["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    let page = reqwest::Client::new()
        .post(view["action"].as_str().unwrap())
        .form(&fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    w.gw.pay(crate::outside::hidden_fields(&page), choice).await;
    w.gw.all_delivered().await;
}

/// Pays `amount` of a linked consumer's bill through the checkout: the bill payment's number.
async fn paid(
    w: &World,
    c: &reqwest::Client,
    biller: &str,
    consumer: &str,
    amount: &str,
) -> String {
    let started = pay(&w.app, c, biller, consumer, amount).await;
    let payment = started["Done"]
        .as_str()
        .expect("a payment began")
        .to_string();
    checkout(w, c, &payment, "upi").await;
    w.scalar(
        "SELECT bp.number FROM bill_payments bp JOIN payments p ON p.subject_id = bp.id
         WHERE p.id = $1::uuid",
        &payment,
    )
    .await
}

#[tokio::test]
async fn a_consumer_number_is_linked_only_when_its_biller_knows_it() {
    let w = world().await;
    let c = register_citizen(&w.app, "9437000701").await;
    let wrong = link(&w.app, &c, "watco", "12345").await;
    assert_eq!(
        field_error(&wrong),
        ("consumer".into(), "err_consumer_watco".into())
    );
    let unknown = link(&w.app, &c, "watco", "1999999999").await;
    assert_eq!(
        field_error(&unknown),
        ("consumer".into(), "err_consumer_unknown".into())
    );
    let no_biller = link(&w.app, &c, "bescom", "1000000001").await;
    assert_eq!(
        field_error(&no_biller),
        ("biller".into(), "err_biller_unknown".into())
    );
    // a biller whose systems fail: nothing linked, and said so at the form
    let failing = link(&w.app, &c, "tpcodl", "51100000009").await;
    assert_eq!(
        field_error(&failing),
        ("form".into(), "err_biller_down".into())
    );
    let done = link(&w.app, &c, "watco", "10000 00001").await;
    assert_eq!(done["Done"], "/bills/watco?consumer=1000000001");
    // a bill already paid still links, and says nothing is due
    link(&w.app, &c, "watco", "1000000002").await;
    let (_, cards) = w.app.call(&c, "bills/linked", &[]).await;
    let cards = cards.as_array().unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0]["customer_name"], "Sasmita Mohanty");
    assert!(
        cards[0]["standing"].as_str().unwrap().contains("₹412"),
        "{cards:?}"
    );

    let (_, view) = w
        .app
        .call(
            &c,
            "bills/consumer",
            &[("biller", "watco"), ("consumer", "1000000002")],
        )
        .await;
    assert_eq!(view["standing"], "nothing_due");
    assert!(view["pay_key"].is_null());
}

#[tokio::test]
async fn a_water_bill_paid_in_full_is_told_to_watco_once_and_then_shows_nothing_due() {
    let w = world().await;
    let c = register_citizen(&w.app, "9437000702").await;
    link(&w.app, &c, "watco", "1000000001").await;
    // WATCO takes exactly what is due
    let part = pay(&w.app, &c, "watco", "1000000001", "100").await;
    assert_eq!(
        field_error(&part),
        ("amount".into(), "err_bill_exact".into())
    );

    let number = paid(&w, &c, "watco", "1000000001", "412").await;
    assert_eq!(
        w.scalar::<String>("SELECT state FROM bill_payments WHERE number = $1", &number)
            .await,
        "paid"
    );
    let (_, page) = w
        .app
        .call(&c, "bills/payment", &[("number", &number)])
        .await;
    assert_eq!(page["state"], "paid");
    assert_eq!(page["receipts"].as_array().unwrap().len(), 1);

    let done = w.tell(Duration::ZERO).await;
    assert_eq!(done.confirmed, 1);
    // asked again (another instance, a retry): nothing more is told
    assert_eq!(w.tell(Duration::hours(2)).await, bills::Telling::default());
    let told = w.billers.told().await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["txnRefId"], number.as_str());
    assert_eq!(told[0]["amount"], "41200");

    let (_, page) = w
        .app
        .call(&c, "bills/payment", &[("number", &number)])
        .await;
    assert_eq!(page["state"], "confirmed");
    assert!(page["said"].as_str().unwrap().contains("WAT000"), "{page}");
    let (_, view) = w
        .app
        .call(
            &c,
            "bills/consumer",
            &[("biller", "watco"), ("consumer", "1000000001")],
        )
        .await;
    assert_eq!(view["standing"], "nothing_due");
    assert_eq!(view["payments"][0]["number"], number.as_str());
    // the receipt as a PDF, in the reader's language beside English, to the payer and WATCO
    let receipt = page["receipts"][0]["number"].as_str().unwrap().to_string();
    let pdf_path = format!("/receipts/{receipt}/receipt.pdf");
    let res = w.app.page(&c, &pdf_path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let text = pdf_text(&res.bytes().await.unwrap());
    for words in [
        receipt.as_str(),
        "₹412",
        "Water Corporation of Odisha",
        number.as_str(),
    ] {
        assert!(text.contains(words), "{words} not in {text}");
    }
    let odia = w.app.page(&c, &format!("{pdf_path}?lang=or")).await;
    let odia = pdf_text(&odia.bytes().await.unwrap());
    // poppler spaces some Odia vowel signs apart: compared without spaces
    let odia: String = odia.split_whitespace().collect();
    assert!(odia.contains("ରସିଦ") && odia.contains(&receipt), "{odia}");
    let watco = w.app.signed_in("9000000005").await;
    assert_eq!(w.app.page(&watco, &pdf_path).await.status(), 200);
    let bmc = w.app.signed_in(BMC_OFFICIAL).await;
    assert_eq!(w.app.page(&bmc, &pdf_path).await.status(), 404);
    assert_eq!(w.app.page(&client(), &pdf_path).await.status(), 401);

    // the export carries the link and the payment
    let export: Value = c
        .get(format!("{}/me/data.json", w.app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        export["bills"]["linked"][0]["consumer_number"],
        "1000000001"
    );
    assert_eq!(export["bills"]["payments"][0]["number"], number.as_str());
}

#[tokio::test]
async fn an_electricity_bill_is_paid_in_part_within_the_billers_rules() {
    let w = world().await;
    let c = register_citizen(&w.app, "9437000703").await;
    link(&w.app, &c, "tpcodl", "51100000001").await;
    for (amount, code) in [
        ("50", "err_bill_below_minimum"),
        ("2000", "err_bill_too_much"),
        ("five hundred", "err_bill_amount"),
    ] {
        let refused = pay(&w.app, &c, "tpcodl", "51100000001", amount).await;
        assert_eq!(
            field_error(&refused),
            ("amount".into(), code.into()),
            "{amount}"
        );
    }
    paid(&w, &c, "tpcodl", "51100000001", "500").await;
    // before TPCODL is told, what is left to pay already counts the ₹500
    let too_much = pay(&w.app, &c, "tpcodl", "51100000001", "1836.50").await;
    assert_eq!(
        field_error(&too_much),
        ("amount".into(), "err_bill_too_much".into())
    );
    assert_eq!(w.tell(Duration::ZERO).await.confirmed, 1);
    let (_, view) = w
        .app
        .call(
            &c,
            "bills/consumer",
            &[("biller", "tpcodl"), ("consumer", "51100000001")],
        )
        .await;
    assert_eq!(view["current"]["amount"], "₹1,336.50");
    assert_eq!(view["choose_amount"], true);
}

#[tokio::test]
async fn a_payment_the_biller_refuses_is_refunded_in_full_and_one_it_missed_is_told_again() {
    let w = world().await;
    let c = register_citizen(&w.app, "9437000704").await;
    link(&w.app, &c, "watco", "1000000003").await;
    link(&w.app, &c, "watco", "1000000001").await;
    let refused = paid(&w, &c, "watco", "1000000003", "").await;
    let missed = paid(&w, &c, "watco", "1000000001", "").await;

    // WATCO is down for the first round: both wait, and nothing is refunded
    w.billers.outage("watco", 2).await;
    let first = w.tell(Duration::ZERO).await;
    assert_eq!(first.later, 2, "{first:?}");
    assert_eq!(
        w.scalar::<i64>("SELECT count(*) FROM refunds WHERE $1 <> ''", "x")
            .await,
        0
    );
    // not due again yet
    assert_eq!(
        w.tell(Duration::seconds(1)).await,
        bills::Telling::default()
    );
    // back: the status is asked first, then the payment told
    let again = w.tell(Duration::minutes(1)).await;
    assert_eq!((again.confirmed, again.refused), (1, 1), "{again:?}");
    assert_eq!(
        w.scalar::<String>("SELECT state FROM bill_payments WHERE number = $1", &missed)
            .await,
        "confirmed"
    );
    let (_, page) = w
        .app
        .call(&c, "bills/payment", &[("number", &refused)])
        .await;
    assert_eq!(page["state"], "rejected");
    assert!(
        page["said"].as_str().unwrap().contains("disconnected"),
        "{page}"
    );
    // refunded in full, with its own receipt
    let refunded: i64 = w
        .scalar(
            "SELECT p.refunded_paise FROM payments p JOIN bill_payments bp ON bp.id = p.subject_id
             WHERE bp.number = $1",
            &refused,
        )
        .await;
    assert_eq!(refunded, 65_500);
    let (_, page) = w
        .app
        .call(&c, "bills/payment", &[("number", &refused)])
        .await;
    assert_eq!(page["receipts"].as_array().unwrap().len(), 2, "{page}");
    // the ledger balances: every movement sums to zero
    let unbalanced: i64 = w
        .scalar(
            "SELECT count(*) FROM (SELECT movement FROM ledger_entries GROUP BY movement
             HAVING sum(amount_paise) <> 0) m WHERE $1 <> ''",
            "x",
        )
        .await;
    assert_eq!(unbalanced, 0);
}

#[tokio::test]
async fn bills_server_functions_refuse_strangers_and_other_citizens() {
    let w = world().await;
    let owner = register_citizen(&w.app, "9437000705").await;
    link(&w.app, &owner, "watco", "1000000001").await;
    let number = paid(&w, &owner, "watco", "1000000001", "").await;

    let other = register_citizen(&w.app, "9437000706").await;
    let (status, _) = w
        .app
        .call(&other, "bills/payment", &[("number", &number)])
        .await;
    assert_eq!(status, 404);
    // a consumer number another has linked is not theirs to read or pay here
    let (status, _) = w
        .app
        .call(
            &other,
            "bills/consumer",
            &[("biller", "watco"), ("consumer", "1000000001")],
        )
        .await;
    assert_eq!(status, 404);
    let key = uuid::Uuid::now_v7().to_string();
    let (status, _) = w
        .app
        .call(
            &other,
            "bills/pay",
            &[
                ("biller", "watco"),
                ("consumer", "1000000001"),
                ("amount", ""),
                ("key", &key),
            ],
        )
        .await;
    assert_eq!(status, 404);

    let stranger = client();
    for (path, args) in [
        ("bills/linked", vec![]),
        ("bills/payment", vec![("number", number.as_str())]),
        (
            "bills/link",
            vec![
                ("biller", "watco"),
                ("consumer", "1000000001"),
                ("nickname", ""),
            ],
        ),
    ] {
        let (status, _) = w.app.call(&stranger, path, &args).await;
        assert_eq!(status, 401, "{path}");
    }
    // the city sees the payment; another department's officials do not
    let watco = w.app.signed_in(CITY_ADMIN).await;
    let (status, _) = w
        .app
        .call(&watco, "bills/payment", &[("number", &number)])
        .await;
    assert_eq!(status, 200);
    let bmc = w.app.signed_in(BMC_OFFICIAL).await;
    let (status, _) = w
        .app
        .call(&bmc, "bills/payment", &[("number", &number)])
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_slow_biller_is_waited_for_and_its_holding_tax_paid_in_part() {
    let w = world().await;
    let c = register_citizen(&w.app, "9437000707").await;
    // BMC answers in two seconds a call: slow, but within what the adapter waits
    let started = std::time::Instant::now();
    let done = link(&w.app, &c, "bmc-holding-tax", "12 / 4512").await;
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    assert_eq!(done["Done"], "/bills/bmc-holding-tax?consumer=12%2F4512");
    let (_, view) = w
        .app
        .call(
            &c,
            "bills/consumer",
            &[("biller", "bmc-holding-tax"), ("consumer", "12/4512")],
        )
        .await;
    assert_eq!(view["current"]["amount"], "₹3,240");
    assert_eq!(view["customer_name"], "Rabindra Behera");
    w.billers.delay("bmc-holding-tax", 0).await;
    paid(&w, &c, "bmc-holding-tax", "12/4512", "1000").await;
    assert_eq!(w.tell(Duration::ZERO).await.confirmed, 1);
    let (_, view) = w
        .app
        .call(
            &c,
            "bills/consumer",
            &[("biller", "bmc-holding-tax"), ("consumer", "12/4512")],
        )
        .await;
    assert_eq!(view["current"]["amount"], "₹2,240");
}

/// The text poppler reads out of a PDF (`./dev test` installs poppler-utils).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("receipt-{}", uuid::Uuid::now_v7()));
    std::fs::write(&dir, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&dir)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let _ = std::fs::remove_file(&dir);
    String::from_utf8_lossy(&out.stdout).into_owned()
}
