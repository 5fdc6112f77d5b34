//! The outside world's services as real processes: the sandbox SMS gateway and push service (our
//! own binary's `sandbox-gateway`), and an SMTP server (Debian's python3-aiosmtpd, which
//! `./dev test` installs), each on its own port, stopped when the test ends.

use server::notifications::{ProviderSettings, Providers};
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const GATEWAY_TOKEN: &str = "sandbox-test-token";

/// Starts one of our binary's sandboxes on a free port: its address (the first line it prints
/// says where it listens) and its process, stopped when dropped.
async fn sandbox(args: &[&str], env: &[(&str, &str)]) -> (String, Child) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nagarik"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("NAGARIK_RAZORPAY_WEBHOOK_URL")
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        command.env(k, v);
    }
    let mut process = command.spawn().expect("the nagarik binary runs");
    let mut first = String::new();
    BufReader::new(process.stdout.take().unwrap())
        .read_line(&mut first)
        .await
        .unwrap();
    let url = first
        .trim()
        .rsplit(' ')
        .next()
        .expect("the sandbox says where it listens")
        .to_string();
    (url, process)
}

pub struct Gateway {
    pub url: String,
    _process: Child,
}

impl Gateway {
    pub async fn start() -> Gateway {
        let (url, process) = sandbox(
            &["sandbox-gateway", "127.0.0.1:0"],
            &[("NAGARIK_SMS_GATEWAY_TOKEN", GATEWAY_TOKEN)],
        )
        .await;
        Gateway {
            url,
            _process: process,
        }
    }

    pub async fn sms_to(&self, mobile: &str) -> Vec<serde_json::Value> {
        reqwest::get(format!("{}/sms/v1/messages?to={mobile}", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn pushes_to(&self, token: &str) -> Vec<serde_json::Value> {
        reqwest::get(format!("{}/push-messages?token={token}", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The next `requests` requests to "sms" or "push" are refused with 503.
    pub async fn outage(&self, service: &str, requests: u32) {
        self.control(
            "outage",
            serde_json::json!({"service": service, "requests": requests}),
        )
        .await;
    }

    pub async fn unreachable(&self, what: serde_json::Value) {
        self.control("unreachable", what).await;
    }

    async fn control(&self, what: &str, body: serde_json::Value) {
        let res = reqwest::Client::new()
            .post(format!("{}/sandbox/{what}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
}

pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    _process: Child,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let maildir =
            std::env::temp_dir().join(format!("nagarik-mail-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&maildir);
        let process = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .kill_on_drop(true)
            .spawn()
            .expect("python3-aiosmtpd is installed (./dev test installs it)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return SmtpServer {
                    port,
                    maildir,
                    _process: process,
                };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received, as raw RFC 5322 text.
    pub fn messages(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// The server's real providers, pointed at these processes.
pub async fn providers(pool: &sqlx::PgPool, gateway: &Gateway, smtp: &SmtpServer) -> Providers {
    let settings = ProviderSettings {
        sms_gateway_url: Some(gateway.url.clone()),
        sms_gateway_token: GATEWAY_TOKEN.into(),
        smtp_url: Some(smtp.url()),
        mail_from: "Nagarik <no-reply@nagarik.localhost>".into(),
        public_url: "https://nagarik.example.in".into(),
        vapid_private_key: None,
        vapid_subject: "mailto:operations@nagarik.localhost".into(),
    };
    Providers::new(pool.clone(), &crate::helpers::data_key(), &settings, false)
        .await
        .unwrap()
}

/// The sandbox payment gateway (our binary's `sandbox-razorpay`), speaking Razorpay's protocol
/// on its own port.
pub struct PaymentGateway {
    pub url: String,
    _process: Child,
}

impl PaymentGateway {
    pub async fn start() -> PaymentGateway {
        let (url, process) = sandbox(&["sandbox-razorpay", "127.0.0.1:0"], &[]).await;
        PaymentGateway {
            url,
            _process: process,
        }
    }

    pub fn settings(&self) -> domain::payments::razorpay::Settings {
        domain::payments::razorpay::Settings::sandbox(&self.url)
    }

    /// Where its webhooks go.
    pub async fn send_webhooks_to(&self, url: &str) {
        self.control("webhook", serde_json::json!({ "url": url }))
            .await;
    }

    /// The next `requests` API requests are refused with 503.
    pub async fn outage(&self, requests: u32) {
        self.control("outage", serde_json::json!({ "requests": requests }))
            .await;
    }

    /// Every webhook event it made, with its body, attempts and whether it was taken.
    pub async fn events(&self) -> Vec<serde_json::Value> {
        reqwest::get(format!("{}/sandbox/events", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Waits until every event it made was taken (answered 2xx).
    pub async fn all_delivered(&self) -> Vec<serde_json::Value> {
        for _ in 0..200 {
            let events = self.events().await;
            if !events.is_empty() && events.iter().all(|e| e["delivered"] == true) {
                return events;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("webhooks not delivered: {:#?}", self.events().await);
    }

    pub async fn resend(&self, event: &str) {
        let res = reqwest::Client::new()
            .post(format!("{}/sandbox/events/{event}/resend", self.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
    }

    /// The person's bank answers a UPI request that was left waiting.
    pub async fn bank_answers(&self, payment: &str, approve: bool) {
        let what = if approve { "approve" } else { "decline" };
        let res = reqwest::Client::new()
            .post(format!("{}/sandbox/payments/{payment}/{what}", self.url))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }

    async fn control(&self, what: &str, body: serde_json::Value) {
        let res = reqwest::Client::new()
            .post(format!("{}/sandbox/{what}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
}

/// The hidden fields of a page's forms, unescaped.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    server::bench_payments::hidden_fields(html)
}

impl PaymentGateway {
    /// Chooses `choice` on the checkout page whose form is `form`: the page the sandbox answers.
    pub async fn pay(&self, mut form: Vec<(String, String)>, choice: &str) -> String {
        form.push(("choice".into(), choice.into()));
        reqwest::Client::new()
            .post(format!("{}/v1/checkout/pay", self.url))
            .form(&form)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }
}

/// The sandbox billers (`nagarik sandbox-billers`), as their own process.
pub struct SandboxBillers {
    pub url: String,
    _process: Child,
}

impl SandboxBillers {
    pub async fn start() -> SandboxBillers {
        let (url, process) = sandbox(&["sandbox-billers", "127.0.0.1:0"], &[]).await;
        SandboxBillers {
            url,
            _process: process,
        }
    }

    pub fn billers(&self) -> domain::bills::biller::Billers {
        domain::bills::biller::Billers::at(&self.url, |_| None)
    }

    async fn control(&self, what: &str, body: serde_json::Value) {
        let res = reqwest::Client::new()
            .post(format!("{}/sandbox/{what}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }

    /// The biller's next `requests` requests are answered 503.
    pub async fn outage(&self, biller: &str, requests: u32) {
        self.control(
            "outage",
            serde_json::json!({ "biller": biller, "requests": requests }),
        )
        .await;
    }

    /// Each of the biller's answers takes `ms`.
    pub async fn delay(&self, biller: &str, ms: u64) {
        self.control("delay", serde_json::json!({ "biller": biller, "ms": ms }))
            .await;
    }

    /// The payments the billers were told of.
    pub async fn told(&self) -> Vec<serde_json::Value> {
        reqwest::get(format!("{}/sandbox/payments", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}
