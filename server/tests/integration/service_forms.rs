//! Service forms in Postgres: the demo services have theirs, a saved change is a new version, the
//! version an application was filed with still reads as it was, a badly made form is refused,
//! and the save is an admin act in the admin's own chain.

use crate::helpers::*;
use domain::applications::form::{Answers, FieldKind, Form};
use domain::applications::store;
use domain::money::Paise;

async fn service(app: &TestApp, slug: &str) -> uuid::Uuid {
    sqlx::query_scalar("SELECT id FROM services WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_five_demo_services_have_well_made_forms_as_their_first_version() {
    let app = spawn_app().await;
    let demo = server::seed::forms::demo_forms();
    assert_eq!(demo.len(), 5);
    for (slug, form) in demo {
        assert_eq!(form.problems(), vec![], "{slug}");
        let (version, stored) = store::current_form(&app.pool, (service(&app, slug).await).into())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{slug} has no form"));
        assert_eq!((version, stored), (1, form), "{slug}");
    }
}

#[tokio::test]
async fn a_saved_change_is_a_new_version_and_the_old_one_still_reads() {
    let app = spawn_app().await;
    let trade = service(&app, "trade-licence-new").await;
    let admin = sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE mobile = $1")
        .bind(BMC_ADMIN)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (_, first) = store::current_form(&app.pool, trade.into())
        .await
        .unwrap()
        .unwrap();
    let mut second = first.clone();
    second.working_days = 10;
    if let FieldKind::Number { max, .. } = &mut second.fields[2].kind {
        *max = 500;
    }
    assert_eq!(
        store::save_form(&app.pool, trade.into(), &second, Some(admin.into()))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store::current_form(&app.pool, trade.into()).await.unwrap(),
        Some((2, second.clone()))
    );
    assert_eq!(
        store::form_version(&app.pool, trade.into(), 1)
            .await
            .unwrap(),
        Some(first.clone())
    );
    // the save is in the admin's own chain, naming the service
    let acts = crate::grievance_admin::admin_acts(&app, BMC_ADMIN).await;
    assert_eq!(acts, vec![("form_saved".to_string(), trade.to_string())]);

    // A badly made form is refused, each mistake named, and no version is written.
    let mut bad: Form = second.clone();
    bad.fields[1].key = "business_name".into();
    let refused = store::save_form(&app.pool, trade.into(), &bad, Some(admin.into())).await;
    match refused {
        Err(domain::problem::Problem::Invalid(fields)) => {
            assert!(fields
                .iter()
                .any(|f| f.field == "field-2" && f.code == "err_field_key_taken"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store::current_form(&app.pool, trade.into())
            .await
            .unwrap()
            .map(|(v, _)| v),
        Some(2)
    );
}

#[tokio::test]
async fn the_trade_licence_asks_and_charges_by_the_answers() {
    let app = spawn_app().await;
    let trade = service(&app, "trade-licence-new").await;
    let (_, form) = store::current_form(&app.pool, trade.into())
        .await
        .unwrap()
        .unwrap();
    let answers: Answers = [
        ("business_name", "Maa Tarini Tiffin"),
        ("trade", "eatery"),
        ("area_sq_m", "30"),
        ("fssai", "doc-1"),
        ("rented", "no"),
        ("address", "Plot 4, Saheed Nagar"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let checked = form.check(&answers, (2026, 11, 30)).unwrap();
    // ₹1,000 the licence, ₹1,000 more for an eatery, ₹10 a square metre past 20
    assert_eq!(form.fee(&checked), Paise(210_000));
    let mut rented = answers.clone();
    rented.insert("rented".into(), "yes".into());
    let problems = form.check(&rented, (2026, 11, 30)).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].field.as_str(), problems[0].code.as_str()),
        ("owner_consent", "err_answer_required")
    );
}

#[tokio::test]
async fn a_time_limit_counts_the_working_days_of_the_city_calendar() {
    let app = spawn_app().await;
    let this_year = time::OffsetDateTime::now_utc().year();
    // The demo calendar keeps Christmas: fifteen working days from 20 December skip it, the
    // Sundays and the New Year's second Saturday.
    let calendar = store::calendar(&app.pool, (this_year, 12, 20))
        .await
        .unwrap();
    assert!(calendar.holidays.contains(&(this_year, 12, 25)));
    assert!(calendar.holidays.contains(&(this_year + 1, 1, 26)));
    let due = calendar.add_working_days((this_year, 12, 20), 15);
    assert_eq!(calendar.working_days_between((this_year, 12, 20), due), 15);
    assert!(calendar.is_working(due));
    assert!(!calendar.is_working((this_year, 12, 25)));

    // A city admin keeps a new holiday: the calendar counts it, and the act is in their chain.
    let admin = sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE mobile = $1")
        .bind(CITY_ADMIN)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let before = calendar.add_working_days((this_year + 1, 3, 1), 5);
    let holi = domain::applications::form::Words {
        en: "Holi".into(),
        or: "ହୋଲି".into(),
        hi: "होली".into(),
    };
    let first_working = calendar.add_working_days((this_year + 1, 3, 1), 1);
    let (y, m, d) = first_working;
    store::keep_holiday(
        &app.pool,
        &format!("{y:04}-{m:02}-{d:02}"),
        &holi,
        Some(admin.into()),
    )
    .await
    .unwrap();
    let calendar = store::calendar(&app.pool, (this_year + 1, 3, 1))
        .await
        .unwrap();
    let after = calendar.add_working_days((this_year + 1, 3, 1), 5);
    assert!(after > before, "{before:?} {after:?}");
    assert!(!calendar.is_working(first_working));
    let acts = crate::grievance_admin::admin_acts(&app, CITY_ADMIN).await;
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0].0, "holiday_kept");
    // A day that is not one, or a holiday without a name, is refused at its field.
    assert!(matches!(
        store::keep_holiday(&app.pool, &format!("{this_year}-02-30"), &holi, Some(admin.into())).await,
        Err(domain::problem::Problem::Invalid(f)) if f[0].field == "day"
    ));
    let unnamed = domain::applications::form::Words::en(" ");
    assert!(matches!(
        store::keep_holiday(&app.pool, &format!("{this_year}-03-03"), &unnamed, Some(admin.into())).await,
        Err(domain::problem::Problem::Invalid(f)) if f[0].field == "name_en"
    ));
}

#[tokio::test]
async fn only_a_city_admin_keeps_the_holidays_and_a_wrong_day_is_named() {
    let app = spawn_app().await;
    let this_year = time::OffsetDateTime::now_utc().year();
    let next_year = (this_year + 1).to_string();
    let day = format!("{next_year}-03-04");
    let form = [
        ("day", day.as_str()),
        ("name_en", "Holi"),
        ("name_or", "ହୋଲି"),
        ("name_hi", "होली"),
    ];
    // anybody else is refused, before anything is kept
    assert_eq!(
        app.call(&client(), "admin/keep_holiday", &form).await.0,
        401
    );
    assert_eq!(app.call(&client(), "admin/holidays", &[]).await.0, 401);
    for who in [CITIZEN, BMC_OFFICIAL, BMC_ADMIN] {
        let c = app.signed_in(who).await;
        assert_eq!(
            app.call(&c, "admin/keep_holiday", &form).await.0,
            403,
            "{who}"
        );
        assert_eq!(app.call(&c, "admin/holidays", &[]).await.0, 403, "{who}");
    }
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM holidays WHERE name_en = 'Holi'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0);

    let city = app.signed_in(CITY_ADMIN).await;
    let (_, body) = app
        .call(
            &city,
            "admin/keep_holiday",
            &[
                ("day", "30-02-2027"),
                ("name_en", "Holi"),
                ("name_or", ""),
                ("name_hi", ""),
            ],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("day".to_string(), "err_answer_not_a_date".to_string())]
    );
    let (status, body) = app.call(&city, "admin/keep_holiday", &form).await;
    assert_eq!(
        (status, body["Done"].as_str()),
        (200, Some(day.as_str())),
        "{body}"
    );
    let (status, list) = app.call(&city, "admin/holidays", &[]).await;
    assert_eq!(status, 200);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|h| h["day"] == day.as_str() && h["name"] == "Holi"),
        "{list}"
    );
    // the page lists it too
    let page = app
        .page(&city, "/admin/holidays")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Holi") && page.contains(&day), "{page}");
}

/// The editor's inputs for a form as the page shows it (`fields[i][…]`, `fee[…]`), to post back.
fn editor_post(data: &serde_json::Value) -> Vec<(String, String)> {
    let mut post = vec![(
        "slug".to_string(),
        data["slug"].as_str().unwrap().to_string(),
    )];
    for (i, row) in data["rows"].as_array().unwrap().iter().enumerate() {
        for (k, v) in row.as_object().unwrap() {
            if let Some(v) = v.as_str() {
                post.push((format!("fields[{i}][{k}]"), v.to_string()));
            }
        }
    }
    for (k, v) in data["fee"].as_object().unwrap() {
        post.push((format!("fee[{k}]"), v.as_str().unwrap().to_string()));
    }
    post
}

fn set(post: &mut [(String, String)], name: &str, value: &str) {
    post.iter_mut().find(|(k, _)| k == name).unwrap().1 = value.to_string();
}

#[tokio::test]
async fn a_department_admin_edits_a_form_in_the_app_and_a_new_version_is_what_people_answer() {
    let app = spawn_app().await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let (status, data) = app
        .call(
            &admin,
            "admin/service_form",
            &[("slug", "trade-licence-new")],
        )
        .await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(data["version"], 1);
    let mut post = editor_post(&data);
    let blank = data["rows"].as_array().unwrap().len() - 1;
    // a new question in the blank row, a label changed, one taken out, the time limit changed
    set(&mut post, &format!("fields[{blank}][key]"), "gst_number");
    set(
        &mut post,
        &format!("fields[{blank}][label_en]"),
        "GST number",
    );
    set(&mut post, &format!("fields[{blank}][kind]"), "text");
    set(&mut post, &format!("fields[{blank}][max_chars]"), "15");
    set(&mut post, "fields[0][label_en]", "Name of the shop");
    post.push(("fields[2][remove]".into(), "on".into()));
    set(&mut post, "fee[working_days]", "10");
    let pairs: Vec<(&str, &str)> = post.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = app.call(&admin, "admin/save_service_form", &pairs).await;
    // the area question was taken out, but the fee's rule still reads it: named, nothing saved
    assert_eq!(status, 200, "{body}");
    assert!(
        invalid(&body).contains(&("fee-2".into(), "err_fee_rule_invalid".into())),
        "{body}"
    );
    let service: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM services WHERE slug = 'trade-licence-new'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        store::current_form(&app.pool, service.into())
            .await
            .unwrap()
            .unwrap()
            .0,
        1
    );

    // Keep the area question: saved as version 2.
    post.retain(|(k, _)| k != "fields[2][remove]");
    let pairs: Vec<(&str, &str)> = post.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (_, body) = app.call(&admin, "admin/save_service_form", &pairs).await;
    assert_eq!(body["Done"], 2, "{body}");
    let (version, form) = store::current_form(&app.pool, service.into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((version, form.working_days), (2, 10));
    assert_eq!(form.fields[0].label.en, "Name of the shop");
    assert_eq!(form.fields.last().unwrap().key, "gst_number");
    // People apply with the new version.
    let citizen = app.signed_in(CITIZEN).await;
    let page = app
        .page(&citizen, "/services/trade-licence-new/apply")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Name of the shop") && page.contains("GST number"));
    // The save is in the admin's chain.
    let acts = crate::grievance_admin::admin_acts(&app, BMC_ADMIN).await;
    assert!(acts.contains(&("form_saved".to_string(), service.to_string())));

    // A mistake is named at its question, as the page numbers it.
    set(&mut post, "fields[1][options]", "only | One choice");
    let pairs: Vec<(&str, &str)> = post.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (_, body) = app.call(&admin, "admin/save_service_form", &pairs).await;
    assert!(
        invalid(&body).contains(&("field-2".into(), "err_field_options_invalid".into())),
        "{body}"
    );
}

#[tokio::test]
async fn only_the_service_s_department_admin_or_a_city_admin_edits_its_form() {
    let app = spawn_app().await;
    for (who, expected) in [
        (BMC_OFFICIAL, 403),
        (CITIZEN, 403),
        (BMC_ADMIN, 200),
        (CITY_ADMIN, 200),
    ] {
        let c = app.signed_in(who).await;
        let (status, _) = app
            .call(&c, "admin/service_form", &[("slug", "trade-licence-new")])
            .await;
        assert_eq!(status, expected, "{who}");
    }
    // BMC's admin does not keep WATCO's services
    let bmc = app.signed_in(BMC_ADMIN).await;
    let (status, _) = app
        .call(
            &bmc,
            "admin/service_form",
            &[("slug", "water-new-connection")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .call(
            &bmc,
            "admin/save_service_form",
            &[("slug", "water-new-connection"), ("fee[working_days]", "3")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .call(
            &client(),
            "admin/save_service_form",
            &[("slug", "trade-licence-new")],
        )
        .await;
    assert_eq!(status, 401);
}
