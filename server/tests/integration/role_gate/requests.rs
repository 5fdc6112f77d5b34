//! What the gate does to a request whatever it asks for: pages behind it answer refused or send
//! to sign-in, a cross-site post is refused, and the development inbox is closed unless enabled.

use crate::helpers::*;
use app::request::Config;

#[tokio::test]
async fn pages_behind_the_gate_answer_refused_or_sign_in() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    for path in [
        "/admin",
        "/admin/services",
        "/admin/services/birth-certificate",
    ] {
        let res = app.page(&citizen, path).await;
        assert_eq!(res.status().as_u16(), 403, "citizen {path}");
        assert!(
            !res.text()
                .await
                .unwrap()
                .contains("Hospital discharge slip"),
            "no data leaks into the refusal"
        );
        let res = app.page(&client(), path).await;
        assert_eq!(res.status().as_u16(), 302, "anonymous {path}");
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/sign-in"));
    }
    let res = app.page(&client(), "/me").await;
    assert_eq!(res.status().as_u16(), 302);
}

#[tokio::test]
async fn a_cross_site_post_is_refused() {
    let app = spawn_app().await;
    let c = app.signed_in(CITIZEN).await;
    let res = c
        .post(format!("{}/api/identity/sign_out", app.base))
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let live: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE revoked_at IS NULL")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(live, 1);
}

#[tokio::test]
async fn the_development_inbox_is_closed_unless_enabled() {
    let app = spawn_app_with(Config {
        dev_inbox: false,
        metrics_key: None,
        ..test_config()
    })
    .await;
    let (status, _) = app.call(&client(), "dev/messages", &[]).await;
    assert_eq!(status, 404);
    // and /metrics is off without a key
    assert_eq!(app.page(&client(), "/metrics").await.status(), 404);
}
