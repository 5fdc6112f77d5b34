//! "Download my data": a person's own data, all of it, and nobody else's.

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
