//! Web push end to end: a subscribed device gets a message only it can read, signed with our
//! key; a dropped subscription hands over to SMS; subscriptions are their owner's.

use crate::helpers::*;
use crate::outside::{providers, Gateway, SmtpServer};
use base64::Engine;
use domain::notifications;

/// A browser's subscription: its key pair and auth secret stay here, as on a device.
struct Device {
    keys: Box<dyn ece::LocalKeyPair>,
    auth: [u8; 16],
    token: String,
}

impl Device {
    fn new(token: &str) -> Device {
        let (keys, auth) = ece::generate_keypair_and_auth_secret().unwrap();
        Device {
            keys,
            auth,
            token: token.into(),
        }
    }

    async fn subscribe(&self, app: &TestApp, gateway: &Gateway, citizen: &reqwest::Client) {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let endpoint = format!("{}/push/{}", gateway.url, self.token);
        let p256dh = b64.encode(self.keys.pub_as_raw().unwrap());
        let auth = b64.encode(self.auth);
        let (status, body) = app
            .call(
                citizen,
                "notifications/push_subscribe",
                &[
                    ("endpoint", &endpoint),
                    ("p256dh", &p256dh),
                    ("auth", &auth),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    fn read(&self, push: &serde_json::Value) -> serde_json::Value {
        let body = base64::engine::general_purpose::STANDARD
            .decode(push["body"].as_str().unwrap())
            .unwrap();
        let plain = ece::decrypt(&self.keys.raw_components().unwrap(), &self.auth, &body)
            .expect("the push decrypts with the device's keys");
        serde_json::from_slice(&plain).unwrap()
    }
}

async fn account_of(pool: &sqlx::PgPool, mobile: &str) -> uuid::Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(mobile)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_subscribed_citizen_gets_a_web_push_only_their_device_can_read_signed_with_our_key() {
    let app = spawn_app().await;
    let (gateway, smtp) = (Gateway::start().await, SmtpServer::start().await);
    let providers = providers(&app.pool, &gateway, &smtp).await;
    let citizen = app.signed_in(CITIZEN).await;
    let device = Device::new("phone-1");
    device.subscribe(&app, &gateway, &citizen).await;

    // A grievance step tells the filer: push comes first now that a device is subscribed.
    let account = account_of(&app.pool, CITIZEN).await;
    let mut tx = app.pool.begin().await.unwrap();
    let id = notifications::tell_account(
        &mut tx,
        account.into(),
        "GR-26-0000042-7",
        "Resolved: pothole filled",
        notifications::About {
            subject: None,
            link: "/grievances/GR-26-0000042-7",
        },
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();

    let pushes = gateway.pushes_to("phone-1").await;
    assert_eq!(pushes.len(), 1);
    let shown = device.read(&pushes[0]);
    assert_eq!(shown["title"], "GR-26-0000042-7");
    assert_eq!(shown["body"], "Resolved: pothole filled");
    assert_eq!(shown["url"], "/grievances/GR-26-0000042-7");
    assert_eq!(pushes[0]["content_encoding"], "aes128gcm");
    let authorization = pushes[0]["authorization"].as_str().unwrap();
    assert!(
        authorization.ends_with(&format!("k={}", providers.vapid_public_key())),
        "signed with the key browsers subscribed with: {authorization}"
    );
    let n = notifications::notification(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (n.channel.as_str(), n.status.as_str()),
        ("push", "delivered")
    );
    // No SMS was needed.
    assert!(gateway.sms_to(CITIZEN).await.is_empty());
}

#[tokio::test]
async fn a_subscription_the_browser_dropped_is_forgotten_and_sms_takes_over() {
    let app = spawn_app().await;
    let (gateway, smtp) = (Gateway::start().await, SmtpServer::start().await);
    let providers = providers(&app.pool, &gateway, &smtp).await;
    let citizen = app.signed_in(CITIZEN).await;
    Device::new("old-phone")
        .subscribe(&app, &gateway, &citizen)
        .await;
    gateway
        .unreachable(serde_json::json!({"push_token": "old-phone"}))
        .await;
    let account = account_of(&app.pool, CITIZEN).await;
    let mut tx = app.pool.begin().await.unwrap();
    notifications::tell_account(
        &mut tx,
        account.into(),
        "",
        "Your grievance was escalated",
        notifications::About {
            subject: None,
            link: "/grievances/x",
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    assert!(
        notifications::push_subscriptions_of(&app.pool, account.into())
            .await
            .unwrap()
            .is_empty(),
        "410 Gone removes the subscription"
    );
    notifications::deliver_due(&app.pool, &providers, 10)
        .await
        .unwrap();
    let sms = gateway.sms_to(CITIZEN).await;
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0]["text"], "Your grievance was escalated");
}

#[tokio::test]
async fn push_subscriptions_are_the_callers_own() {
    let app = spawn_app().await;
    let anonymous = client();
    let (status, _) = app
        .call(
            &anonymous,
            "notifications/push_subscribe",
            &[
                ("endpoint", "https://push.example/x"),
                ("p256dh", "BBBB"),
                ("auth", "AAAA"),
            ],
        )
        .await;
    assert_eq!(status, 401, "signed-in people only");

    let gateway = Gateway::start().await;
    let citizen = app.signed_in(CITIZEN).await;
    let device = Device::new("phone-1");
    device.subscribe(&app, &gateway, &citizen).await;
    let endpoint = format!("{}/push/phone-1", gateway.url);
    // Another person cannot switch it off for them.
    let official = app.signed_in(BMC_OFFICIAL).await;
    let (status, _) = app
        .call(
            &official,
            "notifications/push_unsubscribe",
            &[("endpoint", &endpoint)],
        )
        .await;
    assert_eq!(status, 200);
    let account = account_of(&app.pool, CITIZEN).await;
    assert_eq!(
        notifications::push_subscriptions_of(&app.pool, account.into())
            .await
            .unwrap()
            .len(),
        1
    );
    // Nonsense is refused at the door.
    let (status, _) = app
        .call(
            &citizen,
            "notifications/push_subscribe",
            &[
                ("endpoint", "javascript:alert(1)"),
                ("p256dh", "x"),
                ("auth", "y"),
            ],
        )
        .await;
    assert_eq!(status, 400);
    // Its owner can.
    let (status, _) = app
        .call(
            &citizen,
            "notifications/push_unsubscribe",
            &[("endpoint", &endpoint)],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        notifications::push_subscriptions_of(&app.pool, account.into())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn signing_out_unbinds_the_devices_push_from_the_account() {
    let app = spawn_app().await;
    let gateway = Gateway::start().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    Device::new("shared-phone")
        .subscribe(&app, &gateway, &citizen)
        .await;
    Device::new("desk")
        .subscribe(&app, &gateway, &official)
        .await;
    let account = account_of(&app.pool, CITIZEN).await;
    let count = |a| {
        let pool = app.pool.clone();
        async move {
            notifications::push_subscriptions_of(&pool, a)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(count(account.into()).await, 1);
    let res = app.form_post(&citizen, "identity/sign_out", &[]).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    // the next person on this phone is not sent the last one's notices; others keep theirs
    assert_eq!(count(account.into()).await, 0);
    assert_eq!(
        count((account_of(&app.pool, BMC_OFFICIAL).await).into()).await,
        1
    );
}
