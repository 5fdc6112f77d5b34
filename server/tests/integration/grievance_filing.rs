//! Filing problems named at their fields, and a retried filing landing once.

use crate::grievances::*;
use crate::helpers::*;

#[tokio::test]
async fn bad_filings_are_named_at_their_fields() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let (status, body) = app
        .multipart(
            &citizen,
            "grievances/file",
            &[("form[description]", "dark"), ("form[ward]", "")],
        )
        .await;
    assert_eq!(status, 200);
    let problems = invalid(&body);
    assert!(
        problems.contains(&("category".into(), "err_category_required".into())),
        "{problems:?}"
    );
    assert!(problems.contains(&("description".into(), "err_description_short".into())));
    assert!(problems.contains(&("ward".into(), "err_place_required".into())));
    // a ward that does not exist
    let cat = category(&app, "pothole").await;
    let (_, body) = app
        .multipart(
            &citizen,
            "grievances/file",
            &[
                ("form[category]", &cat),
                ("form[description]", "A deep pothole on the main road"),
                ("form[ward]", "99"),
            ],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("ward".to_string(), "err_ward_invalid".to_string())]
    );
    // anonymous filing only where the category allows it
    let (_, body) = app
        .multipart(
            &citizen,
            "grievances/file",
            &[
                ("form[category]", &cat),
                ("form[description]", "A deep pothole on the main road"),
                ("form[address]", "Janpath, near Ram Mandir"),
                ("form[anonymous]", "on"),
            ],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![(
            "anonymous".to_string(),
            "err_anonymous_not_allowed".to_string()
        )]
    );
    let illegal = category(&app, "illegal-construction").await;
    let (_, body) = app
        .multipart(
            &citizen,
            "grievances/file",
            &[
                ("form[category]", &illegal),
                ("form[description]", "Fourth floor going up without a plan"),
                ("form[address]", "Plot 22, Nayapalli"),
                ("form[anonymous]", "on"),
            ],
        )
        .await;
    assert!(body["Done"].is_string(), "{body}");
    // nobody filed without signing in
    let (status, _) = app
        .multipart(&client(), "grievances/file", &[("form[category]", &cat)])
        .await;
    assert_eq!(status, 401);
    // a body that is not multipart is refused plainly, not with a dropped connection
    let (status, _) = app
        .call(&citizen, "grievances/file", &[("form[category]", &cat)])
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_retried_filing_lands_once() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let cat = category(&app, "pothole").await;
    let form = [
        ("form[category]", cat.as_str()),
        ("form[description]", "A deep pothole near the bus stop"),
        ("form[ward]", "12"),
        (
            "form[idempotency_key]",
            "0193a7c0-1111-7000-8000-000000000001",
        ),
    ];
    let (_, first) = app.multipart(&citizen, "grievances/file", &form).await;
    let (_, again) = app.multipart(&citizen, "grievances/file", &form).await;
    assert_eq!(first["Done"], again["Done"]);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM grievances")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
    // someone else's key does not show them the grievance
    let other = register_citizen(&app, "9812345678").await;
    let (_, body) = app.multipart(&other, "grievances/file", &form).await;
    assert!(body["Invalid"].is_array(), "{body}");
}

#[tokio::test]
async fn a_form_kept_on_a_shared_phone_is_not_filed_as_whoever_signs_in_next() {
    let app = spawn_app().await;
    let owner: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(CITIZEN)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let cat = category(&app, "pothole").await;
    let owner = owner.to_string();
    let form = [
        ("form[category]", cat.as_str()),
        ("form[description]", "A deep pothole near the bus stop"),
        ("form[ward]", "12"),
        ("form[filer]", owner.as_str()),
    ];
    // the next person on the phone is someone else (here, an official with a citizen's rights)
    let other = app.signed_in(BMC_OFFICIAL).await;
    let (status, _) = app.multipart(&other, "grievances/file", &form).await;
    assert_eq!(status, 409);
    let filed: i64 = sqlx::query_scalar("SELECT count(*) FROM grievances")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(filed, 0);
    // the person who wrote it files it
    let citizen = app.signed_in(CITIZEN).await;
    let (status, body) = app.multipart(&citizen, "grievances/file", &form).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["Done"].as_str().is_some(), "{body}");
}

#[tokio::test]
async fn the_messages_about_a_grievance_are_found_by_the_grievance_they_name() {
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
    let other = file(
        &app,
        &citizen,
        "pothole",
        "14",
        "Another pothole by the temple gate",
    )
    .await;
    step(&app, &official, &number, "resolved", "Filled and rolled").await;
    let (_, view) = app
        .call(&official, "grievances/view", &[("number", &number)])
        .await;
    let messages = view["messages"].as_array().unwrap();
    // the acknowledgement of filing and the resolution, not the other grievance's
    assert_eq!(messages.len(), 2, "{view}");
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT n.link, n.about_kind FROM notifications n JOIN grievances g ON g.id = n.about_id
         WHERE g.number = $1",
    )
    .bind(&other)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![(format!("/grievances/{other}"), Some("grievance".into()))]
    );
}
