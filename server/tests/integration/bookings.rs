//! Booking a facility's slot: of any number of people asking at once one holds it (the
//! database's exclusion constraint, not a check in code), a hold paid in time is confirmed, a
//! hold past its ten minutes frees the slot unless the person's bank is still deciding, money
//! paid for a slot that was lost meanwhile goes back, and a cancellation gives back what the
//! facility's rules say, with its receipt.

use crate::grievances::register_citizen;
use crate::helpers::*;
use crate::outside::PaymentGateway;
use domain::bookings::store::{self as bookings, Facility};
use domain::ids::AccountId;
use domain::money::Paise;
use domain::payments::gateway::{CheckoutAbout, Gateway};
use domain::payments::razorpay::Razorpay;
use domain::payments::{store as payments, Purpose};
use domain::problem::Problem;
use domain::Locale;
use time::{Duration, OffsetDateTime};

const HALL: &str = "saheed-nagar-kalyan-mandap";

async fn hall(app: &TestApp) -> Facility {
    bookings::facility(&app.pool, HALL, Locale::En)
        .await
        .unwrap()
        .expect("the demo hall is seeded")
}

/// A day `days` from today in India.
fn day_in(days: i64) -> time::Date {
    (OffsetDateTime::now_utc().to_offset(time::macros::offset!(+5:30)) + Duration::days(days))
        .date()
}

async fn citizen(app: &TestApp, mobile: &str) -> AccountId {
    register_citizen(app, mobile).await;
    sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(mobile)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Starts paying for a held booking and goes through the sandbox's checkout with `choice`: the
/// page it answers with.
async fn pay(
    app: &TestApp,
    gw: &PaymentGateway,
    number: &str,
    booker: AccountId,
    choice: &str,
    now: OffsetDateTime,
) -> String {
    let form = open_checkout(app, gw, number, booker, now).await;
    finish_checkout(gw, form, choice).await
}

async fn state_of(app: &TestApp, number: &str) -> String {
    sqlx::query_scalar("SELECT state FROM bookings WHERE number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn paying_app() -> (TestApp, PaymentGateway) {
    let gw = PaymentGateway::start().await;
    let mut config = test_config();
    config.payments = Razorpay::new(gw.settings());
    let app = spawn_app_with(config).await;
    gw.send_webhooks_to(&format!("{}/api/v1/payments/webhook", app.base))
        .await;
    (app, gw)
}

#[tokio::test]
async fn two_hundred_people_asking_for_one_slot_at_once_end_with_one_hold() {
    let app = spawn_app().await;
    let f = hall(&app).await;
    let mut people = Vec::new();
    for i in 0..4 {
        people.push(citizen(&app, &format!("94370006{i:02}")).await);
    }
    let day = day_in(20);
    let now = OffsetDateTime::now_utc();
    let tries: Vec<_> = (0..200)
        .map(|i| {
            let (pool, f, who) = (app.pool.clone(), f.clone(), people[i % 4]);
            tokio::spawn(async move { (who, bookings::hold(&pool, &f, day, 1, who, now).await) })
        })
        .collect();
    let mut held = std::collections::BTreeSet::new();
    let mut refused = 0;
    for t in tries {
        let (who, outcome) = t.await.unwrap();
        match outcome {
            Ok(h) => {
                held.insert((who, h.id));
            }
            Err(Problem::Conflict("err_slot_taken")) => refused += 1,
            Err(other) => panic!("{other:?}"),
        }
    }
    // one hold, one person's (their own later asks find it); everyone else is refused
    assert_eq!(held.len(), 1, "{held:?}");
    assert!(refused >= 150, "{refused}");
    let live: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bookings WHERE state IN ('held', 'confirmed')")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(live, 1);
    // the other slot of that day, and the same slot of another day, are still free
    bookings::hold(&app.pool, &f, day, 0, people[1], now)
        .await
        .unwrap();
    bookings::hold(&app.pool, &f, day_in(21), 1, people[2], now)
        .await
        .unwrap();
    // even written by hand, an overlapping live booking is refused by the database
    let overlap = sqlx::query(
        "INSERT INTO bookings (id, number, facility_id, during, state, held_until, fee_paise,
                               deposit_paise, created_at)
         SELECT gen_random_uuid(), 'BK-X', facility_id, during, 'confirmed', now(), 0, 0, now()
         FROM bookings WHERE state = 'held' LIMIT 1",
    )
    .execute(&app.pool)
    .await;
    assert!(overlap.is_err());
}

#[tokio::test]
async fn days_and_slots_that_cannot_be_booked_are_refused_at_their_field() {
    let app = spawn_app().await;
    let f = hall(&app).await;
    let who = citizen(&app, "9437000620").await;
    let now = OffsetDateTime::now_utc();
    let field = |r: Result<bookings::Held, Problem>| match r {
        Err(Problem::Invalid(f)) => (f[0].field.clone(), f[0].code.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(bookings::hold(&app.pool, &f, day_in(-1), 0, who, now).await),
        ("day".into(), "err_booking_past".into())
    );
    assert_eq!(
        field(bookings::hold(&app.pool, &f, day_in(120), 0, who, now).await),
        ("day".into(), "err_booking_too_far".into())
    );
    assert_eq!(
        field(bookings::hold(&app.pool, &f, day_in(3), 7, who, now).await),
        ("slot".into(), "err_booking_slot".into())
    );
    sqlx::query(
        "INSERT INTO facility_blackouts (facility_id, day, reason) VALUES ($1, $2, 'Repairs')",
    )
    .bind(f.id)
    .bind(day_in(5))
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        field(bookings::hold(&app.pool, &f, day_in(5), 0, who, now).await),
        ("day".into(), "err_booking_closed".into())
    );
}

#[tokio::test]
async fn a_hold_paid_in_time_is_confirmed_and_one_past_its_time_frees_the_slot_and_its_late_money_goes_back(
) {
    let (app, gw) = paying_app().await;
    let f = hall(&app).await;
    let (a, b) = (
        citizen(&app, "9437000630").await,
        citizen(&app, "9437000631").await,
    );
    let now = OffsetDateTime::now_utc();
    let day = day_in(15);

    // A holds the evening and pays within the ten minutes: confirmed
    let first = bookings::hold(&app.pool, &f, day, 1, a, now).await.unwrap();
    assert_eq!(first.amount, Paise(f.fee.0 + f.deposit.0));
    pay(&app, &gw, &first.number, a, "upi", now).await;
    gw.all_delivered().await;
    assert_eq!(state_of(&app, &first.number).await, "confirmed");

    // A holds the morning, starts paying, and is too slow: the hold lapses and B takes the slot
    let second = bookings::hold(&app.pool, &f, day, 0, a, now).await.unwrap();
    let later = now + Duration::minutes(11);
    let b_holds = {
        let gateway_start = open_checkout(&app, &gw, &second.number, a, now).await;
        assert_eq!(bookings::expire_holds(&app.pool, later).await.unwrap(), 1);
        let b_holds = bookings::hold(&app.pool, &f, day, 0, b, later)
            .await
            .unwrap();
        // A's payment goes through after all: the slot is B's, so A's money goes back in full
        finish_checkout(&gw, gateway_start, "card").await;
        b_holds
    };
    gw.all_delivered().await;
    assert_eq!(state_of(&app, &second.number).await, "expired");
    assert_eq!(state_of(&app, &b_holds.number).await, "held");
    let refunds: Vec<(i64, String)> = sqlx::query_as(
        "SELECT r.amount_paise, r.reason FROM refunds r JOIN payments p ON p.id = r.payment_id
         JOIN bookings b ON b.id = p.subject_id WHERE b.number = $1 AND r.state = 'processed'",
    )
    .bind(&second.number)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(refunds, vec![(second.amount.0, "not_wanted".to_string())]);
    // and a lapsed hold cannot be paid for any more
    assert!(matches!(
        bookings::due(&app.pool, &second.number, a, later).await,
        Err(Problem::Conflict("err_hold_lapsed"))
    ));
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
}

/// Starts a payment and opens its checkout page, without choosing yet: the page's form.
async fn open_checkout(
    app: &TestApp,
    gw: &PaymentGateway,
    number: &str,
    booker: AccountId,
    now: OffsetDateTime,
) -> Vec<(String, String)> {
    let gateway = Razorpay::new(gw.settings());
    let (id, department, amount) = bookings::due(&app.pool, number, booker, now).await.unwrap();
    let asked = payments::Asked {
        purpose: Purpose::Booking,
        subject: id,
        payer: booker,
        department,
        amount,
        key: uuid::Uuid::now_v7().to_string(),
        description: format!("Booking {number}"),
    };
    let started = payments::start(&app.pool, &gateway, &asked, now)
        .await
        .unwrap();
    let about = CheckoutAbout {
        description: asked.description,
        name: "Nagarik".into(),
        mobile: "9437000000".into(),
        email: None,
        return_url: format!("{}/payments/return", app.base),
        cancel_url: format!("{}/", app.base),
    };
    let c = gateway.checkout(&started.order, &about);
    let page = reqwest::Client::new()
        .post(&c.action)
        .form(&c.fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    crate::outside::hidden_fields(&page)
}

async fn finish_checkout(gw: &PaymentGateway, form: Vec<(String, String)>, choice: &str) -> String {
    gw.pay(form, choice).await
}

#[tokio::test]
async fn a_upi_payment_the_bank_is_still_deciding_keeps_the_slot_past_the_hold() {
    let (app, gw) = paying_app().await;
    let f = hall(&app).await;
    let (a, b) = (
        citizen(&app, "9437000640").await,
        citizen(&app, "9437000641").await,
    );
    let now = OffsetDateTime::now_utc();
    let day = day_in(12);
    let held = bookings::hold(&app.pool, &f, day, 1, a, now).await.unwrap();
    let page = pay(&app, &gw, &held.number, a, "upi_later", now).await;
    let at_bank = page
        .split("<code>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    // reconciliation hears the bank has it
    let gateway = Razorpay::new(gw.settings());
    payments::reconcile(&app.pool, &gateway, now + Duration::minutes(2))
        .await
        .unwrap();
    let later = now + Duration::minutes(25);
    assert_eq!(bookings::expire_holds(&app.pool, later).await.unwrap(), 0);
    assert!(matches!(
        bookings::hold(&app.pool, &f, day, 1, b, later).await,
        Err(Problem::Conflict("err_slot_taken"))
    ));
    gw.bank_answers(&at_bank, true).await;
    gw.all_delivered().await;
    assert_eq!(state_of(&app, &held.number).await, "confirmed");
}

#[tokio::test]
async fn a_cancellation_gives_back_what_the_rules_say_with_a_receipt_and_the_ledger_balances() {
    let (app, gw) = paying_app().await;
    let f = hall(&app).await;
    let a = citizen(&app, "9437000650").await;
    let stranger = citizen(&app, "9437000651").await;
    let now = OffsetDateTime::now_utc();
    let gateway = Razorpay::new(gw.settings());

    // ten days ahead: the fee and the deposit back in full
    let far = bookings::hold(&app.pool, &f, day_in(10), 1, a, now)
        .await
        .unwrap();
    pay(&app, &gw, &far.number, a, "upi", now).await;
    gw.all_delivered().await;
    assert!(matches!(
        bookings::cancel(&app.pool, &gateway, &far.number, stranger, now).await,
        Err(Problem::NotFound)
    ));
    let done = bookings::cancel(&app.pool, &gateway, &far.number, a, now)
        .await
        .unwrap();
    assert_eq!(done.refund, far.amount);
    assert!(done.receipt.unwrap().starts_with("RC-"));
    assert_eq!(state_of(&app, &far.number).await, "cancelled");
    let export = domain::identity::store::export(&app.pool, &data_key(), a)
        .await
        .unwrap();
    assert_eq!(export["bookings"][0]["number"], far.number.as_str());
    assert_eq!(export["bookings"][0]["state"], "cancelled");

    // three days ahead: half the fee, and the deposit
    let near = bookings::hold(&app.pool, &f, day_in(3), 1, a, now)
        .await
        .unwrap();
    pay(&app, &gw, &near.number, a, "card", now).await;
    gw.all_delivered().await;
    let done = bookings::cancel(&app.pool, &gateway, &near.number, a, now)
        .await
        .unwrap();
    assert_eq!(done.refund, Paise(f.fee.0 / 2 + f.deposit.0));
    // a cancelled slot is free again
    bookings::hold(&app.pool, &f, day_in(3), 1, stranger, now)
        .await
        .unwrap();
    assert!(matches!(
        bookings::cancel(&app.pool, &gateway, &near.number, a, now).await,
        Err(Problem::Conflict("err_booking_not_cancellable"))
    ));
    // what the hall kept is half of one fee, in the ledger as at the gateway
    let balances = payments::balances(&app.pool).await.unwrap();
    let hall_holds = balances
        .iter()
        .find(|(acct, _)| acct == "department:bmc:receipts")
        .map(|(_, b)| -b)
        .unwrap();
    assert_eq!(hall_holds, f.fee.0 - f.fee.0 / 2);
    let unbalanced: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT movement FROM ledger_entries GROUP BY movement
         HAVING sum(amount_paise) <> 0) m",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(unbalanced, 0);
}

#[tokio::test]
async fn the_booking_pages_server_functions_refuse_strangers() {
    let app = spawn_app().await;
    let f = hall(&app).await;
    let owner = register_citizen(&app, "9437000660").await;
    let owner_id: AccountId =
        sqlx::query_scalar("SELECT id FROM users WHERE mobile = '9437000660'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let held = bookings::hold(
        &app.pool,
        &f,
        day_in(9),
        0,
        owner_id,
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    let stranger = register_citizen(&app, "9437000661").await;
    let anonymous = client();
    // only a signed-in person books
    let day = {
        let d = day_in(9);
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    };
    let form = [
        ("slug", HALL),
        ("day", day.as_str()),
        ("slot", "1"),
        ("key", "0193a1b2-c3d4-7e5f"),
    ];
    assert_eq!(app.call(&anonymous, "bookings/book", &form).await.0, 401);
    // a booking is its booker's: a stranger learns nothing of it and cannot pay or cancel it
    assert_eq!(
        app.call(&owner, "bookings/view", &[("number", &held.number)])
            .await
            .0,
        200
    );
    assert_eq!(
        app.call(&stranger, "bookings/view", &[("number", &held.number)])
            .await
            .0,
        404
    );
    assert_eq!(
        app.call(&anonymous, "bookings/view", &[("number", &held.number)])
            .await
            .0,
        401
    );
    assert_eq!(
        app.call(
            &stranger,
            "bookings/pay",
            &[("number", &held.number), ("key", "0193a1b2-c3d4-7e5f")]
        )
        .await
        .0,
        404
    );
    assert_eq!(
        app.call(&stranger, "bookings/cancel", &[("number", &held.number)])
            .await
            .0,
        404
    );
    assert_eq!(state_of(&app, &held.number).await, "held");
    // the facility and its calendar are public
    let (status, view) = app
        .call(
            &anonymous,
            "bookings/facility",
            &[("slug", HALL), ("day", &day)],
        )
        .await;
    assert_eq!(status, 200, "{view}");
    let times = view["day"]["times"].as_array().unwrap();
    assert_eq!(
        (times[0]["free"].as_bool(), times[1]["free"].as_bool()),
        (Some(false), Some(true))
    );
}

#[tokio::test]
async fn a_booking_service_page_offers_the_calendar_and_other_services_do_not() {
    let app = spawn_app().await;
    let anyone = client();
    let (status, page) = app
        .call(
            &anyone,
            "catalogue/service",
            &[("slug", "kalyan-mandap-booking")],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["books_here"], true);
    let (_, page) = app
        .call(
            &anyone,
            "catalogue/service",
            &[("slug", "birth-certificate")],
        )
        .await;
    assert_eq!(page["books_here"], false);
}
