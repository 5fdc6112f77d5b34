//! The intake API over HTTP: SMS, email, IVRS and external systems, each with its own key.

use crate::grievances::{category, row, user_id, WATCO_OFFICIAL};
use crate::helpers::*;
use serde_json::{json, Value};

async fn key(app: &TestApp, channel: &str) -> String {
    domain::grievances::intake::issue_key(&app.pool, channel, "test gateway", None)
        .await
        .unwrap()
        .1
}

async fn post(app: &TestApp, path: &str, key: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = client()
        .post(format!("{}/api/v1/intake/{path}", app.base))
        .json(&body);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn last_sms(app: &TestApp, mobile: &str) -> String {
    sqlx::query_scalar("SELECT body FROM notifications WHERE recipient = $1 AND channel = 'sms' ORDER BY created_at DESC, id DESC LIMIT 1")
        .bind(mobile)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn sms_count(app: &TestApp, mobile: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE recipient = $1 AND channel = 'sms'",
    )
    .bind(mobile)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_sms_becomes_a_grievance_and_the_reply_goes_back_by_sms() {
    let app = spawn_app().await;
    let k = key(&app, "sms").await;
    // form-encoded, as SMS gateways send it
    let res = client()
        .post(format!("{}/api/v1/intake/sms", app.base))
        .bearer_auth(&k)
        .form(&[
            ("from", "+91 98765 43210"),
            (
                "text",
                "No water in our taps since Monday, ward 33 near the Shiv temple",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let body: Value = res.json().await.unwrap();
    let number = body["number"].as_str().unwrap().to_string();
    let (channel, ward, mobile): (String, Option<i32>, Option<String>) = sqlx::query_as(
        "SELECT channel, ward_number, contact_mobile FROM grievances WHERE number = $1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (channel.as_str(), ward, mobile.as_deref()),
        ("sms", Some(33), Some("9876543210"))
    );
    assert_eq!(
        row(&app, &number).await.1,
        Some(user_id(&app, WATCO_OFFICIAL).await)
    );
    assert!(last_sms(&app, "9876543210").await.contains(&number));

    // STATUS answers by SMS, to the filer only
    let sent_before = sms_count(&app, "9876543210").await;
    let (status, body) = post(
        &app,
        "sms",
        Some(&k),
        json!({"from": "9876543210", "text": format!("STATUS {number}")}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "assigned");
    assert_eq!(
        sms_count(&app, "9876543210").await,
        sent_before + 1,
        "one reply"
    );
    let reply = last_sms(&app, "9876543210").await;
    assert!(
        reply.contains(&number) && reply.contains(" is Assigned"),
        "the reply names the number and its state: {reply}"
    );
    let (status, body) = post(
        &app,
        "sms",
        Some(&k),
        json!({"from": "9123456789", "text": format!("STATUS {number}")}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], Value::Null);
    let stranger = last_sms(&app, "9123456789").await;
    assert!(
        stranger.contains("no grievance of yours") && !stranger.contains(&number),
        "someone else's number is not told its state: {stranger}"
    );

    // text naming no category lands in "other civic problem" with the words as its address
    let (status, body) = post(
        &app,
        "sms",
        Some(&k),
        json!({"from": "9876543210", "text": "Please help, big problem at Unit-4 market"}),
    )
    .await;
    assert_eq!(status, 201);
    let slug: String = sqlx::query_scalar(
        "SELECT c.slug FROM grievances g JOIN grievance_categories c ON c.id = g.category_id WHERE g.number = $1",
    )
    .bind(body["number"].as_str().unwrap())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(slug, "other-civic-problem");
    // a bad sender is named
    let (status, body) = post(
        &app,
        "sms",
        Some(&k),
        json!({"from": "12345", "text": "garbage ward 3"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "from");
}

#[tokio::test]
async fn keys_are_needed_and_scoped_to_their_channel() {
    let app = spawn_app().await;
    let body = json!({"from": "9876543210", "text": "garbage ward 3 not collected"});
    let (status, answer) = post(&app, "sms", None, body.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("unauthorized"))
    );
    let (status, _) = post(&app, "sms", Some("ngk_sms_made-up"), body.clone()).await;
    assert_eq!(status, 401);
    let email_key = key(&app, "email").await;
    let (status, answer) = post(&app, "sms", Some(&email_key), body.clone()).await;
    assert_eq!((status, answer["error"].as_str()), (403, Some("forbidden")));
    // a revoked key stops working
    let (id, sms_key) =
        domain::grievances::intake::issue_key(&app.pool, "sms", "old gateway", None)
            .await
            .unwrap();
    assert_eq!(post(&app, "sms", Some(&sms_key), body.clone()).await.0, 201);
    domain::grievances::intake::revoke_key(&app.pool, id, None)
        .await
        .unwrap();
    assert_eq!(post(&app, "sms", Some(&sms_key), body).await.0, 401);
    // keys are stored hashed
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM intake_keys WHERE key_hash = convert_to($1, 'UTF8')",
    )
    .bind(&sms_key)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn an_email_becomes_a_grievance() {
    let app = spawn_app().await;
    let k = key(&app, "email").await;
    let (status, body) = post(
        &app,
        "email",
        Some(&k),
        json!({
            "from": "\"Rina Patnaik\" <rina@example.in>",
            "subject": "Streetlight not working",
            "body": "The streetlight outside house 14, ward 7, has been dark for ten days.",
        }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (channel, email, name, ward): (String, Option<String>, String, Option<i32>) = sqlx::query_as(
        "SELECT channel, contact_email, contact_name, ward_number FROM grievances WHERE number = $1",
    )
    .bind(body["number"].as_str().unwrap())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (channel.as_str(), email.as_deref(), name.as_str(), ward),
        ("email", Some("rina@example.in"), "Rina Patnaik", Some(7))
    );
    let mailed: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE channel = 'email' AND recipient = 'rina@example.in'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(mailed, 1);
    // pictures attached become photos; other files are named back
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let (status, body) = post(
        &app,
        "email",
        Some(&k),
        json!({
            "from": "rina@example.in",
            "subject": "Garbage heap",
            "body": "Garbage not collected for a week at ward 9, photo attached.",
            "attachments": [
                {"filename": "heap.png", "content_base64": b64(&crate::grievance_photos::png(800, 600))},
                {"filename": "letter.pdf", "content_base64": b64(b"%PDF-1.4 not a picture")},
            ],
        }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["photos"], 1);
    assert_eq!(body["ignored_attachments"], json!(["letter.pdf"]));
    let photos: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM grievance_photos p JOIN grievances g ON g.id = p.grievance_id WHERE g.number = $1",
    )
    .bind(body["number"].as_str().unwrap())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(photos, 1);
    let (status, body) = post(
        &app,
        "email",
        Some(&k),
        json!({"from": "not an address", "subject": "x", "body": "y"}),
    )
    .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("from"))
    );
}

#[tokio::test]
async fn an_ivrs_call_becomes_a_grievance() {
    let app = spawn_app().await;
    let k = key(&app, "ivrs").await;
    let (status, body) = post(
        &app,
        "ivrs",
        Some(&k),
        json!({"caller": "9437000001", "keypad": "31", "ward": "21", "recording_url": "https://ivrs.example.in/rec/8812.wav", "language": "or"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (slug, url, locale): (String, Option<String>, String) = sqlx::query_as(
        "SELECT c.slug, g.recording_url, g.locale FROM grievances g JOIN grievance_categories c ON c.id = g.category_id WHERE g.number = $1",
    )
    .bind(body["number"].as_str().unwrap())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (slug.as_str(), url.as_deref(), locale.as_str()),
        (
            "power-outage",
            Some("https://ivrs.example.in/rec/8812.wav"),
            "or"
        )
    );
    // an unknown key press and a missing recording are named
    let (status, body) = post(
        &app,
        "ivrs",
        Some(&k),
        json!({"caller": "9437000001", "keypad": "99", "ward": "21", "recording_url": "ftp://x"}),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["keypad", "recording_url"]);
}

#[tokio::test]
async fn an_external_reference_never_makes_a_second_grievance() {
    let app = spawn_app().await;
    let issue = |label: &'static str| {
        let pool = app.pool.clone();
        async move {
            domain::grievances::intake::issue_key(&pool, "external", label, None)
                .await
                .unwrap()
                .1
        }
    };
    let k = issue("e-Abhijog").await;
    let jana_sampark = issue("Jana Sampark").await;
    // a key files for its own system only: e-Abhijog's key cannot take Jana Sampark's reference
    let squat = json!({
        "system": "jana-sampark", "reference": "JS-77", "category": "pothole",
        "description": "Pothole opposite the post office", "ward": 12,
    });
    let (status, _) = post(&app, "external", Some(&k), squat).await;
    assert_eq!(status, 403);
    let grievance = json!({
        "system": "e-abhijog", "reference": "EAB/2026/001234", "category": "garbage-not-collected",
        "description": "Garbage heap near the school gate for a week", "ward": 40,
        "name": "Manoj Jena", "mobile": "9861000002",
    });
    let (status, first) = post(&app, "external", Some(&k), grievance.clone()).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = post(&app, "external", Some(&k), grievance.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(again["number"], first["number"]);
    assert_eq!(again["duplicate"], true);
    // many at once still make one
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (base, k, body) = (
            app.base.clone(),
            jana_sampark.clone(),
            json!({
                "system": "jana-sampark", "reference": "JS-77", "category": "pothole",
                "description": "Pothole opposite the post office", "ward": 12,
            }),
        );
        tasks.push(tokio::spawn(async move {
            client()
                .post(format!("{base}/api/v1/intake/external"))
                .bearer_auth(k)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM grievances WHERE external_ref = 'JS-77'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(count, 1);
    let ext: (String, String) = sqlx::query_as(
        "SELECT channel, external_system FROM grievances WHERE external_ref = 'EAB/2026/001234'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(ext, ("external".to_string(), "e-abhijog".to_string()));
    // an unknown category is named
    // (the system may be left out: the key names it)
    let (status, body) = post(&app, "external", Some(&k), json!({"reference": "EAB-1", "category": "nope", "description": "Something is wrong here", "ward": 1})).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("category"))
    );
    let _ = category(&app, "pothole").await;
}

#[tokio::test]
async fn the_json_api_describes_itself_in_openapi_3_1() {
    let app = spawn_app().await;
    let res = client()
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{doc}");
    for channel in ["sms", "email", "ivrs", "external"] {
        let op = &doc["paths"][format!("/api/v1/intake/{channel}")]["post"];
        assert!(op["requestBody"].is_object(), "{channel}: {op}");
        for status in ["201", "401", "422", "429"] {
            assert!(
                op["responses"][status].is_object(),
                "{channel} documents {status}"
            );
        }
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["key"]["scheme"],
        "bearer"
    );
    // what the document says an answer holds is what the answer holds
    let key = key(&app, "external").await;
    let (status, body) = post(
        &app,
        "external",
        Some(&key),
        json!({"reference": "EA-1", "category": "pothole", "description": "A deep pothole near the bus stop", "ward": 12}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let required: Vec<&str> = doc["components"]["schemas"]["Filed"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for field in required {
        assert!(body.get(field).is_some(), "{field} in {body}");
    }
}
