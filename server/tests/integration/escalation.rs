//! The escalation clock, driven by the test: warnings before the deadline, a move to the next
//! level on breach, overdue at the top, and one escalation however many workers sweep.

use crate::grievances::{file, row, user_id};
use crate::helpers::*;
use domain::grievances::escalation::sweeps;
use time::{Duration, OffsetDateTime};

async fn created(app: &TestApp, number: &str) -> OffsetDateTime {
    sqlx::query_scalar("SELECT created_at FROM grievances WHERE number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn kinds(app: &TestApp, number: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT h.kind FROM history h JOIN grievances g ON g.id = h.subject_id WHERE g.number = $1 ORDER BY h.seq",
    )
    .bind(number)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn warned_before_the_deadline_then_escalated_up_the_ladder() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    // streetlights: 48 h for the official (warned at 75 %), then 24 h for the department admin
    let number = file(
        &app,
        &citizen,
        "streetlight-out",
        "12",
        "Streetlight dark for a week",
    )
    .await;
    let t0 = created(&app, &number).await;

    assert_eq!(
        sweeps::warn_due(&app.pool, t0 + Duration::hours(35), 10)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        sweeps::warn_due(&app.pool, t0 + Duration::hours(36), 10)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        sweeps::warn_due(&app.pool, t0 + Duration::hours(40), 10)
            .await
            .unwrap(),
        0,
        "warned once"
    );
    let warning: String = sqlx::query_scalar(
        "SELECT body FROM notifications WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(BMC_OFFICIAL)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        warning.contains(&number) && warning.contains("12 hours"),
        "{warning}"
    );

    assert_eq!(
        sweeps::escalate_due(&app.pool, t0 + Duration::hours(47), 10)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        sweeps::escalate_due(&app.pool, t0 + Duration::hours(48), 10)
            .await
            .unwrap(),
        1
    );
    let (status, assignee, level) = row(&app, &number).await;
    assert_eq!(
        (status.as_str(), assignee, level),
        ("assigned", Some(user_id(&app, BMC_ADMIN).await), 2)
    );
    // the citizen is told, and sees the new deadline
    let told: String = sqlx::query_scalar(
        "SELECT body FROM notifications WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(CITIZEN)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(told.contains(&number) && told.contains("level 2"), "{told}");
    let (_, view) = app
        .call(&citizen, "grievances/view", &[("number", &number)])
        .await;
    assert_eq!(view["row"]["level"], 2);
    assert!(view["row"]["deadline"].is_string());

    // level 3: a city admin; then nobody is left and the admins are told
    assert_eq!(
        sweeps::escalate_due(&app.pool, t0 + Duration::hours(72), 10)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        row(&app, &number).await.1,
        Some(user_id(&app, CITY_ADMIN).await)
    );
    assert_eq!(
        sweeps::escalate_due(&app.pool, t0 + Duration::hours(96), 10)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        sweeps::escalate_due(&app.pool, t0 + Duration::hours(200), 10)
            .await
            .unwrap(),
        0,
        "overdue once"
    );
    assert_eq!(row(&app, &number).await.2, 3);
    assert_eq!(
        kinds(&app, &number).await,
        vec![
            "filed",
            "deadline_near",
            "escalated",
            "escalated",
            "overdue"
        ]
    );
    let overdue_told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE recipient = $1 AND body LIKE '%' || $2 || '%'",
    )
    .bind(BMC_ADMIN)
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        overdue_told >= 2,
        "escalated to and overdue: {overdue_told}"
    );
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
}

#[tokio::test]
async fn a_level_that_names_nobody_is_skipped() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    // WATCO has no department admin: after the official's 72 h it goes straight to a city admin
    let number = file(
        &app,
        &citizen,
        "no-water",
        "40",
        "No water for two days now",
    )
    .await;
    let t0 = created(&app, &number).await;
    assert_eq!(
        sweeps::escalate_due(&app.pool, t0 + Duration::hours(72), 10)
            .await
            .unwrap(),
        1
    );
    let (_, assignee, level) = row(&app, &number).await;
    assert_eq!(
        (assignee, level),
        (Some(user_id(&app, CITY_ADMIN).await), 3)
    );
}

#[tokio::test]
async fn resolved_grievances_do_not_escalate_and_reopening_restarts_the_clock() {
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
    let t0 = created(&app, &number).await;
    crate::grievances::step(&app, &official, &number, "resolved", "Filled").await;
    assert_eq!(
        sweeps::escalate_due(&app.pool, t0 + Duration::hours(100), 10)
            .await
            .unwrap(),
        0
    );
    // Two days pass before the citizen reopens it: the old deadline is then a day away.
    sqlx::query(
        "UPDATE grievances SET deadline_at = deadline_at - interval '48 hours',
             resolved_at = resolved_at - interval '48 hours' WHERE number = $1",
    )
    .bind(&number)
    .execute(&app.pool)
    .await
    .unwrap();
    let (status, body) =
        crate::grievances::step(&app, &citizen, &number, "reopened", "Still there").await;
    assert_eq!(
        (status, &body["Done"]),
        (200, &serde_json::json!("reopened")),
        "{body}"
    );
    let (deadline, reopens): (OffsetDateTime, i32) =
        sqlx::query_as("SELECT deadline_at, reopen_count FROM grievances WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let hours = (deadline - OffsetDateTime::now_utc()).whole_minutes() as f64 / 60.0;
    assert!(
        (71.0..=72.0).contains(&hours),
        "the deadline starts again at the level's 72 h, not the old one's 24 h left: {hours} h"
    );
    assert_eq!(reopens, 1);
    assert_eq!(row(&app, &number).await.0, "reopened");
}

#[tokio::test]
async fn two_workers_escalate_each_breach_exactly_once() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let mut numbers = Vec::new();
    for i in 0..40 {
        numbers.push(
            file(
                &app,
                &citizen,
                "pothole",
                &((i % 60) + 11).to_string(),
                &format!("Pothole number {i} on the road"),
            )
            .await,
        );
    }
    let later = OffsetDateTime::now_utc() + Duration::hours(73);
    let sweep = |pool: sqlx::PgPool| async move {
        let mut handled = 0;
        loop {
            let n = sweeps::escalate_due(&pool, later, 3).await.unwrap();
            if n == 0 {
                break handled;
            }
            handled += n;
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(sweep(app.pool.clone())),
        tokio::spawn(sweep(app.pool.clone()))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, 40, "each breach handled once: {a} + {b}");
    assert!(a > 0 && b > 0, "both workers took part: {a} + {b}");
    let escalations: i64 =
        sqlx::query_scalar("SELECT count(*) FROM history WHERE kind = 'escalated'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(escalations, 40);
    let levels: Vec<i32> = sqlx::query_scalar("SELECT DISTINCT level FROM grievances")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(levels, vec![2]);
}

#[tokio::test]
async fn a_resolution_nobody_answers_closes_after_the_reopen_window() {
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
    crate::grievances::step(&app, &official, &number, "resolved", "Filled").await;
    let now = OffsetDateTime::now_utc();
    assert_eq!(
        sweeps::close_unanswered(&app.pool, now + Duration::days(6), 10)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        sweeps::close_unanswered(&app.pool, now + Duration::days(8), 10)
            .await
            .unwrap(),
        1
    );
    assert_eq!(row(&app, &number).await.0, "closed_fixed");
    assert_eq!(
        kinds(&app, &number).await.last().map(String::as_str),
        Some("closed_unanswered")
    );
    // a rejection is not a fix: it is left as it is
    let other = file(
        &app,
        &citizen,
        "stray-dogs",
        "5",
        "A pack of dogs chasing children",
    )
    .await;
    crate::grievances::step(
        &app,
        &official,
        &other,
        "rejected",
        "Not a municipal matter",
    )
    .await;
    assert_eq!(
        sweeps::close_unanswered(&app.pool, now + Duration::days(30), 10)
            .await
            .unwrap(),
        0
    );
    assert_eq!(row(&app, &other).await.0, "rejected");
}
