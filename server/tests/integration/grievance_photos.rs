//! Photos with a grievance and with its resolution: checked, re-encoded, shown only to those who may see them.

use crate::grievances::*;
use crate::helpers::*;

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 60])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn photos_are_checked_by_content_reencoded_and_shown_only_to_those_who_may_see() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let cat = category(&app, "pothole").await;
    let form = [
        ("form[category]", cat.as_str()),
        ("form[description]", "A deep pothole near the bus stop"),
        ("form[ward]", "12"),
    ];
    // a web page named like a photo is refused at the photos field, the rest kept for a retry
    let (_, body) = app
        .multipart_with(
            &citizen,
            "grievances/file",
            &form,
            &[("hole.jpg", b"<html><script>alert(1)</script>".to_vec())],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("photos".to_string(), "err_photo_type".to_string())]
    );
    let four: Vec<(&str, Vec<u8>)> = (0..4).map(|_| ("p.png", png(20, 20))).collect();
    let (_, body) = app
        .multipart_with(&citizen, "grievances/file", &form, &four)
        .await;
    assert_eq!(
        invalid(&body),
        vec![("photos".to_string(), "err_too_many_photos".to_string())]
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM grievances")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);

    let (_, body) = app
        .multipart_with(
            &citizen,
            "grievances/file",
            &form,
            &[("hole.png", png(2400, 1800)), ("wide.png", png(300, 200))],
        )
        .await;
    let number = body["Done"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string();
    let (_, view) = app
        .call(&citizen, "grievances/view", &[("number", &number)])
        .await;
    let urls: Vec<String> = view["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect();
    assert_eq!(urls.len(), 2);
    let res = citizen
        .get(format!("{}{}", app.base, urls[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    // a shared phone's browser keeps no copy of a signed-in person's photo
    assert_eq!(res.headers()["cache-control"], "no-store");
    let jpeg = res.bytes().await.unwrap();
    assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF]);
    let stored = image::load_from_memory(&jpeg).unwrap();
    assert_eq!((stored.width(), stored.height()), (1600, 1200));
    // the filing's history entry names the photos by their hash
    let facts: String = sqlx::query_scalar(
        "SELECT h.facts->>'photos' FROM history h JOIN grievances g ON g.id = h.subject_id WHERE g.number = $1 AND h.seq = 1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        facts.len() == 64 * 2 + 1 && facts.matches(',').count() == 1,
        "{facts}"
    );
    // the official who must act sees them; another citizen and strangers do not
    let official = app.signed_in(BMC_OFFICIAL).await;
    assert_eq!(
        official
            .get(format!("{}{}", app.base, urls[1]))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    let other = register_citizen(&app, "9812345678").await;
    assert_eq!(
        other
            .get(format!("{}{}", app.base, urls[0]))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        client()
            .get(format!("{}{}", app.base, urls[0]))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
}

#[tokio::test]
async fn the_official_resolves_with_a_photo_of_the_work_done() {
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
    // only the one who must act may resolve
    let (status, _) = app
        .multipart_with(
            &citizen,
            "grievances/resolve",
            &[("number", &number), ("note", "done")],
            &[],
        )
        .await;
    assert_eq!(status, 403);
    let watco = app.signed_in(WATCO_OFFICIAL).await;
    let (status, _) = app
        .multipart_with(
            &watco,
            "grievances/resolve",
            &[("number", &number), ("note", "done")],
            &[],
        )
        .await;
    assert_eq!(status, 403);
    let official = app.signed_in(BMC_OFFICIAL).await;
    let (_, body) = app
        .multipart_with(
            &official,
            "grievances/resolve",
            &[("number", &number), ("note", "")],
            &[("after.png", png(640, 480))],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("note".to_string(), "err_note_required".to_string())]
    );
    let (_, body) = app
        .multipart_with(
            &official,
            "grievances/resolve",
            &[("number", &number), ("note", "Filled and rolled")],
            &[("after.png", png(640, 480))],
        )
        .await;
    assert_eq!(body["Done"], "resolved", "{body}");
    let (_, view) = app
        .call(&citizen, "grievances/view", &[("number", &number)])
        .await;
    let last = view["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "resolved");
    let url = last["photos"][0].as_str().unwrap().to_string();
    let res = citizen
        .get(format!("{}{url}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    // the photo is part of the resolution's history entry, and the chains still check
    let facts: String = sqlx::query_scalar(
        "SELECT h.facts->>'photos' FROM history h JOIN grievances g ON g.id = h.subject_id
         WHERE g.number = $1 AND h.kind = 'resolved'",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(facts.len(), 64, "one photo's SHA-256: {facts}");
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
}
