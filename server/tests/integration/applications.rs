//! Applying for a service through the real server functions: a draft kept as the person types,
//! checked at each field, filed exactly once with its number and due date in working days,
//! routed to the post that decides it, worked by the department (ask for more, the clock stops,
//! the applicant answers, verify, approve, deliver), each step in the shared history; answers
//! sealed in the tables, in the export, erased at closure; the form version kept; wrong callers
//! refused.

use crate::grievances::register_citizen;
use crate::helpers::*;
use domain::applications::calendar::day_number;
use domain::applications::store;
use serde_json::Value;

const CHILD: &str = "Subhashree Mohapatra";

fn birth_answers(child: &str) -> Vec<(String, String)> {
    [
        ("child_name", child),
        ("date_of_birth", "2026-10-02"),
        ("place_of_birth", "home"),
        ("mother_name", "Sasmita Mohapatra"),
        ("address", "Plot 14, Saheed Nagar, Bhubaneswar"),
    ]
    .iter()
    .map(|(k, v)| (format!("answers[{k}]"), v.to_string()))
    .collect()
}

async fn post(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: &[(String, String)],
) -> (u16, Value) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(c, path, &pairs).await
}

/// Applies for a birth certificate as `c`: keeps, continues, submits. Answers the number.
pub async fn apply_for_birth_certificate(
    app: &TestApp,
    c: &reqwest::Client,
    child: &str,
) -> String {
    let mut form = birth_answers(child);
    form.push(("slug".into(), "birth-certificate".into()));
    let (status, body) = post(app, c, "applications/continue", &form).await;
    assert_eq!((status, &body), (200, &serde_json::json!({"Done": null})));
    let (_, data) = app
        .call(c, "applications/form", &[("slug", "birth-certificate")])
        .await;
    let token = data["token"].as_str().unwrap().to_string();
    let (status, body) = app
        .call(
            c,
            "applications/submit",
            &[("slug", "birth-certificate"), ("token", &token)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["Done"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_citizen_applies_from_a_kept_draft_and_the_application_is_filed_once_with_its_due_date() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;

    // What is typed is kept, unchecked, and comes back on the form.
    let mut partial = vec![
        ("slug".to_string(), "birth-certificate".to_string()),
        ("answers[child_name]".into(), CHILD.into()),
        ("answers[place_of_birth]".into(), "hospital".into()),
        ("answers[not_a_field]".into(), "dropped".into()),
    ];
    let (status, body) = post(&app, &citizen, "applications/keep", &partial).await;
    assert_eq!(status, 200, "{body}");
    let (_, data) = app
        .call(
            &citizen,
            "applications/form",
            &[("slug", "birth-certificate")],
        )
        .await;
    assert_eq!(data["answers"]["child_name"], CHILD);
    assert!(data["answers"].get("not_a_field").is_none());
    let page = app
        .page(&citizen, "/services/birth-certificate/apply")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(CHILD), "the draft fills the form");

    // Continue checks each answer at its field and keeps what was typed all the same.
    partial.push(("answers[date_of_birth]".into(), "2099-01-01".into()));
    let (_, body) = post(&app, &citizen, "applications/continue", &partial).await;
    let problems = invalid(&body);
    assert!(problems.contains(&("date_of_birth".into(), "err_answer_date_future".into())));
    assert!(problems.contains(&("hospital_name".into(), "err_answer_required".into())));
    assert!(problems.contains(&("mother_name".into(), "err_answer_required".into())));
    let (_, data) = app
        .call(
            &citizen,
            "applications/form",
            &[("slug", "birth-certificate")],
        )
        .await;
    assert_eq!(
        data["answers"]["date_of_birth"], "2099-01-01",
        "nothing typed is lost"
    );

    // A document field cannot name a document the person's locker does not hold.
    partial.push(("answers[discharge_slip]".into(), "made-up-document".into()));
    let (_, body) = post(&app, &citizen, "applications/continue", &partial).await;
    assert!(invalid(&body).contains(&("hospital_name".into(), "err_answer_required".into())));

    // Born at home: no hospital, no slip; the answers check, then the application is filed.
    let number = apply_for_birth_certificate(&app, &citizen, CHILD).await;
    assert!(number.starts_with("AP-"), "{number}");
    let row: (String, time::Date, time::Date, i32, String, Option<uuid::Uuid>) = sqlx::query_as(
        "SELECT status, filed_on, due_on, form_version, fee_status, assignee_id FROM applications WHERE number = $1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (row.0.as_str(), row.3, row.4.as_str()),
        ("submitted", 1, "none")
    );
    // due seven working days on, by the city's calendar
    let calendar = store::calendar(&app.pool, (row.1.year(), row.1.month().into(), row.1.day()))
        .await
        .unwrap();
    let filed = (row.1.year(), u8::from(row.1.month()), row.1.day());
    let due = (row.2.year(), u8::from(row.2.month()), row.2.day());
    assert_eq!(calendar.add_working_days(filed, 7), due);
    assert_eq!(calendar.working_days_between(filed, due), 7);
    assert!(day_number(due) - day_number(filed) >= 7);
    // routed to the post that decides birth certificates
    let registrar: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(BMC_OFFICIAL)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(row.5, Some(registrar));

    // The same draft submitted again (a double tap, a retry) finds the same application.
    let (_, again) = app
        .call(
            &citizen,
            "applications/submit",
            &[
                ("slug", "birth-certificate"),
                ("token", &uuid::Uuid::nil().to_string()),
            ],
        )
        .await;
    assert!(invalid(&again).contains(&("form".into(), "err_form_changed".into())));
    let filed_count: i64 = sqlx::query_scalar("SELECT count(*) FROM applications")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(filed_count, 1);
    let token: uuid::Uuid =
        sqlx::query_scalar("SELECT draft_token FROM applications WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let (_, again) = app
        .call(
            &citizen,
            "applications/submit",
            &[("slug", "birth-certificate"), ("token", &token.to_string())],
        )
        .await;
    assert_eq!(again["Done"], number.as_str());
    let filed_count: i64 = sqlx::query_scalar("SELECT count(*) FROM applications")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(filed_count, 1, "filed exactly once");

    // The acknowledgement: the number and the day it must be decided by.
    let page = app
        .page(&citizen, &format!("/applications/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&number));
    assert!(
        page.contains(&format!("{:02}-{:02}-{}", due.2, due.1, due.0)),
        "the due date is stated"
    );
    let mine = app
        .page(&citizen, "/applications")
        .await
        .text()
        .await
        .unwrap();
    assert!(mine.contains(&number));
    // and the applicant was told, in their language
    let told: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE body LIKE '%' || $1 || '%'")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(told >= 1);
}

#[tokio::test]
async fn the_department_works_it_to_delivery_and_the_clock_stops_while_it_waits_on_the_applicant() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = apply_for_birth_certificate(&app, &citizen, CHILD).await;
    let official = app.signed_in(BMC_OFFICIAL).await;

    // It is in the official's queue, as an application.
    let (_, queue) = app
        .call(
            &official,
            "work/queue",
            &[("status", "application:submitted")],
        )
        .await;
    let rows = queue["rows"].as_array().unwrap();
    assert!(
        rows.iter().any(|r| r["reference"] == number.as_str()),
        "{queue}"
    );

    let step = |who: &reqwest::Client, action: &str, note: &str| {
        let (who, number, action, note) = (
            who.clone(),
            number.clone(),
            action.to_string(),
            note.to_string(),
        );
        let app = &app;
        async move {
            app.call(
                &who,
                "applications/step",
                &[("number", &number), ("action", &action), ("note", &note)],
            )
            .await
        }
    };
    // Asking for more must say what; the applicant cannot decide; nor can a colleague.
    let (_, body) = step(&official, "ask_for_more", "  ").await;
    assert_eq!(
        invalid(&body),
        vec![("note".into(), "err_note_required".into())]
    );
    let (status, _) = step(&citizen, "approve", "").await;
    assert_eq!(status, 403);
    let colleague = app.signed_in("9000000007").await;
    let (status, _) = step(&colleague, "verify", "").await;
    assert_eq!(
        status, 403,
        "only its assignee or the department's admin decides"
    );
    // Approving before verifying is not a step this application allows yet.
    let (_, body) = step(&official, "approve", "").await;
    assert_eq!(
        invalid(&body),
        vec![("form".into(), "err_step_not_open".into())]
    );

    let due_before: time::Date =
        sqlx::query_scalar("SELECT due_on FROM applications WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let (status, body) = step(
        &official,
        "ask_for_more",
        "Send the hospital's birth record",
    )
    .await;
    assert_eq!(
        (status, &body["Done"]),
        (200, &Value::from("awaiting_citizen"))
    );
    // the queue shows no due time while the clock stands still
    let due_at: Option<time::OffsetDateTime> =
        sqlx::query_scalar("SELECT due_at FROM work_items WHERE reference = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(due_at, None);
    let page = app
        .page(&citizen, &format!("/applications/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Send the hospital&#x27;s birth record")
            || page.contains("Send the hospital's birth record")
    );

    // Only the applicant answers.
    let stranger = register_citizen(&app, "9876501234").await;
    let (status, _) = step(&stranger, "answer", "Here it is").await;
    assert_eq!(status, 404, "another citizen does not learn it exists");
    let (_, body) = step(
        &citizen,
        "answer",
        "It was a home birth; the ASHA worker's note is attached",
    )
    .await;
    assert_eq!(body["Done"], "submitted");
    // Answered the same day: no working day was lost, the due date stands.
    let due_after: time::Date =
        sqlx::query_scalar("SELECT due_on FROM applications WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(due_after, due_before);

    for (action, state) in [
        ("verify", "verified"),
        ("approve", "approved"),
        ("deliver", "delivered"),
    ] {
        let (status, body) = step(&official, action, "").await;
        assert_eq!(
            (status, &body["Done"]),
            (200, &Value::from(state)),
            "{action}"
        );
    }
    // Every step is on the timeline, with who took it; the chain verifies.
    let (_, view) = app
        .call(&citizen, "applications/view", &[("number", &number)])
        .await;
    let steps: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        vec![
            "Applied",
            "The department asked for more",
            "The applicant answered",
            "Checked and verified",
            "Approved",
            "The certificate was issued",
            "Delivered"
        ]
    );
    assert_eq!(view["status"], "delivered");
    assert_eq!(
        view["steps"].as_array().unwrap().len(),
        0,
        "nothing left to do"
    );
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let entries: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM history h JOIN applications a ON a.id = h.subject_id
         WHERE h.subject = 'application' AND a.number = $1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(entries, 7);
}

#[tokio::test]
async fn only_the_applicant_and_the_department_see_an_application() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = apply_for_birth_certificate(&app, &citizen, CHILD).await;
    let view = |c: reqwest::Client| {
        let (app, number) = (&app, number.clone());
        async move {
            app.call(&c, "applications/view", &[("number", &number)])
                .await
                .0
        }
    };
    assert_eq!(view(citizen.clone()).await, 200);
    assert_eq!(view(app.signed_in(BMC_OFFICIAL).await).await, 200);
    assert_eq!(view(app.signed_in(BMC_ADMIN).await).await, 200);
    assert_eq!(view(app.signed_in(CITY_ADMIN).await).await, 200);
    assert_eq!(view(register_citizen(&app, "9876501235").await).await, 404);
    assert_eq!(
        view(app.signed_in("9000000005").await).await,
        404,
        "another department's official"
    );
    assert_eq!(view(client()).await, 401, "nobody signed in");
    // nor may anyone apply, keep or submit without signing in
    let (status, _) = app
        .call(
            &client(),
            "applications/keep",
            &[("slug", "birth-certificate")],
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = app.call(&client(), "applications/mine", &[]).await;
    assert_eq!(status, 401);
    // and an application's page names the applicant to the department, never to another citizen
    let (_, as_official) = app
        .call(
            &app.signed_in(BMC_OFFICIAL).await,
            "applications/view",
            &[("number", &number)],
        )
        .await;
    assert_eq!(as_official["applicant"], "Deepak Sahu");
}

#[tokio::test]
async fn answers_are_sealed_at_rest_kept_with_their_form_version_exported_and_erased_at_closure() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = apply_for_birth_certificate(&app, &citizen, CHILD).await;
    // a draft of another service, kept as typed
    let (status, _) = post(
        &app,
        &citizen,
        "applications/keep",
        &[
            ("slug".into(), "marriage-registration".into()),
            ("answers[groom_name]".into(), "Rakesh Jena".into()),
        ],
    )
    .await;
    assert_eq!(status, 200);

    // Nothing in the raw tables reads as what was typed.
    let raw: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT answers FROM applications UNION ALL SELECT answers FROM application_drafts",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(raw.len(), 2);
    for bytes in &raw {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("Subhashree") && !text.contains("Rakesh") && !text.contains("Saheed")
        );
    }

    // The department changes the form; the application still reads with the version it was filed with.
    let service: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM services WHERE slug = 'birth-certificate'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let (_, mut form) = store::current_form(&app.pool, service.into())
        .await
        .unwrap()
        .unwrap();
    form.fields[0].label.en = "Full name of the child".into();
    assert_eq!(
        store::save_form(&app.pool, service.into(), &form, None)
            .await
            .unwrap(),
        2
    );
    let (_, view) = app
        .call(&citizen, "applications/view", &[("number", &number)])
        .await;
    assert_eq!(view["form_version"], 1);
    assert_eq!(
        view["answers"][0],
        serde_json::json!(["Child's name", CHILD])
    );

    // "Download my data" holds the application with its answers and the draft.
    let export: Value = citizen
        .get(format!("{}/me/data.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let made = &export["applications"]["made"][0];
    assert_eq!(made["number"], number.as_str());
    assert_eq!(made["answers"]["child_name"], CHILD);
    assert_eq!(made["steps"][0]["step"], "filed");
    assert_eq!(
        export["applications"]["drafts"][0]["answers"]["groom_name"],
        "Rakesh Jena"
    );

    // Closing the account: the open application is kept for the department to finish, without
    // the person; the draft goes.
    let (status, body) = app
        .call(
            &citizen,
            "identity/close_account",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (applicant, answers): (Option<uuid::Uuid>, Option<Vec<u8>>) =
        sqlx::query_as("SELECT applicant_id, answers FROM applications WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(applicant, None);
    assert!(
        answers.is_some(),
        "open: kept while the department works it"
    );
    let drafts: i64 = sqlx::query_scalar("SELECT count(*) FROM application_drafts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(drafts, 0);
}

#[tokio::test]
async fn a_finished_application_keeps_no_answers_once_its_applicant_leaves() {
    let app = spawn_app().await;
    let citizen = register_citizen(&app, "9876501236").await;
    let number = apply_for_birth_certificate(&app, &citizen, CHILD).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let (_, body) = app
        .call(
            &official,
            "applications/step",
            &[
                ("number", &number),
                ("action", "reject"),
                ("note", "Born outside the city"),
            ],
        )
        .await;
    assert_eq!(body["Done"], "rejected");
    let (status, _) = app
        .call(
            &citizen,
            "identity/close_account",
            &[("password", "lotus harbour pencil drum")],
        )
        .await;
    assert_eq!(status, 200);
    let answers: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT answers FROM applications WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(answers, None);
    // the official still reads what happened, without the answers
    let (_, view) = app
        .call(&official, "applications/view", &[("number", &number)])
        .await;
    assert_eq!(view["answers"], Value::Null);
    assert_eq!(view["status"], "rejected");
}

#[tokio::test]
async fn a_trade_licence_costs_what_its_answers_say_and_a_document_must_come_from_the_locker() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let mut form: Vec<(String, String)> = [
        ("slug", "trade-licence-new"),
        ("answers[business_name]", "Maa Tarini Tailors"),
        ("answers[trade]", "tailoring"),
        ("answers[area_sq_m]", "30"),
        ("answers[rented]", "yes"),
        (
            "answers[owner_consent]",
            "9f0c7a52-0000-4000-8000-000000000000",
        ),
        ("answers[address]", "Shop 3, Unit 2 Market, Bhubaneswar"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // A rented shop needs the owner's consent from the locker: an id the locker does not hold is refused.
    let (_, body) = post(&app, &citizen, "applications/continue", &form).await;
    assert_eq!(
        invalid(&body),
        vec![("owner_consent".into(), "err_answer_document".into())]
    );
    // Owned: no consent asked, and what was answered for it is dropped.
    form[4].1 = "no".into();
    let (status, body) = post(&app, &citizen, "applications/continue", &form).await;
    assert_eq!((status, &body), (200, &serde_json::json!({"Done": null})));
    let (_, data) = app
        .call(
            &citizen,
            "applications/form",
            &[("slug", "trade-licence-new")],
        )
        .await;
    let fee = data["fee"].as_str().unwrap().to_string();
    let (status, body) = app
        .call(
            &citizen,
            "applications/submit",
            &[
                ("slug", "trade-licence-new"),
                ("token", data["token"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let number = body["Done"].as_str().unwrap();
    let (paise, fee_status): (i64, String) =
        sqlx::query_as("SELECT fee_paise, fee_status FROM applications WHERE number = $1")
            .bind(number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let (_, stored) = store::current_form(
        &app.pool,
        sqlx::query_scalar("SELECT id FROM services WHERE slug = 'trade-licence-new'")
            .fetch_one(&app.pool)
            .await
            .unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let answers: domain::applications::form::Answers = [
        ("business_name", "Maa Tarini Tailors"),
        ("trade", "tailoring"),
        ("area_sq_m", "30"),
        ("rented", "no"),
        ("address", "Shop 3, Unit 2 Market, Bhubaneswar"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let today = store::today_in_india(time::OffsetDateTime::now_utc());
    let expected = stored.fee(&stored.check(&answers, today).unwrap());
    assert!(expected.0 > 0);
    assert_eq!((paise, fee_status.as_str()), (expected.0, "due"));
    assert_eq!(
        fee,
        expected.to_string(),
        "the check page showed the same fee"
    );
    let (_, view) = app
        .call(&citizen, "applications/view", &[("number", number)])
        .await;
    let questions: Vec<&str> = view["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a[0].as_str().unwrap())
        .collect();
    assert!(
        !questions.contains(&"Owner's consent letter"),
        "{questions:?}"
    );
}

#[tokio::test]
async fn the_officer_is_reminded_once_before_an_application_falls_due() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = apply_for_birth_certificate(&app, &citizen, "Anwesha Pati").await;
    let now = time::OffsetDateTime::now_utc();
    // A week away: no reminder yet.
    assert_eq!(store::remind_due(&app.pool, now, 100).await.unwrap(), 0);
    // Due today: the registrar is told, once.
    let today = store::today_in_india(now);
    let date =
        time::Date::from_calendar_date(today.0, today.1.try_into().unwrap(), today.2).unwrap();
    sqlx::query("UPDATE applications SET due_on = $2 WHERE number = $1")
        .bind(&number)
        .bind(date)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(store::remind_due(&app.pool, now, 100).await.unwrap(), 1);
    assert_eq!(
        store::remind_due(&app.pool, now, 100).await.unwrap(),
        0,
        "once a due date"
    );
    let to_registrar: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications n JOIN users u ON n.recipient IN (u.mobile, u.email, u.id::text)
         WHERE u.mobile = $1 AND n.body LIKE '%' || $2 || '% is due by %'",
    )
    .bind(BMC_OFFICIAL)
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(to_registrar >= 1);
}

#[tokio::test]
async fn open_applications_follow_their_post_to_its_new_holder_and_are_handed_on_when_staff_leave()
{
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = apply_for_birth_certificate(&app, &citizen, "Madhusmita Rout").await;
    let id_of = |mobile: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE mobile = $1")
                .bind(mobile)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let assignee = || {
        let (pool, number) = (app.pool.clone(), number.clone());
        async move {
            sqlx::query_scalar::<_, Option<uuid::Uuid>>(
                "SELECT assignee_id FROM applications WHERE number = $1",
            )
            .bind(number)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(assignee().await, Some(id_of(BMC_OFFICIAL).await));
    // The Registrar's post passes to Farida Begum: the application goes with it.
    let (post, department): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT p.id, p.department_id FROM posts p WHERE p.title = 'Registrar, Births, Marriages and Licences'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let farida = id_of("9000000007").await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let (status, body) = app
        .call(
            &admin,
            "work/appoint",
            &[
                ("department", &department.to_string()),
                ("post", &post.to_string()),
                ("holder", &farida.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(assignee().await, Some(farida));
    // She leaves the department's staff: her open applications go to its admin, not stranded.
    let (status, _) = app
        .call(
            &admin,
            "admin/remove_staff",
            &[("user_id", &farida.to_string())],
        )
        .await;
    assert!(status == 200 || status == 302 || status == 303, "{status}");
    assert_eq!(assignee().await, Some(id_of(BMC_ADMIN).await));
    let (_, view) = app
        .call(&citizen, "applications/view", &[("number", &number)])
        .await;
    let whats: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        whats,
        vec![
            "Applied",
            "Given to another official",
            "Given to another official"
        ]
    );
}
