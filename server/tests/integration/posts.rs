//! Posts: grievances are routed to a post (categories in a jurisdiction) and whoever holds it;
//! when the post changes hands its open work follows, and a vacant post's work waits with the
//! department's admin until a successor takes it.

use crate::grievances::*;
use crate::helpers::*;
use serde_json::Value;

async fn department(app: &TestApp, code: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM departments WHERE code = $1")
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .to_string()
}

async fn post(app: &TestApp, title: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM posts WHERE title = $1")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .to_string()
}

/// Appoints a new member of staff as `admin`; returns their id.
async fn new_staff(
    app: &TestApp,
    admin: &reqwest::Client,
    mobile: &str,
    role: &str,
    dept: &str,
) -> uuid::Uuid {
    let (status, body) = app
        .call(
            admin,
            "admin/create_staff",
            &[
                ("name", "Ravi Mohanty"),
                ("mobile", mobile),
                ("email", ""),
                ("password", PASSWORD),
                ("role", role),
                ("department", dept),
            ],
        )
        .await;
    assert_eq!((status, body.get("Done").is_some()), (200, true), "{body}");
    user_id(app, mobile).await
}

async fn post_of(app: &TestApp, number: &str) -> Option<uuid::Uuid> {
    sqlx::query_scalar("SELECT post_id FROM grievances WHERE number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

const INSPECTOR: &str = "Sanitary Inspector, wards 1–10";

#[tokio::test]
async fn a_wards_own_post_comes_first_and_its_open_work_follows_it_to_a_successor() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let bmc = department(&app, "bmc").await;
    let inspector = post(&app, INSPECTOR).await;
    let farida = user_id(&app, WARD_SANITATION_OFFICIAL).await;
    let chitra = user_id(&app, BMC_OFFICIAL).await;
    let garbage = "garbage-not-collected";

    // ward 5 is the inspector's; ward 12 is the city-wide post's
    let in_5 = file(
        &app,
        &citizen,
        garbage,
        "5",
        "Garbage not collected for four days",
    )
    .await;
    let in_12 = file(
        &app,
        &citizen,
        garbage,
        "12",
        "Garbage not collected behind the market",
    )
    .await;
    assert_eq!(row(&app, &in_5).await.1, Some(farida));
    assert_eq!(
        post_of(&app, &in_5).await.map(|p| p.to_string()),
        Some(inspector.clone())
    );
    assert_eq!(row(&app, &in_12).await.1, Some(chitra));
    // one done, one escalated past the post: neither is the post's to hand on
    let done = file(
        &app,
        &citizen,
        garbage,
        "6",
        "Garbage heap near the school wall",
    )
    .await;
    let farida_client = app.signed_in(WARD_SANITATION_OFFICIAL).await;
    assert_eq!(
        step(&app, &farida_client, &done, "resolved", "Cleared")
            .await
            .0,
        200
    );
    let escalated = file(
        &app,
        &citizen,
        garbage,
        "7",
        "Garbage burning by the canal road",
    )
    .await;
    sqlx::query("UPDATE grievances SET level = 2 WHERE number = $1")
        .bind(&escalated)
        .execute(&app.pool)
        .await
        .unwrap();

    // Farida is transferred: her successor takes the post, and its open work with it
    let ravi = new_staff(&app, &admin, "9000000071", "official", &bmc).await;
    let appoint = |holder: String| {
        let (bmc, inspector) = (bmc.clone(), inspector.clone());
        let app = &app;
        let admin = &admin;
        async move {
            app.call(
                admin,
                "work/appoint",
                &[
                    ("department", &bmc),
                    ("post", &inspector),
                    ("holder", &holder),
                ],
            )
            .await
        }
    };
    let (status, body) = appoint(ravi.to_string()).await;
    assert_eq!((status, body["Done"].as_i64()), (200, Some(1)), "{body}");
    assert_eq!(row(&app, &in_5).await.1, Some(ravi));
    assert_eq!(
        row(&app, &done).await.1,
        Some(farida),
        "a resolved one stays"
    );
    assert_eq!(
        row(&app, &escalated).await.1,
        Some(farida),
        "an escalated one stays"
    );
    assert_eq!(
        row(&app, &in_12).await.1,
        Some(chitra),
        "another post's stays"
    );
    let page = app
        .page(&admin, &format!("/grievances/{in_5}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Reassigned") && page.contains("Ravi Mohanty"),
        "{page}"
    );
    // the next grievance in the post's wards is his
    let next = file(
        &app,
        &citizen,
        garbage,
        "3",
        "Overflowing garbage bin at the corner",
    )
    .await;
    assert_eq!(row(&app, &next).await.1, Some(ravi));

    // vacant: its work waits with the department's admin, still the post's...
    let bmc_admin = user_id(&app, BMC_ADMIN).await;
    let (status, body) = appoint("vacant".into()).await;
    assert_eq!((status, body["Done"].as_i64()), (200, Some(2)), "{body}");
    assert_eq!(row(&app, &in_5).await.1, Some(bmc_admin));
    let while_vacant = file(
        &app,
        &citizen,
        garbage,
        "4",
        "Garbage dumped on the footpath",
    )
    .await;
    assert_eq!(row(&app, &while_vacant).await.1, Some(bmc_admin));
    assert_eq!(
        post_of(&app, &while_vacant).await.map(|p| p.to_string()),
        Some(inspector.clone())
    );
    // ...until someone holds it again
    let (_, body) = appoint(farida.to_string()).await;
    assert_eq!(body["Done"].as_i64(), Some(3), "{body}");
    for n in [&in_5, &next, &while_vacant] {
        assert_eq!(row(&app, n).await.1, Some(farida), "{n}");
    }

    // a removed official's post falls vacant; the successor then takes its work
    let res = app
        .form_post(
            &admin,
            "admin/remove_staff",
            &[("user_id", &farida.to_string())],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let holder: Option<uuid::Uuid> =
        sqlx::query_scalar("SELECT holder_id FROM posts WHERE id = $1::uuid")
            .bind(&inspector)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(holder, None);
    assert_eq!(row(&app, &in_5).await.1, Some(bmc_admin));
    let (_, body) = appoint(ravi.to_string()).await;
    assert_eq!(body["Done"].as_i64(), Some(3), "{body}");
    assert_eq!(row(&app, &in_5).await.1, Some(ravi));

    // the new holder was told, and every chain still checks
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications n JOIN users u ON n.recipient IN (u.mobile, u.email)
         WHERE u.id = $1 AND n.body LIKE '%' || $2 || '%'",
    )
    .bind(ravi)
    .bind(&in_5)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(told >= 1);
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
    // the posts page says who holds what
    let page = app.page(&admin, "/admin/posts").await.text().await.unwrap();
    assert!(
        page.contains(INSPECTOR) && page.contains("Ravi Mohanty") && page.contains("1–10"),
        "{page}"
    );
}

#[tokio::test]
async fn a_post_is_made_with_its_wards_and_own_categories_and_each_mistake_is_named() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let bmc = department(&app, "bmc").await;
    let pothole = category(&app, "pothole").await;
    let no_water = category(&app, "no-water").await;
    let chitra = user_id(&app, BMC_OFFICIAL).await.to_string();
    let create = |title: &'static str, wards: &'static str, cat: String, holder: String| {
        let app = &app;
        let admin = &admin;
        let bmc = bmc.clone();
        async move {
            app.call(
                admin,
                "work/create_post",
                &[
                    ("department", bmc.as_str()),
                    ("title", title),
                    ("wards", wards),
                    ("categories[0]", cat.as_str()),
                    ("holder", holder.as_str()),
                ],
            )
            .await
        }
    };
    let fields = |b: &Value| invalid(b);
    let (_, body) = create(
        "Road Inspector, ward 20",
        "twenty",
        pothole.clone(),
        "vacant".into(),
    )
    .await;
    assert_eq!(
        fields(&body),
        vec![("wards".into(), "err_wards_invalid".into())]
    );
    let (_, body) = create(
        "Road Inspector, ward 20",
        "20",
        no_water.clone(),
        "vacant".into(),
    )
    .await;
    assert_eq!(
        fields(&body),
        vec![("categories".into(), "err_post_categories".into())],
        "WATCO's category"
    );
    let watco_official = user_id(&app, WATCO_OFFICIAL).await.to_string();
    let (_, body) = create(
        "Road Inspector, ward 20",
        "20",
        pothole.clone(),
        watco_official,
    )
    .await;
    assert_eq!(
        fields(&body),
        vec![("holder".into(), "err_reassign_target".into())]
    );
    let (status, body) = create(
        "Road Inspector, ward 20",
        "20",
        pothole.clone(),
        chitra.clone(),
    )
    .await;
    assert_eq!(
        (status, body["Done"].as_str()),
        (200, Some("Road Inspector, ward 20")),
        "{body}"
    );
    let (_, body) = create(
        "Road Inspector, ward 20",
        "21",
        pothole.clone(),
        "vacant".into(),
    )
    .await;
    assert_eq!(
        fields(&body),
        vec![("title".into(), "err_post_title_taken".into())]
    );
    // the one post made is in the admin's own chain
    let post: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM posts WHERE title = 'Road Inspector, ward 20'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        crate::grievance_admin::admin_acts(&app, BMC_ADMIN).await,
        vec![("post_created".to_string(), post.to_string())]
    );
    // a pothole in ward 20 is routed to the new post
    let number = file(
        &app,
        &citizen,
        "pothole",
        "20",
        "A deep pothole near the ward office",
    )
    .await;
    let routed: Option<String> = sqlx::query_scalar(
        "SELECT p.title FROM grievances g JOIN posts p ON p.id = g.post_id WHERE g.number = $1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(routed.as_deref(), Some("Road Inspector, ward 20"));
}

#[tokio::test]
async fn only_a_departments_admins_keep_its_posts() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let city = app.signed_in(CITY_ADMIN).await;
    let bmc = department(&app, "bmc").await;
    let watco = department(&app, "watco").await;
    let inspector = post(&app, INSPECTOR).await;
    let chitra = user_id(&app, BMC_OFFICIAL).await.to_string();
    let appoint = [
        ("department", bmc.as_str()),
        ("post", inspector.as_str()),
        ("holder", chitra.as_str()),
    ];
    let create = [
        ("department", bmc.as_str()),
        ("title", "Anything"),
        ("wards", ""),
        ("holder", "vacant"),
    ];
    for (who, expected) in [(&citizen, 403), (&official, 403), (&client(), 401)] {
        assert_eq!(app.call(who, "work/posts", &[]).await.0, expected);
        assert_eq!(app.call(who, "work/appoint", &appoint).await.0, expected);
        assert_eq!(app.call(who, "work/create_post", &create).await.0, expected);
    }
    // WATCO's admin: BMC is not theirs, whatever the form says; a BMC post is not in WATCO
    new_staff(&app, &city, "9000000072", "department_admin", &watco).await;
    let watco_admin = app.signed_in("9000000072").await;
    assert_eq!(
        app.call(&watco_admin, "work/appoint", &appoint).await.0,
        403
    );
    assert_eq!(
        app.call(&watco_admin, "work/create_post", &create).await.0,
        403
    );
    let through_own = [
        ("department", watco.as_str()),
        ("post", inspector.as_str()),
        ("holder", "vacant"),
    ];
    assert_eq!(
        app.call(&watco_admin, "work/appoint", &through_own).await.0,
        404
    );
    assert_eq!(
        app.call(&watco_admin, "work/posts", &[("department", &bmc)])
            .await
            .0,
        403
    );
    let (status, own) = app.call(&watco_admin, "work/posts", &[]).await;
    assert_eq!(
        (status, own["department"].as_str()),
        (200, Some(watco.as_str()))
    );
    // nothing moved
    let holder: Option<uuid::Uuid> =
        sqlx::query_scalar("SELECT holder_id FROM posts WHERE id = $1::uuid")
            .bind(&inspector)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(holder, Some(user_id(&app, WARD_SANITATION_OFFICIAL).await));
    // the city admin keeps any department's
    let (status, body) = app
        .call(&city, "work/posts", &[("department", &watco)])
        .await;
    assert_eq!(
        (status, body["department"].as_str()),
        (200, Some(watco.as_str()))
    );
}

#[tokio::test]
async fn a_filing_made_while_its_post_changes_hands_goes_to_the_new_holder() {
    let app = std::sync::Arc::new(spawn_app().await);
    let citizen = app.signed_in(CITIZEN).await;
    let inspector: uuid::Uuid = post(&app, INSPECTOR).await.parse().unwrap();
    let chitra = user_id(&app, BMC_OFFICIAL).await;
    let admin = user_id(&app, BMC_ADMIN).await;
    let bmc: uuid::Uuid = department(&app, "bmc").await.parse().unwrap();

    // A hand-over is under way: the post is held and has a new holder, not yet committed.
    let mut handover = app.pool.begin().await.unwrap();
    sqlx::query("SELECT holder_id FROM posts WHERE id = $1 FOR UPDATE")
        .bind(inspector)
        .execute(&mut *handover)
        .await
        .unwrap();
    sqlx::query("UPDATE posts SET holder_id = $2 WHERE id = $1")
        .bind(inspector)
        .bind(chitra)
        .execute(&mut *handover)
        .await
        .unwrap();
    // Meanwhile a citizen files in the post's ward: routing reads the old holder.
    let filing = {
        let (app, citizen) = (app.clone(), citizen.clone());
        tokio::spawn(async move {
            file(
                &app,
                &citizen,
                "garbage-not-collected",
                "5",
                "Garbage not collected for a week",
            )
            .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!filing.is_finished(), "the filing waits for the hand-over");
    // The hand-over moves the post's open work and ends.
    domain::grievances::store::follow_post(
        &mut handover,
        inspector.into(),
        bmc.into(),
        Some(chitra.into()),
        admin.into(),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    handover.commit().await.unwrap();

    let number = filing.await.unwrap();
    let assignee: Option<uuid::Uuid> =
        sqlx::query_scalar("SELECT assignee_id FROM grievances WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        assignee,
        Some(chitra),
        "not stranded with the post's old holder"
    );
    assert_eq!(post_of(&app, &number).await, Some(inspector));
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
}

const REGISTRAR: &str = "Registrar, Births, Marriages and Licences";

#[tokio::test]
async fn a_departments_admin_chooses_which_applications_a_post_decides_and_nobody_else_may() {
    let app = spawn_app().await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let city = app.signed_in(CITY_ADMIN).await;
    let bmc = department(&app, "bmc").await;
    let watco = department(&app, "watco").await;
    let service = |slug: &'static str| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM services WHERE slug = $1")
                .bind(slug)
                .fetch_one(&app.pool)
                .await
                .unwrap()
                .to_string()
        }
    };
    let (birth, water) = (
        service("birth-certificate").await,
        service("water-new-connection").await,
    );
    // a new post, held by a new registrar, takes births from the old Registrar
    let ravi = new_staff(&app, &admin, "9000000081", "official", &bmc).await;
    let category: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM grievance_categories WHERE department_id = $1::uuid ORDER BY position LIMIT 1",
    )
    .bind(&bmc)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let create = [
        ("department", bmc.as_str()),
        ("title", "Births Registrar"),
        ("wards", "40-45"),
        ("categories[0]", &category.to_string()),
        ("holder", &ravi.to_string()),
    ];
    let (status, body) = app.call(&admin, "work/create_post", &create).await;
    assert_eq!((status, body.get("Done").is_some()), (200, true), "{body}");
    let births = post(&app, "Births Registrar").await;
    let registrar = post(&app, REGISTRAR).await;

    let set = |who: reqwest::Client, post: String, services: Vec<String>| {
        let (app, bmc) = (&app, bmc.clone());
        async move {
            let mut form = vec![("department".to_string(), bmc), ("post".to_string(), post)];
            for (i, s) in services.into_iter().enumerate() {
                form.push((format!("services[{i}]"), s));
            }
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call(&who, "work/post_services", &pairs).await
        }
    };
    // nobody but the department's admins (a city admin too)
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    for (who, expected) in [(citizen, 403), (official, 403), (client(), 401)] {
        let (status, _) = set(who, births.clone(), vec![birth.clone()]).await;
        assert_eq!(status, expected);
    }
    new_staff(&app, &city, "9000000082", "department_admin", &watco).await;
    let watco_admin = app.signed_in("9000000082").await;
    assert_eq!(
        set(watco_admin, births.clone(), vec![birth.clone()])
            .await
            .0,
        403
    );
    // another department's service is not BMC's to route
    let (_, body) = set(admin.clone(), births.clone(), vec![water.clone()]).await;
    assert_eq!(
        invalid(&body),
        vec![("services".into(), "err_post_services".into())]
    );
    // the old Registrar gives births up; the new post takes them
    let keep: Vec<String> = sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT service_id FROM post_services WHERE post_id = $1::uuid AND service_id <> $2::uuid",
    )
    .bind(&registrar)
    .bind(&birth)
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|u| u.to_string())
    .collect();
    let (status, body) = set(admin.clone(), registrar.clone(), keep).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = set(city.clone(), births.clone(), vec![birth.clone()]).await;
    assert_eq!((status, body["Done"].as_i64()), (200, Some(1)), "{body}");
    let (_, page) = app.call(&admin, "work/posts", &[]).await;
    let row = page["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Births Registrar")
        .unwrap()
        .clone();
    assert_eq!(row["services"][0][0], birth.as_str());

    // a birth application now goes to the new registrar
    let citizen = app.signed_in(CITIZEN).await;
    let number =
        crate::applications::apply_for_birth_certificate(&app, &citizen, "Tapaswini Sahu").await;
    let assignee: Option<uuid::Uuid> =
        sqlx::query_scalar("SELECT assignee_id FROM applications WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(assignee, Some(ravi));
}
