//! What a request may cost the server and what every answer guards: bodies are bounded before
//! anything reads them, a caller who may not take a step is refused before their upload is
//! read, and answers carry the headers that keep pages out of frames and shared caches.

use crate::helpers::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends only the head of a request that declares `length` bytes, and reads the answer.
async fn declared(app: &TestApp, path: &str, content_type: &str, length: usize) -> String {
    let host = app.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read(&mut answer))
        .await
        .expect("answered without waiting for the body")
        .unwrap();
    String::from_utf8_lossy(&answer[..n]).to_string()
}

#[tokio::test]
async fn bodies_are_bounded_before_they_are_read() {
    let app = spawn_app().await;
    // a form of text may not be sent a gigabyte, nor a form with photos
    let answer = declared(
        &app,
        "/api/identity/sign_in",
        "application/x-www-form-urlencoded",
        1 << 30,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let limit = app::request::MULTIPART_LIMIT;
    let answer = declared(
        &app,
        "/api/grievances/file",
        "multipart/form-data; boundary=x",
        limit + 1,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // a text field longer than any form sends is refused, and nothing is filed
    let citizen = app.signed_in(CITIZEN).await;
    let long = "पानी ".repeat(10_000);
    let (status, _) = app
        .multipart(
            &citizen,
            "grievances/file",
            &[("form[description]", long.as_str()), ("form[ward]", "12")],
        )
        .await;
    assert_eq!(status, 400);
    let filed: i64 = sqlx::query_scalar("SELECT count(*) FROM grievances")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(filed, 0);
}

#[tokio::test]
async fn only_staff_may_send_a_resolution_and_others_are_refused_before_it_is_read() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let form = [("number", "GR-26-0000001-8"), ("note", "Fixed it myself")];
    let (status, _) = app.multipart(&client(), "grievances/resolve", &form).await;
    assert_eq!(status, 401);
    let (status, _) = app.multipart(&citizen, "grievances/resolve", &form).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn every_answer_guards_against_framing_and_sniffing_and_signed_in_pages_are_not_stored() {
    let app = spawn_app().await;
    let home = app.page(&client(), "/").await;
    let h = home.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert!(h.get("cache-control").is_none_or(|v| v != "no-store"));
    let citizen = app.signed_in(CITIZEN).await;
    let me = app.page(&citizen, "/me").await;
    assert_eq!(me.status(), 200);
    assert_eq!(me.headers()["cache-control"], "no-store");
    // served over plain HTTP (as in tests): no HSTS, which would pin a local address to TLS
    assert!(me.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn sign_in_tries_on_one_account_are_throttled_across_instances() {
    let app = spawn_app().await;
    let attacker = client();
    for _ in 0..10 {
        let (_, body) = app
            .call(
                &attacker,
                "identity/sign_in",
                &[("login", CITIZEN), ("password", "guess it")],
            )
            .await;
        assert_eq!(
            invalid(&body),
            vec![("password".into(), "err_sign_in_failed".into())]
        );
    }
    // the eleventh try is refused at once (429), before the password is checked, even the
    // right one; the form still names the field and says why
    let (status, body) = app
        .call(
            &client(),
            "identity/sign_in",
            &[("login", CITIZEN), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 429);
    assert_eq!(
        invalid(&body),
        vec![("password".into(), "err_sign_in_throttled".into())]
    );
    // the count lives in Postgres: another instance (another router on the same database) agrees
    let other = app.second_instance().await;
    let (status, body) = other
        .call(
            &client(),
            "identity/sign_in",
            &[("login", CITIZEN), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 429);
    assert_eq!(
        invalid(&body),
        vec![("password".into(), "err_sign_in_throttled".into())]
    );
    // other accounts are not held up
    app.signed_in(BMC_OFFICIAL).await;
    // when the window has passed, the owner signs in, and the count starts again
    sqlx::query("UPDATE throttles SET window_start = window_start - interval '16 minutes'")
        .execute(&app.pool)
        .await
        .unwrap();
    app.signed_in(CITIZEN).await;
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM throttles WHERE key LIKE 'sign-in:%' AND hits > 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn one_time_codes_have_a_city_wide_budget_that_rotating_numbers_cannot_exceed() {
    let app = spawn_app().await;
    let register = |mobile: &'static str| {
        let app = &app;
        async move {
            app.call(
                &client(),
                "identity/register",
                &[
                    ("name", "Sita Pradhan"),
                    ("mobile", mobile),
                    ("email", ""),
                    ("password", "mango river kite lamp"),
                ],
            )
            .await
            .1
        }
    };
    assert!(register("9876511001").await.get("Done").is_some());
    // the hour's budget spent (by many numbers, one code each): the next number gets no SMS
    sqlx::query("UPDATE throttles SET hits = $1 WHERE key = $2")
        .bind(domain::throttle::CODE_SMS.hits)
        .bind(domain::identity::store::CODE_SMS_KEY)
        .execute(&app.pool)
        .await
        .unwrap();
    let sms_before: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE channel = 'sms'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let body = register("9876511002").await;
    assert_eq!(
        invalid(&body),
        vec![("code".into(), "err_code_budget_spent".into())]
    );
    let sms_after: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE channel = 'sms'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(sms_after, sms_before);
}

#[tokio::test]
async fn a_staff_session_lasts_a_working_day_at_most_and_lapses_after_half_an_hour_idle() {
    let app = spawn_app().await;
    app.signed_in(BMC_OFFICIAL).await;
    app.signed_in(CITIZEN).await;
    let lifetimes: Vec<(String, f64, f64)> = sqlx::query_as(
        "SELECT u.mobile, extract(epoch FROM s.expires_at - s.created_at)::float8 / 3600,
                extract(epoch FROM s.idle_expires_at - s.created_at)::float8 / 60
         FROM sessions s JOIN users u ON u.id = s.user_id ORDER BY u.mobile",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let hours = |m: &str| {
        lifetimes
            .iter()
            .find(|l| l.0 == m)
            .map(|l| (l.1.round(), l.2.round()))
    };
    assert_eq!(hours(BMC_OFFICIAL), Some((12.0, 30.0)));
    assert_eq!(hours(CITIZEN), Some((60.0 * 24.0, 14.0 * 24.0 * 60.0)));
}

#[tokio::test]
async fn the_development_inbox_answers_only_on_the_developers_own_machine() {
    let app = spawn_app().await;
    let ask = |headers: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            let mut req = client().post(format!("{}/api/dev/messages", app.base));
            for (k, v) in headers {
                req = req.header(k, v);
            }
            req.send().await.unwrap().status().as_u16()
        }
    };
    assert_eq!(ask(vec![]).await, 200);
    // through a proxy, or by another name, it is not there
    assert_eq!(ask(vec![("x-forwarded-for", "203.0.113.9")]).await, 404);
    assert_eq!(ask(vec![("host", "nagarik.example.in")]).await, 404);
}

#[tokio::test]
async fn pages_run_only_scripts_that_carry_their_nonce() {
    let app = spawn_app().await;
    for path in ["/", "/sign-in", "/grievances/new"] {
        let citizen = app.signed_in(CITIZEN).await;
        let res = app.page(&citizen, path).await;
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_else(|| panic!("{path}: {csp}"));
        assert!(!script_src.contains("unsafe-inline"), "{csp}");
        let nonce = script_src
            .split_whitespace()
            .find_map(|s| s.strip_prefix("'nonce-"))
            .map(|s| s.trim_end_matches('\''))
            .unwrap_or_else(|| panic!("{path}: {csp}"))
            .to_string();
        assert!(nonce.len() >= 16);
        let html = res.text().await.unwrap();
        let scripts = html.matches("<script").count();
        assert!(scripts >= 2, "{path}");
        assert_eq!(
            html.matches(&format!("<script nonce=\"{nonce}\"")).count()
                + html
                    .matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
                    .count(),
            scripts,
            "{path}: every inline script carries this response's nonce\n{html}"
        );
    }
    // each response its own
    let a = app.page(&client(), "/").await.headers()["content-security-policy"].clone();
    let b = app.page(&client(), "/").await.headers()["content-security-policy"].clone();
    assert_ne!(a, b);
}

/// Every shard of an intake key's count at its share of the limit.
async fn fill_shards(app: &TestApp, key: uuid::Uuid) {
    use domain::throttle::{shard, INTAKE_KEY, INTAKE_KEY_SHARDS};
    sqlx::query(
        "INSERT INTO throttles (key, window_start, hits)
         SELECT 'intake-key:' || $1::text || ':' || s, now(), $2 FROM generate_series(0, $3 - 1) s
         ON CONFLICT (key) DO UPDATE SET hits = EXCLUDED.hits, window_start = EXCLUDED.window_start",
    )
    .bind(key)
    .bind(shard(INTAKE_KEY, INTAKE_KEY_SHARDS).hits)
    .bind(INTAKE_KEY_SHARDS as i32)
    .execute(&app.pool)
    .await
    .unwrap();
}

/// A raw form post, for the headers of the answer.
async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client()
        .post(format!("{}/api/{path}", app.base))
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

fn retry_after(res: &reqwest::Response) -> u64 {
    res.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds")
}

#[tokio::test]
async fn many_failed_sign_ins_from_one_client_are_refused_whichever_accounts_they_name() {
    let app = spawn_app().await;
    // failures count, a success does not
    for login in ["9000000091", "9000000092"] {
        let res = post_form(
            &app,
            "identity/sign_in",
            &[("login", login), ("password", "guess")],
        )
        .await;
        assert_eq!(res.status(), 200);
    }
    app.signed_in(CITIZEN).await;
    let counted: i32 =
        sqlx::query_scalar("SELECT hits FROM throttles WHERE key = 'sign-in-client:127.0.0.1'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(counted, 2);
    // at the limit: refused at once, with when to come back, even for a right password
    sqlx::query("UPDATE throttles SET hits = $1 WHERE key = 'sign-in-client:127.0.0.1'")
        .bind(domain::throttle::SIGN_IN_CLIENT.hits)
        .execute(&app.pool)
        .await
        .unwrap();
    let res = post_form(
        &app,
        "identity/sign_in",
        &[("login", BMC_OFFICIAL), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), 429);
    let wait = retry_after(&res);
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        invalid(&body),
        vec![("password".into(), "err_sign_in_throttled".into())]
    );
    // the count is the address's own: with those failures on another address, this one is free
    sqlx::query("UPDATE throttles SET key = 'sign-in-client:192.0.2.1' WHERE key = 'sign-in-client:127.0.0.1'")
        .execute(&app.pool)
        .await
        .unwrap();
    app.signed_in(BMC_OFFICIAL).await;
}

#[tokio::test]
async fn one_client_cannot_walk_through_numbers_sending_codes() {
    let app = spawn_app().await;
    sqlx::query("INSERT INTO throttles (key, window_start, hits) VALUES ('codes-client:127.0.0.1', now(), $1)")
        .bind(domain::throttle::CODES_CLIENT.hits)
        .execute(&app.pool)
        .await
        .unwrap();
    let res = post_form(
        &app,
        "identity/register",
        &[
            ("name", "Sita Pradhan"),
            ("mobile", "9876511003"),
            ("email", ""),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(res.status(), 429);
    assert!(retry_after(&res) <= 3600);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        invalid(&body),
        vec![("mobile".into(), "err_too_many_tries".into())]
    );
    let sent: i64 =
        sqlx::query_scalar("SELECT count(*) FROM one_time_codes WHERE mobile = '9876511003'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(sent, 0, "no code was sent");
}

#[tokio::test]
async fn an_intake_key_past_its_rate_is_refused_with_retry_after() {
    let app = spawn_app().await;
    let (id, key) = domain::grievances::intake::issue_key(&app.pool, "sms", "busy gateway", None)
        .await
        .unwrap();
    let send = || {
        client()
            .post(format!("{}/api/v1/intake/sms", app.base))
            .bearer_auth(&key)
            .json(&serde_json::json!({"from": "9876543210", "text": "Ward 12: streetlight not working for days"}))
            .send()
    };
    assert_eq!(send().await.unwrap().status(), 201);
    // every shard of the key's count at its share
    fill_shards(&app, id).await;
    let res = send().await.unwrap();
    assert_eq!(res.status(), 429);
    assert!((1..=60).contains(&retry_after(&res)));
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "throttled");
    // Open311 clients get the same, in the spec's error format
    let (oid, okey) =
        domain::grievances::intake::issue_key(&app.pool, "open311", "busy client", None)
            .await
            .unwrap();
    fill_shards(&app, oid).await;
    let res = client()
        .post(format!("{}/open311/v2/requests.json", app.base))
        .form(&[
            ("api_key", okey.as_str()),
            ("service_code", "pothole"),
            ("lat", "20.29"),
            ("long", "85.82"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(retry_after(&res) >= 1);
}
