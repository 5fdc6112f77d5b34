//! Appeals under the Right to Public Services Act through the real server functions: a rejection
//! or a missed time limit appealed to the officer the department names, decided with a penalty,
//! the application sent back; a dismissed appeal revised by the revision officer; wrong callers
//! refused; each department's record counts them.

use crate::applications::apply_for_birth_certificate;
use crate::grievances::register_citizen;
use crate::helpers::*;
use serde_json::Value;

async fn step(app: &TestApp, c: &reqwest::Client, number: &str, action: &str, note: &str) -> Value {
    app.call(
        c,
        "applications/step",
        &[("number", number), ("action", action), ("note", note)],
    )
    .await
    .1
}

async fn appeal(app: &TestApp, c: &reqwest::Client, number: &str, note: &str) -> (u16, Value) {
    app.call(
        c,
        "applications/appeal",
        &[("number", number), ("note", note)],
    )
    .await
}

async fn decide(
    app: &TestApp,
    c: &reqwest::Client,
    number: &str,
    decision: &str,
    note: &str,
    penalty: &str,
) -> (u16, Value) {
    app.call(
        c,
        "applications/decide_appeal",
        &[
            ("number", number),
            ("decision", decision),
            ("note", note),
            ("penalty", penalty),
        ],
    )
    .await
}

#[tokio::test]
async fn a_rejection_is_appealed_to_the_named_officer_who_allows_it_and_penalises_the_officer() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = apply_for_birth_certificate(&app, &citizen, "Ipsita Nayak").await;
    let official = app.signed_in(BMC_OFFICIAL).await;

    // Named before anything goes wrong; not appealable while it is being decided in time.
    let (_, view) = app
        .call(&citizen, "applications/view", &[("number", &number)])
        .await;
    assert_eq!(view["appeals"]["appellate_officer"], "Bikash Nayak");
    assert_eq!(view["appeals"]["may_ask"], Value::Null);
    let (_, body) = appeal(&app, &citizen, &number, "Too slow").await;
    assert_eq!(
        invalid(&body),
        vec![("form".into(), "err_appeal_not_open".into())]
    );

    assert!(
        step(&app, &official, &number, "reject", "No hospital record")
            .await
            .get("Done")
            .is_some()
    );
    let (_, view) = app
        .call(&citizen, "applications/view", &[("number", &number)])
        .await;
    assert_eq!(view["appeals"]["may_ask"], "Appeal");

    // Only the applicant appeals, and must say why.
    let stranger = register_citizen(&app, "9876503001").await;
    let (status, _) = appeal(&app, &stranger, &number, "Because").await;
    assert_eq!(status, 404);
    let (_, body) = appeal(&app, &citizen, &number, " ").await;
    assert_eq!(
        invalid(&body),
        vec![("note".into(), "err_note_required".into())]
    );
    let (status, body) = appeal(
        &app,
        &citizen,
        &number,
        "She was born at home; the ASHA worker attests it",
    )
    .await;
    assert_eq!((status, &body["Done"]), (200, &Value::from("1")));

    // It waits on the appellate officer, in their queue.
    let admin = app.signed_in(BMC_ADMIN).await;
    let (_, queue) = app
        .call(&admin, "work/queue", &[("status", "appeal:pending")])
        .await;
    let rows = queue["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["reference"] == number.as_str() && r["kind"] == "Appeal"),
        "{queue}"
    );
    // Nobody else decides it: not the official who rejected it, not the applicant.
    let (status, _) = decide(&app, &official, &number, "allowed", "x", "").await;
    assert_eq!(status, 403);
    let (status, _) = decide(&app, &citizen, &number, "allowed", "x", "").await;
    assert_eq!(status, 403, "citizens decide no appeals");
    // Each problem at its field.
    let (_, body) = decide(&app, &admin, &number, "", "", "9000").await;
    let problems = invalid(&body);
    assert!(problems.contains(&("decision".into(), "err_decision_choose".into())));
    assert!(problems.contains(&("note".into(), "err_note_required".into())));
    assert!(problems.contains(&("penalty".into(), "err_penalty_invalid".into())));

    let (status, body) = decide(
        &app,
        &admin,
        &number,
        "allowed",
        "A home birth needs no hospital record",
        "1,000",
    )
    .await;
    assert_eq!((status, &body["Done"]), (200, &Value::from("allowed")));
    // Back to be decided, within seven working days; the penalty is on record against the officer.
    let (status, due, applicant): (String, time::Date, Option<uuid::Uuid>) =
        sqlx::query_as("SELECT status, due_on, applicant_id FROM applications WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, "submitted");
    assert!(applicant.is_some());
    let today = domain::applications::store::today_in_india(time::OffsetDateTime::now_utc());
    let calendar = domain::applications::store::calendar(&app.pool, today)
        .await
        .unwrap();
    assert_eq!(
        calendar.add_working_days(today, 7),
        (due.year(), u8::from(due.month()), due.day())
    );
    let (_, view) = app
        .call(&citizen, "applications/view", &[("number", &number)])
        .await;
    let appeal_view = &view["appeals"]["appeals"][0];
    assert_eq!(appeal_view["decision"], "Allowed");
    assert_eq!(appeal_view["penalty"], "₹1,000 · Chitra Das");
    let whats: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        &whats[whats.len() - 2..],
        ["The applicant appealed", "The appeal was decided"]
    );
    // The department's record counts it.
    let (_, records) = app.call(&admin, "admin/application_records", &[]).await;
    let bmc = &records[0];
    assert_eq!(
        (bmc["appealed"].as_i64(), bmc["penalised"].as_i64()),
        (Some(1), Some(1)),
        "{records}"
    );
    // A department admin sees their own department only; a citizen nothing.
    assert_eq!(records.as_array().unwrap().len(), 1);
    let (status, _) = app.call(&citizen, "admin/application_records", &[]).await;
    assert_eq!(status, 403);
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
}

#[tokio::test]
async fn a_missed_limit_is_appealed_and_a_dismissed_appeal_goes_to_revision_once() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = apply_for_birth_certificate(&app, &citizen, "Ritika Sahoo").await;
    // The time limit passed with nothing decided.
    sqlx::query("UPDATE applications SET due_on = current_date - 3 WHERE number = $1")
        .bind(&number)
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, body) = appeal(&app, &citizen, &number, "Three days late and no word").await;
    assert_eq!(body["Done"], "1");
    let ground: String = sqlx::query_scalar("SELECT ground FROM appeals")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(ground, "overdue");
    // One appeal at a time.
    let (_, body) = appeal(&app, &citizen, &number, "Again").await;
    assert_eq!(
        invalid(&body),
        vec![("form".into(), "err_appeal_not_open".into())]
    );

    let admin = app.signed_in(BMC_ADMIN).await;
    let (_, body) = decide(
        &app,
        &admin,
        &number,
        "dismissed",
        "The delay was the applicant's",
        "",
    )
    .await;
    assert_eq!(body["Done"], "dismissed");
    // Dismissed: a revision, to the revision officer (the city admin).
    let (_, body) = appeal(&app, &citizen, &number, "It was not my delay").await;
    assert_eq!(body["Done"], "2");
    let (status, _) = decide(&app, &admin, &number, "allowed", "x", "").await;
    assert_eq!(
        status, 403,
        "the appellate officer does not revise their own decision"
    );
    let city = app.signed_in(CITY_ADMIN).await;
    let (_, body) = decide(
        &app,
        &city,
        &number,
        "allowed",
        "Decide it this week",
        "500",
    )
    .await;
    assert_eq!(body["Done"], "allowed");
    // Nothing comes after a revision.
    sqlx::query("UPDATE applications SET due_on = current_date - 1 WHERE number = $1")
        .bind(&number)
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, body) = appeal(&app, &citizen, &number, "Once more").await;
    assert_eq!(
        invalid(&body),
        vec![("form".into(), "err_appeal_not_open".into())]
    );
    let penalties: i64 =
        sqlx::query_scalar("SELECT count(*) FROM appeals WHERE penalty_paise = 50000")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(penalties, 1);
}
