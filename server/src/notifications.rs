//! The providers that take the outbox's messages out of the building: an SMS gateway over HTTP,
//! an SMTP server for email, and the browsers' push services for web push (VAPID, RFC 8291
//! encryption). Each answers whether a failure is worth retrying or calls for the next channel.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::notifications::{self, Channel, Failure, Notification, Provider};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;
use std::time::Duration;
use web_push::{
    ContentEncoding, PartialVapidSignatureBuilder, SubscriptionInfo, Urgency,
    VapidSignatureBuilder, WebPushMessageBuilder,
};

/// A provider must answer within this, or the attempt counts as failed and is retried.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the providers are, read from the environment.
#[derive(Clone, Debug, Default)]
pub struct ProviderSettings {
    /// `NAGARIK_SMS_GATEWAY_URL`: the gateway's base URL (it takes `POST /sms/v1/messages`).
    pub sms_gateway_url: Option<String>,
    /// `NAGARIK_SMS_GATEWAY_TOKEN`: our account's token at the gateway.
    pub sms_gateway_token: String,
    /// `NAGARIK_SMTP_URL`: `smtp://host:port` (plain, local relay), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host` (TLS).
    pub smtp_url: Option<String>,
    /// `NAGARIK_MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// `NAGARIK_PUBLIC_URL`: the address people reach the app at, for links in emails.
    pub public_url: String,
    /// `NAGARIK_VAPID_PRIVATE_KEY`: the push key (raw P-256 scalar, base64url). Without it the
    /// first instance makes one and keeps it in Postgres for every other instance.
    pub vapid_private_key: Option<String>,
    /// `NAGARIK_VAPID_SUBJECT`: how a push service reaches the city's operators.
    pub vapid_subject: String,
}

impl ProviderSettings {
    pub fn from_env() -> ProviderSettings {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        ProviderSettings {
            sms_gateway_url: var("NAGARIK_SMS_GATEWAY_URL"),
            sms_gateway_token: var("NAGARIK_SMS_GATEWAY_TOKEN").unwrap_or_default(),
            smtp_url: var("NAGARIK_SMTP_URL"),
            mail_from: var("NAGARIK_MAIL_FROM")
                .unwrap_or_else(|| "Nagarik <no-reply@nagarik.localhost>".into()),
            public_url: var("NAGARIK_PUBLIC_URL").unwrap_or_else(|| "http://127.0.0.1:3000".into()),
            vapid_private_key: var("NAGARIK_VAPID_PRIVATE_KEY"),
            vapid_subject: var("NAGARIK_VAPID_SUBJECT")
                .unwrap_or_else(|| "mailto:operations@nagarik.localhost".into()),
        }
    }
}

/// Every channel's provider. A channel with no provider configured is delivered to the
/// development inbox when that is on, and otherwise waits (and falls back) as a failure would.
pub struct Providers {
    sms: Option<SmsGateway>,
    email: Option<Smtp>,
    push: WebPush,
    dev_inbox: bool,
}

impl Providers {
    pub async fn new(
        pool: PgPool,
        data_key: &domain::sealed::DataKey,
        settings: &ProviderSettings,
        dev_inbox: bool,
    ) -> anyhow::Result<Providers> {
        let http = reqwest::Client::builder()
            .timeout(PROVIDER_TIMEOUT)
            .build()?;
        let sms = settings.sms_gateway_url.as_ref().map(|url| SmsGateway {
            url: url.trim_end_matches('/').to_string(),
            token: settings.sms_gateway_token.clone(),
            http: http.clone(),
        });
        let email = match &settings.smtp_url {
            Some(url) => Some(Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                    .timeout(Some(PROVIDER_TIMEOUT))
                    .build(),
                from: settings.mail_from.parse()?,
                public_url: settings.public_url.trim_end_matches('/').to_string(),
            }),
            None => None,
        };
        let key = vapid_private_key(&pool, data_key, settings).await?;
        Ok(Providers {
            sms,
            email,
            push: WebPush {
                pool,
                vapid: VapidSignatureBuilder::from_base64_no_sub(&key).map_err(|e| {
                    anyhow::anyhow!("NAGARIK_VAPID_PRIVATE_KEY is not a P-256 key: {e}")
                })?,
                subject: settings.vapid_subject.clone(),
                http,
            },
            dev_inbox,
        })
    }

    /// The public half of the push key, which browsers need to subscribe.
    pub fn vapid_public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.push.vapid.get_public_key())
    }
}

/// The push key from the environment, or the one the instances share in Postgres.
pub async fn vapid_private_key(
    pool: &PgPool,
    data_key: &domain::sealed::DataKey,
    settings: &ProviderSettings,
) -> anyhow::Result<String> {
    if let Some(key) = &settings.vapid_private_key {
        return Ok(key.clone());
    }
    notifications::shared_secret(pool, data_key, "vapid_private_key", new_vapid_private_key)
        .await
        .map_err(|e| anyhow::anyhow!("the push key: {e}"))
}

/// A fresh P-256 private key: 32 random bytes are a valid scalar but for odds of about 2^-32,
/// which the check below catches.
fn new_vapid_private_key() -> String {
    use rand::RngCore;
    loop {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let key = URL_SAFE_NO_PAD.encode(bytes);
        if VapidSignatureBuilder::from_base64_no_sub(&key).is_ok() {
            return key;
        }
    }
}

impl Provider for Providers {
    async fn deliver(&self, n: &Notification) -> Result<Option<String>, Failure> {
        let unconfigured = |what: &str| {
            if self.dev_inbox {
                Ok(None)
            } else {
                Err(Failure::Permanent(format!(
                    "no {what} provider is configured"
                )))
            }
        };
        match n.channel() {
            Some(Channel::Sms) => match &self.sms {
                Some(sms) => sms.deliver(n).await,
                None => unconfigured("SMS"),
            },
            Some(Channel::Email) => match &self.email {
                Some(email) => email.deliver(n).await,
                None => unconfigured("email"),
            },
            Some(Channel::Push) => self.push.deliver(n).await,
            None => Err(Failure::Permanent(format!("unknown channel {}", n.channel))),
        }
    }
}

/// An HTTP SMS gateway (the sandbox in development and tests; an operator's in production, behind
/// the same small API): `POST /sms/v1/messages` with `{to, text, reference}`, answered with the
/// gateway's id for the message.
pub struct SmsGateway {
    url: String,
    token: String,
    http: reqwest::Client,
}

#[derive(serde::Deserialize)]
struct Accepted {
    id: String,
}

/// How an HTTP status from a provider is to be taken: 408, 429 and 5xx pass, other 4xx stay.
fn http_failure(status: reqwest::StatusCode, body: &str) -> Failure {
    let reason = format!("{status}: {}", body.chars().take(200).collect::<String>());
    if status.is_server_error()
        || status == reqwest::StatusCode::TOO_MANY_REQUESTS
        || status == reqwest::StatusCode::REQUEST_TIMEOUT
    {
        Failure::Retry(reason)
    } else {
        Failure::Permanent(reason)
    }
}

impl Provider for SmsGateway {
    async fn deliver(&self, n: &Notification) -> Result<Option<String>, Failure> {
        let res = self
            .http
            .post(format!("{}/sms/v1/messages", self.url))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({
                "to": n.recipient,
                "text": n.body,
                "reference": n.id.to_string(),
            }))
            .send()
            .await
            .map_err(|e| Failure::Retry(format!("SMS gateway unreachable: {e}")))?;
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(http_failure(status, &body));
        }
        let accepted: Accepted = serde_json::from_str(&body)
            .map_err(|_| Failure::Retry(format!("SMS gateway answered {status} without an id")))?;
        Ok(Some(accepted.id))
    }
}

/// Email over SMTP.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl Provider for Smtp {
    async fn deliver(&self, n: &Notification) -> Result<Option<String>, Failure> {
        let to: Mailbox = n
            .recipient
            .parse()
            .map_err(|e| Failure::Permanent(format!("not an email address: {e}")))?;
        let subject = if n.subject.is_empty() {
            "Nagarik".to_string()
        } else {
            format!("Nagarik: {}", n.subject)
        };
        let mut body = n.body.clone();
        if !n.link.is_empty() {
            body.push_str(&format!("\n\n{}{}", self.public_url, n.link));
        }
        // Our own Message-ID, so the message can be found in any mail log by the outbox's id.
        let message_id = format!("<{}@nagarik>", n.id);
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message_id.clone()))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| Failure::Permanent(format!("email could not be written: {e}")))?;
        match self.transport.send(email).await {
            Ok(_) => Ok(Some(message_id)),
            Err(e) if e.is_permanent() => Err(Failure::Permanent(format!("SMTP refused: {e}"))),
            Err(e) => Err(Failure::Retry(format!("SMTP: {e}"))),
        }
    }
}

/// Web push to every device the person has subscribed. Delivered when at least one push service
/// accepts; a subscription its service calls gone (404, 410) is removed.
pub struct WebPush {
    pool: PgPool,
    vapid: PartialVapidSignatureBuilder,
    subject: String,
    http: reqwest::Client,
}

/// What a push carries; the service worker shows it and opens `url` on a tap.
#[derive(serde::Serialize)]
struct PushPayload<'a> {
    title: &'a str,
    body: &'a str,
    url: &'a str,
}

impl WebPush {
    async fn send_one(
        &self,
        subscription: &notifications::PushSubscription,
        payload: &[u8],
    ) -> Result<Option<String>, Failure> {
        let info = SubscriptionInfo::new(
            subscription.endpoint.as_str(),
            subscription.p256dh.as_str(),
            subscription.auth.as_str(),
        );
        let mut signature: VapidSignatureBuilder = self.vapid.clone().add_sub_info(&info);
        signature.add_claim("sub", self.subject.as_str());
        let signature = signature
            .build()
            .map_err(|e| Failure::Permanent(format!("VAPID signature: {e}")))?;
        let mut message = WebPushMessageBuilder::new(&info);
        message.set_payload(ContentEncoding::Aes128Gcm, payload);
        message.set_vapid_signature(signature);
        message.set_ttl(24 * 3600);
        message.set_urgency(Urgency::High);
        let message = message
            .build()
            .map_err(|e| Failure::Permanent(format!("push message: {e}")))?;
        let request = web_push::request_builder::build_request::<Vec<u8>>(message);
        let mut outgoing = self.http.post(request.uri().to_string());
        for (name, value) in request.headers() {
            outgoing = outgoing.header(name.as_str(), value.as_bytes());
        }
        let res = outgoing
            .body(request.into_body())
            .send()
            .await
            .map_err(|e| Failure::Retry(format!("push service unreachable: {e}")))?;
        let status = res.status();
        let location = res
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if status.is_success() {
            return Ok(location);
        }
        let body = res.text().await.unwrap_or_default();
        if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
            let _ = notifications::forget_push_subscription(&self.pool, subscription.id).await;
        }
        Err(http_failure(status, &body))
    }
}

impl Provider for WebPush {
    async fn deliver(&self, n: &Notification) -> Result<Option<String>, Failure> {
        let account: uuid::Uuid = n
            .recipient
            .parse()
            .map_err(|_| Failure::Permanent("push recipient is not an account".into()))?;
        let subscriptions = notifications::push_subscriptions_of(&self.pool, account.into())
            .await
            .map_err(|e| Failure::Retry(format!("subscriptions unreadable: {e}")))?;
        if subscriptions.is_empty() {
            return Err(Failure::Permanent("no device is subscribed".into()));
        }
        let title = if n.subject.is_empty() {
            "Nagarik"
        } else {
            n.subject.as_str()
        };
        let payload = serde_json::to_vec(&PushPayload {
            title,
            body: &n.body,
            url: if n.link.is_empty() { "/" } else { &n.link },
        })
        .unwrap_or_default();
        let mut accepted = Vec::new();
        let mut worth_retrying = None;
        let mut last = None;
        for s in &subscriptions {
            match self.send_one(s, &payload).await {
                Ok(location) => {
                    let _ = notifications::push_sent(&self.pool, s.id).await;
                    accepted.push(location.unwrap_or_else(|| s.endpoint.clone()));
                }
                Err(f @ Failure::Retry(_)) => worth_retrying = Some(f),
                Err(f) => last = Some(f),
            }
        }
        if !accepted.is_empty() {
            return Ok(Some(accepted.join(" ")));
        }
        Err(worth_retrying
            .or(last)
            .unwrap_or_else(|| Failure::Permanent("no device accepted".into())))
    }
}
