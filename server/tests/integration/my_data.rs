//! A person's own data: downloaded (all of it, and nobody else's) and erased when they close
//! their account.

use crate::grievances::file;
use crate::helpers::*;
use serde_json::Value;

async fn export(app: &TestApp, who: &reqwest::Client) -> (u16, Option<String>, Value) {
    let res = who
        .get(format!("{}/me/data.json", app.base))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let disposition = res
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_string());
    (status, disposition, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_citizen_downloads_all_their_data_and_nobody_elses() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let mine = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    let other = app.signed_in(BMC_OFFICIAL).await;
    let theirs = file(
        &app,
        &other,
        "pothole",
        "14",
        "Another pothole by the temple gate",
    )
    .await;

    let (status, disposition, data) = export(&app, &citizen).await;
    assert_eq!(status, 200, "{data}");
    assert!(disposition.unwrap().starts_with("attachment"));
    assert_eq!(data["account"]["mobile"], CITIZEN);
    assert!(data["account"]["citizen_id"].as_str().unwrap().len() == 12);
    let filed = data["grievances"]["filed"].as_array().unwrap();
    let g = filed
        .iter()
        .find(|g| g["number"] == mine.as_str())
        .expect("their grievance");
    assert_eq!(g["description"], "A deep pothole near the bus stop");
    assert_eq!(g["your_steps"][0]["step"], "filed");
    assert!(
        filed.iter().all(|g| g["number"] != theirs.as_str()),
        "not another person's"
    );
    assert!(!data["sessions"].as_array().unwrap().is_empty());
    assert!(
        data["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["body"].as_str().unwrap().contains(&mine)),
        "the acknowledgement sent to them"
    );
    let text = data.to_string();
    assert!(
        !text.contains("password_hash") && !text.contains("$argon2"),
        "no secrets"
    );
    // signed out: nothing
    let (status, _, _) = export(&app, &client()).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_citizen_closes_their_account_and_what_the_city_keeps_is_kept_without_them() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(CITIZEN)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let open = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    let over = file(
        &app,
        &citizen,
        "pothole",
        "14",
        "Another pothole by the temple gate",
    )
    .await;
    sqlx::query("UPDATE grievances SET status = 'closed_fixed' WHERE number = $1")
        .bind(&over)
        .execute(&app.pool)
        .await
        .unwrap();
    // the password again, and staff close nothing here
    let (_, body) = app
        .call(
            &citizen,
            "identity/close_account",
            &[("password", "not it")],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("password".into(), "err_password_wrong".into())]
    );
    let official = app.signed_in(BMC_OFFICIAL).await;
    let (_, body) = app
        .call(
            &official,
            "identity/close_account",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("password".into(), "err_close_staff".into())]
    );
    assert_eq!(
        app.call(
            &client(),
            "identity/close_account",
            &[("password", PASSWORD)]
        )
        .await
        .0,
        401
    );

    let (status, body) = app
        .call(
            &citizen,
            "identity/close_account",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let kept: u64 = body["Done"].as_str().unwrap().parse().unwrap();
    assert!(
        kept >= 2,
        "the two filed, and any filed with the number: {body}"
    );
    // gone: the account, its sign-in, its words in the history
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
    let (status, _, _) = export(&app, &citizen).await;
    assert_eq!(status, 401, "the session ended with the account");
    let words: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM history WHERE actor_id = $1 AND (note IS NOT NULL OR personal IS NOT NULL)",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(words, 0);
    // kept, without them: the open one still says what is wrong; the closed one not
    let row = |n: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (Option<uuid::Uuid>, Option<String>, String)>(
                "SELECT filer_id, contact_mobile, description FROM grievances WHERE number = $1",
            )
            .bind(n)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(
        row(open.clone()).await,
        (None, None, "A deep pothole near the bus stop".into())
    );
    let (filer, mobile, words) = row(over.clone()).await;
    assert_eq!((filer, mobile), (None, None));
    assert!(words.contains("erased"), "{words}");
    // every chain still verifies, and the last message went to the number as it left
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
    let told: Vec<String> =
        sqlx::query_scalar("SELECT body FROM notifications WHERE recipient = $1")
            .bind(CITIZEN)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains("account is closed"));
}
