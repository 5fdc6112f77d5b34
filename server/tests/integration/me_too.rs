//! "Me too": the same problem near an open grievance is offered to join; joining follows it,
//! raises its count and priority, and who may join or see it.

use crate::grievances::{file, step, user_id, WATCO_OFFICIAL};
use crate::helpers::*;
use domain::identity::{store::StaffForm, Role};
use serde_json::Value;

const STREETLIGHT: &str = "streetlight-out";

/// Another citizen of the city, signed in.
async fn neighbour(app: &TestApp, mobile: &str) -> reqwest::Client {
    domain::identity::store::create_account(
        &app.pool,
        StaffForm {
            name: format!("Neighbour {mobile}"),
            mobile: mobile.into(),
            email: String::new(),
            password: PASSWORD.into(),
            role: Role::Citizen,
            department_id: None,
            appointed_by: None,
        },
    )
    .await
    .unwrap_or_else(|_| panic!("account {mobile}"));
    app.signed_in(mobile).await
}

async fn similar(
    app: &TestApp,
    c: &reqwest::Client,
    slug: &str,
    ward: &str,
    text: &str,
) -> Vec<String> {
    similar_at(app, c, slug, ward, text, "Hanuman temple").await
}

async fn similar_at(
    app: &TestApp,
    c: &reqwest::Client,
    slug: &str,
    ward: &str,
    text: &str,
    landmark: &str,
) -> Vec<String> {
    let cat = crate::grievances::category(app, slug).await;
    let (status, body) = app
        .call(
            c,
            "grievances/similar",
            &[
                ("category", &cat),
                ("ward", ward),
                ("landmark", landmark),
                ("description", text),
                ("latitude", ""),
                ("longitude", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|o| o["number"].as_str().unwrap().to_string())
        .collect()
}

async fn me_too(app: &TestApp, c: &reqwest::Client, number: &str) -> (u16, Value) {
    app.call(c, "grievances/me_too", &[("number", number)])
        .await
}

async fn count(app: &TestApp, number: &str) -> i32 {
    sqlx::query_scalar("SELECT me_too_count FROM grievances WHERE number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_problem_nearby_is_offered_and_nothing_else() {
    let app = spawn_app().await;
    let filer = app.signed_in(CITIZEN).await;
    let first = file(
        &app,
        &filer,
        STREETLIGHT,
        "12",
        "Streetlight not working for a week",
    )
    .await;
    let b = neighbour(&app, "9437000001").await;
    let mine = "The streetlight is not working, dark for days";
    assert_eq!(
        similar(&app, &b, STREETLIGHT, "12", mine).await,
        std::slice::from_ref(&first)
    );
    // another ward, another category, unrelated words: not offered
    assert!(similar(&app, &b, STREETLIGHT, "13", mine).await.is_empty());
    assert!(similar(&app, &b, "pothole", "12", mine).await.is_empty());
    assert!(similar_at(
        &app,
        &b,
        STREETLIGHT,
        "12",
        "Pole leaning dangerously after the storm",
        "Saheed Nagar market"
    )
    .await
    .is_empty());
    // not one's own
    assert!(similar(&app, &filer, STREETLIGHT, "12", mine)
        .await
        .is_empty());
    // not once it is resolved
    let official = app.signed_in(BMC_OFFICIAL).await;
    let (status, body) = step(&app, &official, &first, "resolved", "Bulb replaced").await;
    assert_eq!(status, 200, "{body}");
    assert!(similar(&app, &b, STREETLIGHT, "12", mine).await.is_empty());
    // signed-in people only
    let (status, _) = app
        .call(
            &client(),
            "grievances/similar",
            &[
                ("category", ""),
                ("ward", "12"),
                ("landmark", ""),
                ("description", mine),
                ("latitude", ""),
                ("longitude", ""),
            ],
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn joining_follows_the_grievance_raises_its_priority_and_brings_its_updates() {
    let app = spawn_app().await;
    let filer = app.signed_in(CITIZEN).await;
    let number = file(
        &app,
        &filer,
        STREETLIGHT,
        "12",
        "Streetlight not working for a week",
    )
    .await;
    let b = neighbour(&app, "9437000001").await;
    let theirs = "Streetlight not working near the temple, dark all week";

    // A number alone is no way in: what was not offered to them cannot be joined, and the
    // answer is the same as for a number that does not exist.
    let (status, _) = me_too(&app, &b, &number).await;
    assert_eq!(status, 404);
    assert_eq!(count(&app, &number).await, 0);
    let list = app.page(&b, "/grievances").await.text().await.unwrap();
    assert!(!list.contains(&number), "a refused join follows nothing");
    // An offer lapses after an hour.
    assert_eq!(
        similar(&app, &b, STREETLIGHT, "12", theirs).await,
        std::slice::from_ref(&number)
    );
    sqlx::query("UPDATE me_too_offers SET offered_at = offered_at - interval '61 minutes'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(me_too(&app, &b, &number).await.0, 404);

    // Offered while filing: joined.
    assert_eq!(
        similar(&app, &b, STREETLIGHT, "12", theirs).await,
        std::slice::from_ref(&number)
    );
    let (status, body) = me_too(&app, &b, &number).await;
    assert_eq!(
        (status, &body),
        (200, &serde_json::json!({"Done": 2})),
        "two people now"
    );
    // joining again changes nothing
    let (_, body) = me_too(&app, &b, &number).await;
    assert_eq!(body, serde_json::json!({"Done": 2}));
    assert_eq!(count(&app, &number).await, 1);

    // the neighbour sees it among their grievances and can open it, without the filer's contact
    let list = app.page(&b, "/grievances").await.text().await.unwrap();
    assert!(list.contains(&number));
    let res = app.page(&b, &format!("/grievances/{number}")).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("Another citizen reported the same problem"));
    assert!(
        !page.contains(CITIZEN),
        "the filer's mobile is not shown to a neighbour"
    );
    // ... but takes none of the filer's steps
    let (status, _) = step(&app, &b, &number, "reopened", "still dark").await;
    assert_eq!(status, 403);

    // the official's update reaches the neighbour too
    let official = app.signed_in(BMC_OFFICIAL).await;
    step(&app, &official, &number, "comment", "Crew sent tonight").await;
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE recipient = '9437000001' AND body LIKE '%Crew sent tonight%'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(told, 1);

    // two more join: three joined, high priority, the assignee is told, and it leads the queue
    for m in ["9437000002", "9437000003"] {
        let c = neighbour(&app, m).await;
        assert_eq!(
            similar(&app, &c, STREETLIGHT, "12", theirs).await,
            std::slice::from_ref(&number)
        );
        assert_eq!(me_too(&app, &c, &number).await.0, 200);
    }
    assert_eq!(count(&app, &number).await, 3);
    let told: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM notifications WHERE recipient = $1 AND body LIKE '%Priority%'",
    )
    .bind(BMC_OFFICIAL)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        told.len(),
        1,
        "told once, when it crossed into high priority"
    );
    assert!(
        told[0].contains("4 people") && told[0].contains("High priority"),
        "{}",
        told[0]
    );
    let later = file(
        &app,
        &filer,
        STREETLIGHT,
        "12",
        "Another streetlight out by the pond",
    )
    .await;
    sqlx::query(
        "UPDATE grievances SET deadline_at = deadline_at + interval '1 day' WHERE number = $1",
    )
    .bind(&number)
    .execute(&app.pool)
    .await
    .unwrap();
    let queue = app.page(&official, "/work").await.text().await.unwrap();
    let (a, b) = (queue.find(&number).unwrap(), queue.find(&later).unwrap());
    assert!(a < b, "high priority comes before a nearer deadline");
    assert!(queue.contains("High priority"));

    // the history records each join, and its chain holds
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
}

#[tokio::test]
async fn who_may_join() {
    let app = spawn_app().await;
    let filer = app.signed_in(CITIZEN).await;
    let number = file(
        &app,
        &filer,
        STREETLIGHT,
        "12",
        "Streetlight not working for a week",
    )
    .await;
    let (status, body) = me_too(&app, &filer, &number).await;
    assert_eq!(status, 200);
    assert_eq!(
        invalid(&body),
        [("me_too".to_string(), "err_me_too_own".to_string())]
    );
    assert_eq!(me_too(&app, &client(), &number).await.0, 401);
    let watco = app.signed_in(WATCO_OFFICIAL).await;
    assert_eq!(
        me_too(&app, &watco, &number).await.0,
        403,
        "staff do not join"
    );
    let b = neighbour(&app, "9437000001").await;
    assert_eq!(me_too(&app, &b, "GR-26-9999999-1").await.0, 404);
    // closed grievances are not joined, even when offered before they closed
    let theirs = "Streetlight not working near the temple, dark all week";
    assert_eq!(
        similar(&app, &b, STREETLIGHT, "12", theirs).await,
        std::slice::from_ref(&number)
    );
    let official = app.signed_in(BMC_OFFICIAL).await;
    step(
        &app,
        &official,
        &number,
        "rejected",
        "Not a municipal light",
    )
    .await;
    let (_, body) = me_too(&app, &b, &number).await;
    assert_eq!(
        invalid(&body),
        [("me_too".to_string(), "err_me_too_not_open".to_string())]
    );
    let _ = user_id;
}
