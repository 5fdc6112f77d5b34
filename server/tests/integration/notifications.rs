use crate::helpers::*;
use crate::outside::{providers, Gateway, SmtpServer};
use domain::notifications::{self, Address, Channel, Failure, Notification, Provider};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Counting(Arc<Mutex<HashMap<uuid::Uuid, u32>>>);

impl Provider for Counting {
    async fn deliver(&self, n: &Notification) -> Result<Option<String>, Failure> {
        *self.0.lock().unwrap().entry(n.id).or_default() += 1;
        tokio::task::yield_now().await;
        Ok(None)
    }
}

#[tokio::test]
async fn two_workers_deliver_every_message_exactly_once() {
    let app = spawn_app().await;
    for i in 0..300 {
        notifications::enqueue(
            &app.pool,
            Channel::Sms,
            "9876543210",
            "",
            &format!("message {i}"),
        )
        .await
        .unwrap();
    }
    let provider = Counting::default();
    let worker = |pool: sqlx::PgPool, p: Counting| async move {
        loop {
            if notifications::deliver_due(&pool, &p, 20).await.unwrap() == 0 {
                break;
            }
        }
    };
    let a = tokio::spawn(worker(app.pool.clone(), provider.clone()));
    let b = tokio::spawn(worker(app.pool.clone(), provider.clone()));
    a.await.unwrap();
    b.await.unwrap();
    let counts = provider.0.lock().unwrap();
    assert_eq!(counts.len(), 300);
    assert!(counts.values().all(|&n| n == 1));
}

struct Failing;
impl Provider for Failing {
    async fn deliver(&self, _n: &Notification) -> Result<Option<String>, Failure> {
        Err(Failure::Retry("gateway down".into()))
    }
}

#[tokio::test]
async fn a_failed_delivery_is_retried_later_not_lost() {
    let app = spawn_app().await;
    let id = notifications::enqueue(&app.pool, Channel::Sms, "9876543210", "", "hello")
        .await
        .unwrap();
    notifications::deliver_due(&app.pool, &Failing, 10)
        .await
        .unwrap();
    let (status, attempts, later): (String, i32, bool) = sqlx::query_as(
        "SELECT status, attempts, next_attempt_at > now() FROM notifications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts, later), ("queued", 1, true));
    // Not due yet: nothing to do.
    assert_eq!(
        notifications::deliver_due(&app.pool, &Counting::default(), 10)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn the_dev_inbox_shows_delivered_codes() {
    let app = spawn_app().await;
    notifications::enqueue(
        &app.pool,
        Channel::Sms,
        "9876543210",
        "",
        "123456 is your Nagarik code",
    )
    .await
    .unwrap();
    // The server's own providers as `./dev run` has them without an SMS gateway: the
    // development inbox stands in for the channel that has no provider.
    let settings = server::notifications::ProviderSettings {
        sms_gateway_url: None,
        sms_gateway_token: String::new(),
        smtp_url: None,
        mail_from: "Nagarik <no-reply@nagarik.localhost>".into(),
        public_url: "http://127.0.0.1".into(),
        vapid_private_key: None,
        vapid_subject: "mailto:operations@nagarik.localhost".into(),
    };
    let providers = server::notifications::Providers::new(
        app.pool.clone(),
        &crate::helpers::data_key(),
        &settings,
        true,
    )
    .await
    .unwrap();
    let delivered = notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    assert_eq!(delivered, 1);
    let status: String = sqlx::query_scalar(
        "SELECT status FROM notifications WHERE recipient = '9876543210' ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(status, "delivered");
    // without the inbox, a channel with no provider is a failure, not a delivery
    let strict = server::notifications::Providers::new(
        app.pool.clone(),
        &crate::helpers::data_key(),
        &settings,
        false,
    )
    .await
    .unwrap();
    notifications::enqueue(
        &app.pool,
        Channel::Sms,
        "9876543211",
        "",
        "654321 is your Nagarik code",
    )
    .await
    .unwrap();
    notifications::deliver_due(&app.pool, &strict, 10)
        .await
        .unwrap();
    let status: String =
        sqlx::query_scalar("SELECT status FROM notifications WHERE recipient = '9876543211'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, "failed");
    let res = client()
        .get(format!("{}/dev/messages", app.base))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let html = res.text().await.unwrap();
    assert!(
        status == 200 && html.contains("123456 is your Nagarik code"),
        "status {status}: {html}"
    );
}

fn sms(to: &str) -> Address {
    Address {
        channel: Channel::Sms,
        recipient: to.into(),
    }
}

fn email(to: &str) -> Address {
    Address {
        channel: Channel::Email,
        recipient: to.into(),
    }
}

/// Lets time pass for the outbox: every queued message is due now.
async fn time_passes(pool: &sqlx::PgPool) {
    sqlx::query("UPDATE notifications SET next_attempt_at = now() WHERE status = 'queued'")
        .execute(pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_sms_crosses_http_to_the_gateway_process_and_keeps_its_gateway_id() {
    let app = spawn_app().await;
    let (gateway, smtp) = (Gateway::start().await, SmtpServer::start().await);
    let providers = providers(&app.pool, &gateway, &smtp).await;
    let id = notifications::enqueue(
        &app.pool,
        Channel::Sms,
        "9437012345",
        "",
        "Your grievance GR-26 is in",
    )
    .await
    .unwrap();
    assert_eq!(
        notifications::deliver_due(&app.pool, &providers, 10)
            .await
            .unwrap(),
        1
    );
    let got = gateway.sms_to("9437012345").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["text"], "Your grievance GR-26 is in");
    assert_eq!(got[0]["reference"], id.to_string());
    let n = notifications::notification(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n.status, "delivered");
    assert_eq!(n.provider_ref.as_deref(), got[0]["id"].as_str());
}

#[tokio::test]
async fn an_email_goes_over_smtp_with_its_subject_and_a_link_back() {
    let app = spawn_app().await;
    let (gateway, smtp) = (Gateway::start().await, SmtpServer::start().await);
    let providers = providers(&app.pool, &gateway, &smtp).await;
    let id = notifications::send(
        &app.pool,
        &[email("rina@example.in")],
        "GR-26-0000042-7",
        "Your grievance was resolved.",
        notifications::About {
            subject: None,
            link: "/grievances/GR-26-0000042-7",
        },
    )
    .await
    .unwrap()
    .unwrap();
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "one email received");
    let m = &mail[0];
    assert!(m.contains("To: rina@example.in"), "{m}");
    assert!(m.contains("Subject: Nagarik: GR-26-0000042-7"), "{m}");
    assert!(m.contains("Your grievance was resolved."), "{m}");
    assert!(
        m.contains("https://nagarik.example.in/grievances/GR-26-0000042-7"),
        "{m}"
    );
    assert!(
        m.contains(&format!("<{id}@nagarik>")),
        "its Message-ID names the outbox row: {m}"
    );
    let n = notifications::notification(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((n.status.as_str(), n.attempts), ("delivered", 1));
}

#[tokio::test]
async fn a_gateway_outage_is_retried_with_backoff_and_the_message_arrives_once() {
    let app = spawn_app().await;
    let (gateway, smtp) = (Gateway::start().await, SmtpServer::start().await);
    let providers = providers(&app.pool, &gateway, &smtp).await;
    gateway.outage("sms", 2).await;
    let id = notifications::enqueue(&app.pool, Channel::Sms, "9437012345", "", "hello")
        .await
        .unwrap();
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let (status, attempts, wait, error): (String, i32, f64, String) = sqlx::query_as(
        "SELECT status, attempts, extract(epoch FROM next_attempt_at - now())::float8, last_error
         FROM notifications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts), ("queued", 1));
    assert!(wait > 3.0 && wait <= 5.0, "first retry in 5 s, not {wait}");
    assert!(error.contains("503"), "{error}");
    // Not due yet: nothing goes.
    assert_eq!(
        notifications::deliver_due(&app.pool, &providers, 10)
            .await
            .unwrap(),
        0
    );
    time_passes(&app.pool).await;
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let wait: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM next_attempt_at - now())::float8 FROM notifications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        wait > 8.0 && wait <= 10.0,
        "second retry waits twice as long, not {wait}"
    );
    time_passes(&app.pool).await;
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let n = notifications::notification(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((n.status.as_str(), n.attempts), ("delivered", 3));
    assert_eq!(gateway.sms_to("9437012345").await.len(), 1);
}

#[tokio::test]
async fn an_unreachable_number_falls_back_to_email_at_once_and_both_outcomes_are_kept() {
    let app = spawn_app().await;
    let (gateway, smtp) = (Gateway::start().await, SmtpServer::start().await);
    let providers = providers(&app.pool, &gateway, &smtp).await;
    gateway
        .unreachable(serde_json::json!({"mobile": "9437012345"}))
        .await;
    let id = notifications::send(
        &app.pool,
        &[sms("9437012345"), email("rina@example.in")],
        "GR-26-0000042-7",
        "Your grievance moved up to level 2.",
        notifications::About {
            subject: None,
            link: "/grievances/GR-26-0000042-7",
        },
    )
    .await
    .unwrap()
    .unwrap();
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let failed = notifications::notification(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((failed.status.as_str(), failed.attempts), ("failed", 1));
    assert!(failed.last_error.unwrap().contains("not reachable"));
    let stand_in = notifications::fallback_for(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stand_in.channel.as_str(), stand_in.recipient.as_str()),
        ("email", "rina@example.in")
    );
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let delivered = notifications::notification(&app.pool, stand_in.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(delivered.status, "delivered");
    let mail = smtp.messages();
    assert!(mail.len() == 1 && mail[0].contains("Your grievance moved up to level 2."));
    assert!(gateway.sms_to("9437012345").await.is_empty());
}

#[tokio::test]
async fn a_gateway_down_for_good_hands_over_to_email_after_the_last_retry() {
    let app = spawn_app().await;
    let (gateway, smtp) = (Gateway::start().await, SmtpServer::start().await);
    let providers = providers(&app.pool, &gateway, &smtp).await;
    gateway.outage("sms", 1000).await;
    let id = notifications::send(
        &app.pool,
        &[sms("9437012345"), email("rina@example.in")],
        "",
        "hello",
        notifications::About::NOTHING,
    )
    .await
    .unwrap()
    .unwrap();
    for attempt in 1..=notifications::MAX_ATTEMPTS {
        notifications::deliver_due(&app.pool, &providers, 10)
            .await
            .unwrap();
        let n = notifications::notification(&app.pool, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n.attempts, attempt);
        let expected = if attempt < notifications::MAX_ATTEMPTS {
            "queued"
        } else {
            "failed"
        };
        assert_eq!(n.status, expected, "after attempt {attempt}");
        assert_eq!(
            notifications::fallback_for(&app.pool, id)
                .await
                .unwrap()
                .is_some(),
            attempt == notifications::MAX_ATTEMPTS
        );
        time_passes(&app.pool).await;
    }
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    assert_eq!(smtp.messages().len(), 1);
}

#[tokio::test]
async fn officials_see_which_messages_about_a_grievance_arrived_and_citizens_do_not() {
    let app = spawn_app().await;
    let (gateway, smtp) = (Gateway::start().await, SmtpServer::start().await);
    let providers = providers(&app.pool, &gateway, &smtp).await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = crate::grievances::file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    gateway.outage("sms", 1).await;
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let official = app.signed_in(BMC_OFFICIAL).await;
    let page = app
        .page(&official, &format!("/grievances/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Messages sent about it"), "{page}");
    assert!(page.contains("SMS") && page.contains("••••••0004"));
    assert!(
        page.contains("Waiting to be sent"),
        "the first try met an outage"
    );
    sqlx::query("UPDATE notifications SET next_attempt_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let page = app
        .page(&official, &format!("/grievances/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Delivered") && page.contains("2 attempts"),
        "{page}"
    );
    let own = app
        .page(&citizen, &format!("/grievances/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!own.contains("Messages sent about it"));
}
