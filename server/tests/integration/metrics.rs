//! `/metrics`: behind its key, in the Prometheus text format as Prometheus's own Python client
//! library parses it, with request counts by route and the outbox's depth.

use crate::grievances::file;
use crate::helpers::*;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

/// The Python with `prometheus_client` that `./dev test` installs.
fn python() -> String {
    std::env::var("NAGARIK_PYTHON").unwrap_or_else(|_| {
        format!(
            "{}/.cache/nagarik/venv/bin/python",
            std::env::var("HOME").unwrap_or_default()
        )
    })
}

const PARSE: &str = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
print(json.dumps([
    {"name": f.name, "type": f.type,
     "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
    for f in text_string_to_metric_families(sys.stdin.read())
]))
"#;

/// The exposition as `prometheus_client` reads it: families with their samples.
fn parse(text: &str) -> Vec<Value> {
    let mut child = Command::new(python())
        .args(["-c", PARSE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Python with prometheus_client (./dev test installs it; or set NAGARIK_PYTHON)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "prometheus_client could not parse it: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn family<'a>(families: &'a [Value], name: &str) -> &'a Value {
    families
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {families:?}"))
}

#[tokio::test]
async fn metrics_are_kept_behind_their_key_and_read_by_a_prometheus_parser() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    // something to count: pages, and an acknowledgement waiting in the outbox
    assert_eq!(app.page(&client(), "/").await.status(), 200);
    assert_eq!(app.page(&client(), "/search?q=water").await.status(), 200);
    file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;

    let scrape = |key: Option<&str>| {
        let mut req = client().get(format!("{}/metrics", app.base));
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        req.send()
    };
    assert_eq!(scrape(None).await.unwrap().status(), 401);
    assert_eq!(scrape(Some("not the key")).await.unwrap().status(), 401);
    let res = scrape(Some(METRICS_KEY)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let families = parse(&res.text().await.unwrap());

    let requests = family(&families, "nagarik_http_requests");
    assert_eq!(requests["type"], "counter");
    let home = requests["samples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["labels"]["route"] == "/" && s["labels"]["status"] == "200")
        .expect("the home page is counted under its route");
    assert!(home["value"].as_f64().unwrap() >= 1.0);
    assert!(
        requests["samples"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["labels"]["route"] == "/api/grievances/file"),
        "a server function is counted by its own path"
    );
    assert_eq!(
        family(&families, "nagarik_http_request_duration_seconds")["type"],
        "histogram"
    );
    let depth = family(&families, "nagarik_outbox_depth");
    assert_eq!(depth["type"], "gauge");
    assert!(
        depth["samples"][0]["value"].as_f64().unwrap() >= 1.0,
        "the acknowledgement waits"
    );
    for gauge in [
        "nagarik_outbox_oldest_age_seconds",
        "nagarik_job_lag_seconds",
        "nagarik_grievance_sweep_lag_seconds",
        "nagarik_db_pool_connections",
        "nagarik_db_pool_max_connections",
    ] {
        assert_eq!(family(&families, gauge)["type"], "gauge", "{gauge}");
    }
}
