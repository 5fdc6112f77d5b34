//! Grievances through the app's server functions: filing, routing, the steps of citizen and
//! official, who is refused, and the history check.

use crate::helpers::*;
use serde_json::Value;

pub const WATCO_OFFICIAL: &str = "9000000005";
pub const WARD_SANITATION_OFFICIAL: &str = "9000000007";

pub async fn category(app: &TestApp, slug: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM grievance_categories WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .to_string()
}

pub async fn user_id(app: &TestApp, mobile: &str) -> uuid::Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(mobile)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Files a grievance as the signed-in `client`; returns its number.
pub async fn file(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    ward: &str,
    text: &str,
) -> String {
    let cat = category(app, slug).await;
    let (status, body) = app
        .multipart(
            client,
            "grievances/file",
            &[
                ("form[category]", &cat),
                ("form[description]", text),
                ("form[ward]", ward),
                ("form[landmark]", "near the Hanuman temple"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["Done"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

pub async fn step(
    app: &TestApp,
    client: &reqwest::Client,
    number: &str,
    action: &str,
    note: &str,
) -> (u16, Value) {
    app.call(
        client,
        "grievances/step",
        &[("number", number), ("action", action), ("note", note)],
    )
    .await
}

pub async fn row(app: &TestApp, number: &str) -> (String, Option<uuid::Uuid>, i32) {
    sqlx::query_as("SELECT status, assignee_id, level FROM grievances WHERE number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_citizen_files_and_is_told_the_number_at_once() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = file(
        &app,
        &citizen,
        "streetlight-out",
        "12",
        "Streetlight dark for a week near the temple",
    )
    .await;
    assert!(
        domain::grievances::GrievanceNumber::parse(&number).is_ok(),
        "{number}"
    );
    // routed by category to the BMC official, with level 1's deadline from the streetlight ladder
    let (status, assignee, level) = row(&app, &number).await;
    assert_eq!((status.as_str(), level), ("assigned", 1));
    assert_eq!(assignee, Some(user_id(&app, BMC_OFFICIAL).await));
    let hours: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM deadline_at - created_at)::float8 / 3600 FROM grievances WHERE number = $1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(hours.round(), 48.0);
    // the acknowledgement SMS carries the number
    let sms: String = sqlx::query_scalar(
        "SELECT body FROM notifications WHERE recipient = $1 AND channel = 'sms' ORDER BY created_at DESC LIMIT 1",
    )
    .bind(CITIZEN)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(sms.contains(&number), "{sms}");
    // and the citizen sees it in their list and on its page
    let (status, mine) = app.call(&citizen, "grievances/mine", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(mine[0]["number"], number.as_str());
    let page = app.page(&citizen, &format!("/grievances/{number}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Streetlight dark for a week"));
}

#[tokio::test]
async fn routing_by_category_and_ward() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    // ward 3 has its own sanitation officer; ward 40 goes to the citywide one
    let in_ward = file(
        &app,
        &citizen,
        "garbage-not-collected",
        "3",
        "Garbage not lifted for three days",
    )
    .await;
    let elsewhere = file(
        &app,
        &citizen,
        "garbage-not-collected",
        "40",
        "Garbage not lifted for three days",
    )
    .await;
    assert_eq!(
        row(&app, &in_ward).await.1,
        Some(user_id(&app, WARD_SANITATION_OFFICIAL).await)
    );
    assert_eq!(
        row(&app, &elsewhere).await.1,
        Some(user_id(&app, BMC_OFFICIAL).await)
    );
    // water goes to WATCO
    let water = file(
        &app,
        &citizen,
        "no-water",
        "40",
        "No water in the taps since yesterday",
    )
    .await;
    assert_eq!(
        row(&app, &water).await.1,
        Some(user_id(&app, WATCO_OFFICIAL).await)
    );
    // a department with no route and no admin: submitted, waiting, unassigned
    let noise = file(
        &app,
        &citizen,
        "noise",
        "40",
        "Loudspeakers past midnight every day",
    )
    .await;
    assert_eq!(row(&app, &noise).await, ("submitted".to_string(), None, 1));
}

#[tokio::test]
async fn the_official_works_it_and_the_citizen_closes_it() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let number = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;

    // the queue shows it
    let (status, queue) = app.call(&official, "work/queue", &[]).await;
    assert_eq!(status, 200);
    assert!(
        queue["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["reference"] == number.as_str()
                && r["link"] == format!("/grievances/{number}"))
    );

    assert_eq!(
        step(&app, &official, &number, "acknowledged", "").await.0,
        200
    );
    assert_eq!(row(&app, &number).await.0, "in_progress");
    let (_, body) = step(
        &app,
        &official,
        &number,
        "info_requested",
        "Which side of the bus stop?",
    )
    .await;
    assert!(body["Done"].is_string(), "{body}");
    let (_, body) = step(
        &app,
        &official,
        &number,
        "internal_note",
        "Contractor informed",
    )
    .await;
    assert!(body["Done"].is_string(), "{body}");
    // resolving needs a note
    let (_, body) = step(&app, &official, &number, "resolved", " ").await;
    assert_eq!(
        invalid(&body),
        vec![("note".to_string(), "err_note_required".to_string())]
    );
    let (_, body) = step(&app, &official, &number, "resolved", "Filled and rolled").await;
    assert_eq!(body["Done"], "resolved");

    // the citizen sees the public steps only
    let (_, view) = app
        .call(&citizen, "grievances/view", &[("number", &number)])
        .await;
    let kinds: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec!["filed", "acknowledged", "info_requested", "resolved"]
    );
    let steps: Vec<&str> = view["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        steps.contains(&"reopened") && steps.contains(&"closed_fixed"),
        "{steps:?}"
    );
    // the official sees the internal note too
    let (_, staff_view) = app
        .call(&official, "grievances/view", &[("number", &number)])
        .await;
    assert_eq!(staff_view["timeline"].as_array().unwrap().len(), 5);

    // reopening restarts the clock
    let (_, body) = step(
        &app,
        &citizen,
        &number,
        "reopened",
        "Still a hole on the left side",
    )
    .await;
    assert_eq!(body["Done"], "reopened");
    let (_, _) = step(&app, &official, &number, "resolved", "Left side filled too").await;
    // a rating is needed to close
    let (_, body) = step(&app, &citizen, &number, "closed_fixed", "").await;
    assert_eq!(
        invalid(&body),
        vec![("rating".to_string(), "err_rating_required".to_string())]
    );
    let (_, body) = app
        .call(
            &citizen,
            "grievances/step",
            &[
                ("number", &number),
                ("action", "closed_fixed"),
                ("rating", "4"),
                ("note", "Quick work"),
            ],
        )
        .await;
    assert_eq!(body["Done"], "closed_fixed");
    let (rating, reopens): (Option<i16>, i32) =
        sqlx::query_as("SELECT rating, reopen_count FROM grievances WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((rating, reopens), (Some(4), 1));
    // closed stays closed
    let (_, body) = step(&app, &citizen, &number, "reopened", "again").await;
    assert_eq!(
        invalid(&body),
        vec![("note".to_string(), "err_grievance_not_now".to_string())]
    );
}

#[tokio::test]
async fn a_transfer_hands_it_to_the_other_department_and_the_trail_shows_it() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let number = file(
        &app,
        &citizen,
        "drain-blocked",
        "40",
        "Water gushing from a broken pipe into the drain",
    )
    .await;
    let target = category(&app, "pipe-leak").await;
    // a reason is required, and the category must be another department's
    let (_, body) = app
        .call(
            &official,
            "grievances/step",
            &[
                ("number", &number),
                ("action", "transferred"),
                ("category", &target),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("note".to_string(), "err_note_required".to_string())]
    );
    let same = category(&app, "pothole").await;
    let (_, body) = app
        .call(
            &official,
            "grievances/step",
            &[
                ("number", &number),
                ("action", "transferred"),
                ("category", &same),
                ("note", "x"),
            ],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![(
            "category".to_string(),
            "err_transfer_department".to_string()
        )]
    );
    let (_, body) = app
        .call(
            &official,
            "grievances/step",
            &[
                ("number", &number),
                ("action", "transferred"),
                ("category", &target),
                ("note", "A WATCO pipe is leaking"),
            ],
        )
        .await;
    assert_eq!(body["Done"], "assigned");
    assert_eq!(
        row(&app, &number).await.1,
        Some(user_id(&app, WATCO_OFFICIAL).await)
    );
    let (_, view) = app
        .call(&citizen, "grievances/view", &[("number", &number)])
        .await;
    let last = view["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "transferred");
    assert_eq!(last["note"], "A WATCO pipe is leaking");
    assert_eq!(last["department"], "Water Corporation of Odisha");
    // the BMC official no longer holds it
    let (status, _) = step(&app, &official, &number, "comment", "still here?").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn strangers_are_refused() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    // another citizen may neither see nor touch it
    let other = register_citizen(&app, "9812345678").await;
    let (status, _) = app
        .call(&other, "grievances/view", &[("number", &number)])
        .await;
    assert_eq!(status, 403);
    let (status, _) = step(&app, &other, &number, "reopened", "mine now").await;
    assert_eq!(status, 403);
    assert_eq!(
        app.page(&other, &format!("/grievances/{number}"))
            .await
            .status(),
        403
    );
    // an official of another department may not see or act on it
    let watco = app.signed_in(WATCO_OFFICIAL).await;
    assert_eq!(
        app.call(&watco, "grievances/view", &[("number", &number)])
            .await
            .0,
        403
    );
    assert_eq!(step(&app, &watco, &number, "resolved", "done").await.0, 403);
    // a colleague in the same department may see it but not act: it is not theirs
    let colleague = app.signed_in(WARD_SANITATION_OFFICIAL).await;
    assert_eq!(
        app.call(&colleague, "grievances/view", &[("number", &number)])
            .await
            .0,
        200
    );
    assert_eq!(
        step(&app, &colleague, &number, "resolved", "done").await.0,
        403
    );
    // the citizen may not take the official's steps, nor the official the citizen's
    assert_eq!(
        step(&app, &citizen, &number, "resolved", "fixed it myself")
            .await
            .0,
        403
    );
    let official = app.signed_in(BMC_OFFICIAL).await;
    assert_eq!(
        step(&app, &official, &number, "reopened", "hmm").await.0,
        403
    );
    // the work queue is staff only
    assert_eq!(app.call(&citizen, "work/queue", &[]).await.0, 403);
    assert_eq!(app.call(&client(), "work/queue", &[]).await.0, 401);
    assert_eq!(
        app.call(&client(), "grievances/view", &[("number", &number)])
            .await
            .0,
        401
    );
}

/// Registers a fresh citizen through the real flow and returns their signed-in client.
pub async fn register_citizen(app: &TestApp, mobile: &str) -> reqwest::Client {
    let c = client();
    let (status, body) = app
        .call(
            &c,
            "identity/register",
            &[
                ("name", "Sunita Rout"),
                ("mobile", mobile),
                ("email", ""),
                ("password", "lotus harbour pencil drum"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let registration = body["Done"]["registration_id"]
        .as_str()
        .unwrap()
        .to_string();
    let code = app.last_code(mobile).await;
    let (status, body) = app
        .call(
            &c,
            "identity/confirm",
            &[("registration_id", &registration), ("code", &code)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    c
}
