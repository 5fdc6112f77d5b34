//! Stopping the real binary: on SIGTERM it takes no new connections, lets the request in flight
//! finish and answer, then ends cleanly.

use crate::helpers::*;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn sigterm_lets_the_request_in_flight_answer_then_the_server_exits() {
    let app = spawn_app().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_nagarik"))
        .arg("serve")
        .env("DATABASE_URL", app_url_for(&app.db))
        .env("NAGARIK_DATA_KEY", DATA_KEY)
        .env("LEPTOS_SITE_ADDR", &addr)
        .env("NAGARIK_DEV_INBOX", "1")
        .env("NAGARIK_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let up = async {
        loop {
            if let Ok(r) = reqwest::get(format!("http://{addr}/healthz")).await {
                if r.status() == 200 {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), up)
        .await
        .expect("the server came up");

    // a sign-in whose body is still on its way when the server is told to stop
    let body = "login=9000000099&password=not+the+password";
    let (first, rest) = body.split_at(10);
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/identity/sign_in HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = server.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        server.try_wait().unwrap().is_none(),
        "the server waits for the request in flight"
    );
    assert!(
        tokio::net::TcpStream::connect(&addr).await.is_err(),
        "no new connections once told to stop"
    );
    conn.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), conn.read_to_string(&mut answer))
        .await
        .expect("an answer")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains("err_"),
        "the sign-in's own answer: {answer}"
    );
    let status = tokio::time::timeout(Duration::from_secs(30), server.wait())
        .await
        .expect("the server ends")
        .unwrap();
    assert!(status.success(), "{status}");
    // its log lines are JSON, one object a line, for a log collector
    let mut out = String::new();
    server
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .await
        .unwrap();
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["fields"]["message"] == "stopped"),
        "{out}"
    );
}
