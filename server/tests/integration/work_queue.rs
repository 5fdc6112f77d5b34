//! The officials' work queue: paged, counted, filtered in the address.

use crate::grievances::*;
use crate::helpers::*;
use serde_json::Value;

#[tokio::test]
async fn a_long_queue_is_paged_with_its_count_and_keeps_its_filters() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let (_, before) = app.call(&official, "grievances/queue", &[]).await;
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
    let (status, first) = app.call(&official, "grievances/queue", &[]).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["total"].as_i64(), Some(total));
    assert_eq!(
        first["rows"].as_array().unwrap().len(),
        50,
        "a page holds 50"
    );
    let (_, second) = app
        .call(&official, "grievances/queue", &[("page", "2")])
        .await;
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
            .map(|r| r["number"].as_str().unwrap().to_string())
            .collect()
    };
    let mut all = numbers(&first);
    all.extend(numbers(&second));
    all.sort();
    all.dedup();
    assert_eq!(all.len() as i64, total);
    // past the end (a bookmark, items resolved meanwhile): the last page, not an empty one
    let (_, beyond) = app
        .call(&official, "grievances/queue", &[("page", "9")])
        .await;
    assert_eq!(beyond["page"].as_i64(), Some(2));
    assert_eq!(numbers(&beyond), numbers(&second));
    assert_eq!(beyond["total"].as_i64(), Some(total));
    // a filter narrows the count too, and is kept for the page links
    let (_, ward_5) = app
        .call(&official, "grievances/queue", &[("ward", "5")])
        .await;
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
