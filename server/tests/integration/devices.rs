//! A sign-in from a browser the account has not used before is told to the person and recorded;
//! one from a browser it knows is not. Browsers are known by a long-lived device cookie.

use crate::helpers::*;

const PHONE: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
const LAPTOP: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0";

fn browser(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .unwrap()
}

async fn sign_in(app: &TestApp, c: &reqwest::Client, login: &str) -> reqwest::header::HeaderMap {
    let res = c
        .post(format!("{}/api/identity/sign_in", app.base))
        .header("Accept", "application/json")
        .form(&[("login", login), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.headers().clone()
}

async fn new_device_notices(app: &TestApp, mobile: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT body FROM notifications WHERE recipient = $1 AND body LIKE '%New sign-in%'
         ORDER BY created_at",
    )
    .bind(mobile)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

async fn new_device_events(app: &TestApp, mobile: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM history h JOIN users u ON u.id = h.subject_id
         WHERE h.subject = 'account' AND u.mobile = $1 AND h.kind = 'new_device_sign_in'",
    )
    .bind(mobile)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_sign_in_from_a_new_browser_is_told_and_one_from_a_known_browser_is_not() {
    let app = spawn_app().await;
    // The citizen's first browser: nothing to compare it with, nobody told.
    let phone = browser(PHONE);
    let headers = sign_in(&app, &phone, CITIZEN).await;
    let device_cookie = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("nagarik_device="))
        .expect("a device cookie")
        .to_string();
    assert!(device_cookie.contains("HttpOnly"), "{device_cookie}");
    assert!(
        device_cookie.contains(&format!("Max-Age={}", 400 * 86_400)),
        "{device_cookie}"
    );
    assert!(new_device_notices(&app, CITIZEN).await.is_empty());

    // Signed out and in again on the same phone: known, nobody told.
    app.form_post(&phone, "identity/sign_out", &[]).await;
    sign_in(&app, &phone, CITIZEN).await;
    assert!(new_device_notices(&app, CITIZEN).await.is_empty());
    assert_eq!(new_device_events(&app, CITIZEN).await, 0);

    // On a laptop: told, with the browser named, and recorded in the security history.
    let laptop = browser(LAPTOP);
    sign_in(&app, &laptop, CITIZEN).await;
    let told = new_device_notices(&app, CITIZEN).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains("Firefox, Windows"), "{}", told[0]);
    assert_eq!(new_device_events(&app, CITIZEN).await, 1);

    // The laptop is known from now on.
    sign_in(&app, &laptop, CITIZEN).await;
    assert_eq!(new_device_notices(&app, CITIZEN).await.len(), 1);

    // A device cookie this server did not make is not believed: a new browser again.
    let cookie_url = reqwest::Url::parse(&app.base).unwrap();
    let jar = reqwest::cookie::Jar::default();
    jar.add_cookie_str("nagarik_device=../../etc", &cookie_url);
    let forged_client = reqwest::Client::builder()
        .cookie_provider(std::sync::Arc::new(jar))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(LAPTOP)
        .build()
        .unwrap();
    sign_in(&app, &forged_client, CITIZEN).await;
    assert_eq!(new_device_notices(&app, CITIZEN).await.len(), 2);

    // The sessions on the profile are named by their browsers.
    let (status, profile) = app.call(&laptop, "identity/profile", &[]).await;
    assert_eq!(status, 200, "{profile}");
    let devices: Vec<&str> = profile["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["device"].as_str())
        .collect();
    assert!(devices.contains(&"Chrome, Android"), "{devices:?}");
    assert!(devices.contains(&"Firefox, Windows"), "{devices:?}");
}

#[tokio::test]
async fn the_data_export_lists_the_browsers_and_closing_the_account_forgets_them() {
    let app = spawn_app().await;
    let phone = browser(PHONE);
    sign_in(&app, &phone, CITIZEN).await;
    let res = phone
        .get(format!("{}/me/data.json", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let export: serde_json::Value = res.json().await.unwrap();
    let browsers = export["browsers_signed_in_from"].as_array().unwrap();
    assert_eq!(browsers.len(), 1, "{export}");
    assert_eq!(browsers[0]["browser"], PHONE);
    let known: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM known_devices d JOIN users u ON u.id = d.user_id WHERE u.mobile = $1",
    )
    .bind(CITIZEN)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(known, 1);
    let (status, body) = app
        .call(&phone, "identity/close_account", &[("password", PASSWORD)])
        .await;
    assert_eq!(status, 200, "{body}");
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM known_devices")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}
