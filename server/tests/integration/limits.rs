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
    // the eleventh try is refused before the password is checked, even the right one
    let (_, body) = app
        .call(
            &client(),
            "identity/sign_in",
            &[("login", CITIZEN), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("password".into(), "err_sign_in_throttled".into())]
    );
    // the count lives in Postgres: another instance (another router on the same database) agrees
    let other = app.second_instance().await;
    let (_, body) = other
        .call(
            &client(),
            "identity/sign_in",
            &[("login", CITIZEN), ("password", PASSWORD)],
        )
        .await;
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
