use crate::helpers::*;
use domain::catalogue::search;
use domain::Locale;

async fn top(app: &TestApp, q: &str, l: Locale) -> String {
    let found = search(&app.pool, q, l, 10).await.unwrap();
    found
        .first()
        .map(|s| s.slug.clone())
        .unwrap_or_else(|| format!("nothing for {q:?}"))
}

#[tokio::test]
async fn search_finds_services_by_name_synonym_typo_and_language() {
    let app = spawn_app().await;
    let cases = [
        ("water bill", "water-bill-payment"),
        ("light bill", "electricity-bill-payment"),
        ("light bil", "electricity-bill-payment"),
        ("bijli bill", "electricity-bill-payment"),
        ("elecricity bil", "electricity-bill-payment"),
        ("birth certifcate", "birth-certificate"),
        ("house tax", "holding-tax-payment"),
        ("shop license", "trade-licence-new"),
        ("marriage hall", "kalyan-mandap-booking"),
        ("ଜଳ ବିଲ୍", "water-bill-payment"),
        ("ଜନ୍ମ ପ୍ରମାଣପତ୍ର", "birth-certificate"),
        ("पानी का बिल", "water-bill-payment"),
        ("बिजली बिल", "electricity-bill-payment"),
    ];
    for (q, expected) in cases {
        assert_eq!(top(&app, q, Locale::En).await, expected, "query {q:?}");
    }
    assert!(search(&app.pool, "zzqx", Locale::En, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(search(&app.pool, "   ", Locale::En, 10)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn results_and_pages_speak_the_asked_language_with_english_as_fallback() {
    let app = spawn_app().await;
    let found = search(&app.pool, "water bill", Locale::Or, 1)
        .await
        .unwrap();
    assert_eq!(found[0].name, "ଜଳ ବିଲ୍ ପେମେଣ୍ଟ");
    // No Odia summary was written: the English one stands in.
    assert!(found[0].summary.starts_with("Look up your WATCO"));
}

#[tokio::test]
async fn service_pages_are_server_rendered_with_their_own_title() {
    let app = spawn_app().await;
    let res = client()
        .get(format!("{}/services/water-bill-payment", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<title>Water bill payment · Nagarik</title>"),
        "title in {}",
        &html[..html.len().min(2000)]
    );
    assert!(html.contains("Consumer number"));
    let res = client()
        .get(format!("{}/services/no-such-service", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    let html = client()
        .get(format!("{}/search?q=light+bill", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("/services/electricity-bill-payment"));
    for path in [
        "/departments",
        "/departments/bmc",
        "/categories/certificates",
        "/life-events/new-baby",
    ] {
        let res = client()
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{path}");
    }
    let html = client()
        .get(format!("{}/life-events/new-baby", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("/services/birth-certificate"));
}

#[tokio::test]
async fn every_answer_names_its_request_for_the_logs() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    for path in ["/", "/healthz", "/services?q=water"] {
        let res = client()
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        let id = res
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(String::from)
            .unwrap_or_default();
        assert_eq!(id.len(), 36, "{path} carries a request id: {id:?}");
        assert!(!seen.contains(&id), "each request has its own id");
        seen.push(id);
    }
}
