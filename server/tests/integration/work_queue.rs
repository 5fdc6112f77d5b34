//! The officials' work queue: items of every kind, paged, counted, filtered in the address,
//! ordered by priority; a department admin hands a selection on.

use crate::grievances::*;
use crate::helpers::*;
use serde_json::Value;

#[tokio::test]
async fn a_long_queue_is_paged_with_its_count_and_keeps_its_filters() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let (_, before) = app.call(&official, "work/queue", &[]).await;
    let before = before["total"].as_i64().unwrap();
    for i in 0..55 {
        file(
            &app,
            &citizen,
            "pothole",
            "12",
            &format!("A deep pothole near the bus stop, number {i}"),
        )
        .await;
    }
    let total = before + 55;
    let (status, first) = app.call(&official, "work/queue", &[]).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["total"].as_i64(), Some(total));
    assert_eq!(
        first["rows"].as_array().unwrap().len(),
        50,
        "a page holds 50"
    );
    let (_, second) = app.call(&official, "work/queue", &[("page", "2")]).await;
    let second_rows = second["rows"].as_array().unwrap();
    assert_eq!(
        second_rows.len() as i64,
        total - 50,
        "the rest are on page two"
    );
    // no item is on both pages, none is lost between them
    let numbers = |v: &Value| -> Vec<String> {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reference"].as_str().unwrap().to_string())
            .collect()
    };
    let mut all = numbers(&first);
    all.extend(numbers(&second));
    all.sort();
    all.dedup();
    assert_eq!(all.len() as i64, total);
    // past the end (a bookmark, items resolved meanwhile): the last page, not an empty one
    let (_, beyond) = app.call(&official, "work/queue", &[("page", "9")]).await;
    assert_eq!(beyond["page"].as_i64(), Some(2));
    assert_eq!(numbers(&beyond), numbers(&second));
    assert_eq!(beyond["total"].as_i64(), Some(total));
    // a filter narrows the count too, and is kept for the page links
    let (_, ward_5) = app.call(&official, "work/queue", &[("ward", "5")]).await;
    assert!(ward_5["total"].as_i64().unwrap() < total);
    assert_eq!(ward_5["filters"]["ward"], 5);
    // the page shows the count and a link to the next page with the same filters
    let html = official
        .get(format!("{}/work?ward=12", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Showing 1–50 of"), "{html}");
    assert!(
        html.contains("href=\"/work?ward=12&amp;page=2\"")
            || html.contains("href=\"/work?ward=12&page=2\""),
        "{html}"
    );
}

#[tokio::test]
async fn a_department_admin_gives_a_selection_to_another_official_and_nobody_else_may() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let a = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    let b = file(
        &app,
        &citizen,
        "pothole",
        "14",
        "Another pothole by the temple gate",
    )
    .await;
    let farida: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE mobile = '9000000007'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let farida = farida.to_string();

    // the department's queue offers her, and the cards can be selected
    let (_, queue) = app
        .call(&admin, "work/queue", &[("scope", "department")])
        .await;
    assert!(queue["reassign_to"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == farida.as_str()));
    let (item_a, item_b) = (format!("grievance:{a}"), format!("grievance:{b}"));
    let form = [
        ("ids[0]", item_a.as_str()),
        ("ids[3]", item_b.as_str()),
        ("to", farida.as_str()),
    ];

    // an official may not, nor a citizen, nor anyone signed out
    assert_eq!(app.call(&official, "work/reassign", &form).await.0, 403);
    assert_eq!(app.call(&citizen, "work/reassign", &form).await.0, 403);
    assert_eq!(app.call(&client(), "work/reassign", &form).await.0, 401);
    // another department's admin may not either: WATCO's grievance is not BMC's to give
    let watco = file(
        &app,
        &citizen,
        "no-water",
        "12",
        "No water since Monday morning",
    )
    .await;
    let item_watco = format!("grievance:{watco}");
    let mixed = [
        ("ids[0]", item_a.as_str()),
        ("ids[1]", item_watco.as_str()),
        ("to", farida.as_str()),
    ];
    assert_eq!(app.call(&admin, "work/reassign", &mixed).await.0, 403);
    // nor give it to someone outside the department
    let outsider = [
        ("ids[0]", item_a.as_str()),
        ("to", "00000000-0000-0000-0000-000000000000"),
    ];
    let (_, body) = app.call(&admin, "work/reassign", &outsider).await;
    assert_eq!(
        invalid(&body),
        vec![("to".into(), "err_reassign_target".into())]
    );
    for n in [&a, &b] {
        assert_ne!(
            row(&app, n).await.1.map(|u| u.to_string()),
            Some(farida.clone())
        );
    }

    let (status, body) = app.call(&admin, "work/reassign", &form).await;
    assert_eq!((status, body["Done"].as_i64()), (200, Some(2)), "{body}");
    for n in [&a, &b] {
        assert_eq!(
            row(&app, n).await.1.map(|u| u.to_string()),
            Some(farida.clone())
        );
        let page = app
            .page(&admin, &format!("/grievances/{n}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Reassigned") && page.contains("Farida Begum"),
            "{n}: {page}"
        );
    }
    // she is told, and the history still checks
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications n JOIN users u ON n.recipient IN (u.mobile, u.email)
         WHERE u.id = $1::uuid AND n.body LIKE '%' || $2 || '%'",
    )
    .bind(&farida)
    .bind(&a)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
    // given again to the one who has it: nothing moves
    let (_, body) = app.call(&admin, "work/reassign", &form).await;
    assert_eq!(body["Done"].as_i64(), Some(0));
}

#[tokio::test]
async fn a_removed_officials_open_grievances_go_to_the_department_admin_not_stranded() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let open = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    let done = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "Another pothole by the temple gate",
    )
    .await;
    step(&app, &official, &done, "resolved", "Filled").await;
    let (official_id, admin_id): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT (SELECT id FROM users WHERE mobile = $1), (SELECT id FROM users WHERE mobile = $2)",
    )
    .bind(BMC_OFFICIAL)
    .bind(BMC_ADMIN)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(row(&app, &open).await.1, Some(official_id));

    let res = app
        .form_post(
            &admin,
            "admin/remove_staff",
            &[("user_id", &official_id.to_string())],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    // the open one is the admin's now, with its history saying so; the resolved one stays
    assert_eq!(row(&app, &open).await.1, Some(admin_id));
    assert_eq!(row(&app, &done).await.1, Some(official_id));
    let page = app
        .page(&admin, &format!("/grievances/{open}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Reassigned"));
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
}

#[tokio::test]
async fn items_say_their_kind_and_rank_by_the_me_too_rule() {
    use domain::grievances::me_too::Priority;
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let mut filed = Vec::new();
    // joined by 0, 2, 3, 9 and 10 people: either side of each threshold
    for (i, joined) in [0, 2, 3, 9, 10].into_iter().enumerate() {
        let text = format!("A deep pothole near the bus stop, number {i}");
        let number = file(&app, &citizen, "pothole", "12", &text).await;
        sqlx::query("UPDATE grievances SET me_too_count = $2 WHERE number = $1")
            .bind(&number)
            .bind(joined)
            .execute(&app.pool)
            .await
            .unwrap();
        filed.push((number, joined));
    }
    let (status, queue) = app.call(&official, "work/queue", &[("ward", "12")]).await;
    assert_eq!(status, 200, "{queue}");
    let rows = queue["rows"].as_array().unwrap();
    let at = |n: &str| rows.iter().position(|r| r["reference"] == n).unwrap();
    for (number, joined) in &filed {
        let r = &rows[at(number)];
        assert_eq!(r["kind"], "Grievance");
        assert_eq!(r["item"], format!("grievance:{number}"));
        assert_eq!(r["link"], format!("/grievances/{number}"));
        assert_eq!(
            r["priority"],
            serde_json::to_value(Priority::of(*joined)).unwrap(),
            "joined by {joined}"
        );
    }
    // urgent, then high (3 and 9 joined: the same priority, nearest deadline first), then the rest
    let order: Vec<usize> = filed.iter().map(|(n, _)| at(n)).collect();
    assert!(order[4] < order[2].min(order[3]), "{order:?}");
    assert!(order[2].max(order[3]) < order[0].min(order[1]), "{order:?}");
    // a state filter keeps to that state; an unknown one is dropped, not guessed
    let (_, assigned) = app
        .call(
            &official,
            "work/queue",
            &[("status", "assigned"), ("ward", "12")],
        )
        .await;
    assert_eq!(assigned["filters"]["status"], "assigned");
    assert!(assigned["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["state"] == "assigned"));
    let (_, unknown) = app
        .call(&official, "work/queue", &[("status", "approved")])
        .await;
    assert_eq!(unknown["filters"]["status"], serde_json::Value::Null);
}
