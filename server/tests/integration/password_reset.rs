//! A forgotten password, reset by a one-time code: the same answer for any number, every device
//! signed out after, the owner told, and mistakes named at their fields.

use crate::helpers::*;
use serde_json::Value;

async fn start(app: &TestApp, mobile: &str) -> (u16, Value) {
    app.call(&client(), "identity/reset_start", &[("mobile", mobile)])
        .await
}

async fn finish(app: &TestApp, id: &str, code: &str, password: &str) -> (u16, Value) {
    app.call(
        &client(),
        "identity/reset_finish",
        &[("reset_id", id), ("code", code), ("password", password)],
    )
    .await
}

const NEW_PASSWORD: &str = "tamarind kettle monsoon bridge";

#[tokio::test]
async fn a_citizen_resets_a_forgotten_password_with_a_code_and_every_device_is_signed_out() {
    let app = spawn_app().await;
    let phone = app.signed_in(CITIZEN).await;
    assert_eq!(app.page(&phone, "/me").await.status(), 200);
    let (status, body) = start(&app, CITIZEN).await;
    assert_eq!(status, 200, "{body}");
    let id = body["Done"].as_str().unwrap().to_string();
    let code = app.last_code(CITIZEN).await;
    assert_eq!(code.len(), 6);

    // a wrong code, a weak password: each at its field, and nothing changes
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, body) = finish(&app, &id, wrong, NEW_PASSWORD).await;
    assert_eq!(
        invalid(&body),
        vec![("code".into(), "err_code_wrong".into())]
    );
    let (_, body) = finish(&app, &id, &code, "12345678").await;
    assert_eq!(invalid(&body)[0].0, "password");

    let (status, body) = finish(&app, &id, &code, NEW_PASSWORD).await;
    assert_eq!(
        (status, body.clone()),
        (200, serde_json::json!({"Done": null})),
        "{body}"
    );
    // the phone that was signed in is not any more; the old password is refused, the new works
    let me = app.page(&phone, "/me").await.text().await.unwrap();
    assert!(!me.contains("Sign out"), "the old session ended");
    let (_, body) = app
        .call(
            &client(),
            "identity/sign_in",
            &[("login", CITIZEN), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("password".into(), "err_sign_in_failed".into())]
    );
    let (_, body) = app
        .call(
            &client(),
            "identity/sign_in",
            &[("login", CITIZEN), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(body, serde_json::json!({"Done": "/me"}));
    // the owner is told, and the code cannot be used twice
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE recipient = $1 AND body LIKE '%password was reset%'",
    )
    .bind(CITIZEN)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
    let (_, body) = finish(&app, &id, &code, "another fine long passphrase").await;
    assert_eq!(
        invalid(&body),
        vec![("code".into(), "err_code_expired".into())]
    );
}

#[tokio::test]
async fn a_number_without_an_account_gets_the_same_answer_and_no_sms() {
    let app = spawn_app().await;
    let (status, body) = start(&app, "9876500099").await;
    assert_eq!(status, 200);
    let id = body["Done"]
        .as_str()
        .expect("an id, as for a registered number");
    let sent: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE recipient = '9876500099'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(sent, 0);
    let (_, body) = finish(&app, id, "123456", NEW_PASSWORD).await;
    assert_eq!(
        invalid(&body),
        vec![("code".into(), "err_code_wrong".into())]
    );
    // nothing tells it apart from a registered number: a malformed code, a weak password, the
    // number's share of codes — the same answers for both
    let (_, registered) = start(&app, CITIZEN).await;
    let registered = registered["Done"].as_str().unwrap().to_string();
    for (code, password) in [("1", NEW_PASSWORD), ("654321", "12345678")] {
        let (_, a) = finish(&app, id, code, password).await;
        let (_, b) = finish(&app, &registered, code, password).await;
        assert_eq!(invalid(&a), invalid(&b), "{code} {password}");
    }
    for _ in 0..5 {
        let (status, body) = start(&app, "9876500099").await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body["Done"].is_string(),
            "past the number's share too: {body}"
        );
    }
    // nonsense is named at its field
    let (_, body) = start(&app, "12").await;
    assert_eq!(invalid(&body)[0].0, "mobile");
    let (_, body) = finish(&app, "not-an-id", "123456", NEW_PASSWORD).await;
    assert_eq!(
        invalid(&body),
        vec![("code".into(), "err_code_expired".into())]
    );
}
