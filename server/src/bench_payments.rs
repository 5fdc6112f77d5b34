//! `nagarik bench-payments GATEWAY_URL`: money and slots under load, against a running server
//! whose sandbox gateway sends its webhooks to it (as `./dev bench` starts them).
//!
//! - Contention: 200 people ask for one slot of one hall at the same instant; the database's
//!   exclusion constraint lets one hold it. Printed: how long deciding all 200 took, and the
//!   decisions per second.
//! - Payments end to end: bookings held across the demo facilities' free slots are paid at once
//!   (16 at a time), each the whole way a person's is: the order at the gateway, the hosted
//!   checkout, paying by UPI, and the gateway's webhooks to the server, which captures, credits
//!   and issues the receipt. Printed: payments confirmed per second, and the time from asking to
//!   pay to the receipt (p50, p95).

use domain::bookings::store as bookings;
use domain::ids::AccountId;
use domain::payments::gateway::{CheckoutAbout, Gateway};
use domain::payments::razorpay::{Razorpay, Settings};
use domain::payments::{store as payments, Purpose};
use domain::Locale;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const CONTENDERS: usize = 200;
const PAYMENTS: usize = 200;

fn day_in(days: i64) -> time::Date {
    (OffsetDateTime::now_utc().to_offset(time::macros::offset!(+5:30)) + time::Duration::days(days))
        .date()
}

pub async fn run(pool: &PgPool, gateway_url: &str) -> anyhow::Result<()> {
    let gateway = Razorpay::new(Settings::sandbox(gateway_url));
    let payer: AccountId = sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT id FROM users WHERE role = 'citizen' ORDER BY created_at LIMIT 1",
    )
    .fetch_one(pool)
    .await?
    .into();
    let slugs: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM facilities WHERE published ORDER BY slug")
            .fetch_all(pool)
            .await?;
    let mut facilities = Vec::new();
    for slug in &slugs {
        if let Some(f) = bookings::facility(pool, slug, Locale::En).await? {
            facilities.push(f);
        }
    }
    anyhow::ensure!(
        !facilities.is_empty(),
        "no facilities: run `nagarik seed` first"
    );

    // one slot, 200 people at once (on the first day the hall is open)
    let hall = Arc::new(facilities[0].clone());
    let now = OffsetDateTime::now_utc();
    for days in 20..60 {
        let started = Instant::now();
        let mut asking = tokio::task::JoinSet::new();
        for _ in 0..CONTENDERS {
            let (pool, hall) = (pool.clone(), hall.clone());
            asking.spawn(async move {
                bookings::hold(&pool, &hall, day_in(days), 0, payer, now)
                    .await
                    .is_ok()
            });
        }
        let held = asking.join_all().await.into_iter().filter(|h| *h).count();
        let took = started.elapsed();
        if held == 0 {
            continue; // a day the hall is closed
        }
        println!(
            "booking contention: {CONTENDERS} people asking for one slot at once: {held} held, {} refused, decided in {:.0} ms ({:.0} decisions/s)",
            CONTENDERS - held,
            took.as_secs_f64() * 1000.0,
            CONTENDERS as f64 / took.as_secs_f64()
        );
        anyhow::ensure!(held == 1, "{held} holds of one slot");
        break;
    }

    // holds to pay for, across the facilities' other free slots
    let mut holds = Vec::new();
    'days: for days in 3..90 {
        for f in &facilities {
            for slot in 0..f.slots.len() {
                if holds.len() >= PAYMENTS {
                    break 'days;
                }
                if let Ok(h) = bookings::hold(pool, f, day_in(days), slot, payer, now).await {
                    holds.push(h.number);
                }
            }
        }
    }
    let client = reqwest::Client::new();
    let started = Instant::now();
    let at_once = Arc::new(tokio::sync::Semaphore::new(16));
    let mut paying = tokio::task::JoinSet::new();
    for number in holds {
        let (pool, gateway, client, at_once) = (
            pool.clone(),
            gateway.clone(),
            client.clone(),
            at_once.clone(),
        );
        let pay_url = format!("{gateway_url}/v1/checkout/pay");
        paying.spawn(async move {
            let _turn = at_once.acquire().await?;
            let asked_at = Instant::now();
            let now = OffsetDateTime::now_utc();
            let (id, department, amount) = bookings::due(&pool, &number, payer, now).await?;
            let asked = payments::Asked {
                purpose: Purpose::Booking,
                subject: id,
                payer,
                department,
                amount,
                key: uuid::Uuid::now_v7().to_string(),
                description: format!("Booking {number}"),
            };
            let started = payments::start(&pool, &gateway, &asked, now).await?;
            let about = CheckoutAbout {
                description: asked.description.clone(),
                name: "Bench".into(),
                mobile: "9437000000".into(),
                email: None,
                return_url: "http://127.0.0.1:9/payments/return".into(),
                cancel_url: "http://127.0.0.1:9/".into(),
            };
            let c = gateway.checkout(&started.order, &about);
            let page = client
                .post(&c.action)
                .form(&c.fields)
                .send()
                .await?
                .text()
                .await?;
            let mut form = hidden_fields(&page);
            form.push(("choice".into(), "upi".into()));
            client
                .post(pay_url)
                .form(&form)
                .send()
                .await?
                .error_for_status()?;
            anyhow::Ok((started.payment, asked_at))
        });
    }
    let asked = paying.join_all().await;
    let mut waiting: Vec<(uuid::Uuid, Instant)> = asked.into_iter().collect::<Result<_, _>>()?;
    let total = waiting.len();
    let mut latencies = Vec::with_capacity(total);
    // each is confirmed when its receipt exists (the webhooks are the server's to take)
    let deadline = Instant::now() + Duration::from_secs(300);
    while !waiting.is_empty() && Instant::now() < deadline {
        let ids: Vec<uuid::Uuid> = waiting.iter().map(|(id, _)| *id).collect();
        let done: Vec<uuid::Uuid> = sqlx::query_scalar(
            "SELECT payment_id FROM receipts WHERE payment_id = ANY($1) AND refund_id IS NULL",
        )
        .bind(&ids)
        .fetch_all(pool)
        .await?;
        let seen_at = Instant::now();
        waiting.retain(|(id, asked_at)| {
            let confirmed = done.contains(id);
            if confirmed {
                latencies.push(seen_at.duration_since(*asked_at).as_secs_f64() * 1000.0);
            }
            !confirmed
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    anyhow::ensure!(
        waiting.is_empty(),
        "{} payments never confirmed",
        waiting.len()
    );
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "payments end to end (order, checkout, UPI, webhooks, capture, receipt), {total} bookings, 16 at a time: {:.1} confirmed/s; asking to pay to receipt p50 {:.0} ms, p95 {:.0} ms",
        total as f64 / took.as_secs_f64(),
        pct(0.50),
        pct(0.95)
    );
    Ok(())
}

/// The checkout page's hidden fields, as the browser would post them on (the tests read the
/// sandbox's pages the same way).
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|tag| {
            let name = tag.split("name=\"").nth(1)?.split('"').next()?;
            let value = tag.split("value=\"").nth(1)?.split('"').next()?;
            let unescape = |s: &str| {
                s.replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            };
            Some((unescape(name), unescape(value)))
        })
        .collect()
}
