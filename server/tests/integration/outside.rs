//! The outside world's services as real processes: the sandbox SMS gateway and push service (our
//! own binary's `sandbox-gateway`), and an SMTP server (Debian's python3-aiosmtpd, which
//! `./dev test` installs), each on its own port, stopped when the test ends.

use server::notifications::{ProviderSettings, Providers};
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const GATEWAY_TOKEN: &str = "sandbox-test-token";

pub struct Gateway {
    pub url: String,
    _process: Child,
}

impl Gateway {
    pub async fn start() -> Gateway {
        let mut process = Command::new(env!("CARGO_BIN_EXE_nagarik"))
            .args(["sandbox-gateway", "127.0.0.1:0"])
            .env("NAGARIK_SMS_GATEWAY_TOKEN", GATEWAY_TOKEN)
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the nagarik binary runs");
        let mut first = String::new();
        BufReader::new(process.stdout.take().unwrap())
            .read_line(&mut first)
            .await
            .unwrap();
        let url = first
            .trim()
            .rsplit(' ')
            .next()
            .expect("the gateway says where it listens")
            .to_string();
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
