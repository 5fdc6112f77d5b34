//! Open311 GeoReport v2: every method in XML and JSON, with the spec's errors.

use crate::grievances::{file, step};
use crate::helpers::*;
use serde_json::Value;

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let res = client()
        .get(format!("{}/open311/v2/{path}", app.base))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, res.text().await.unwrap())
}

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let res = client()
        .post(format!("{}/open311/v2/{path}", app.base))
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn key(app: &TestApp, channel: &str) -> String {
    domain::grievances::intake::issue_key(&app.pool, channel, "311 app", None)
        .await
        .unwrap()
        .1
}

#[tokio::test]
async fn discovery_services_and_definitions_in_both_formats() {
    let app = spawn_app().await;
    let (status, ct, xml) = get(&app, "discovery.xml").await;
    assert_eq!((status, ct.as_str()), (200, "text/xml; charset=utf-8"));
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><discovery>"),
        "{xml}"
    );
    assert!(xml.contains("<specification>http://wiki.open311.org/GeoReport_v2</specification>"));
    assert!(xml
        .contains("<formats><format>text/xml</format><format>application/json</format></formats>"));
    let (_, ct, json) = get(&app, "discovery.json").await;
    assert_eq!(ct, "application/json; charset=utf-8");
    let d: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(d["endpoints"][0]["formats"][1], "application/json");
    assert_eq!(d["endpoints"][0]["type"], "production");

    let (_, _, xml) = get(&app, "services.xml").await;
    assert!(xml.contains("<services><service><service_code>"), "{xml}");
    assert!(xml.contains(
        "<service_code>pothole</service_code><service_name>Pothole or damaged road</service_name>"
    ));
    assert!(xml.contains("<metadata>true</metadata><type>realtime</type>"));
    let (_, _, json) = get(&app, "services.json").await;
    let services: Value = serde_json::from_str(&json).unwrap();
    let pothole = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_code"] == "pothole")
        .unwrap();
    assert_eq!(pothole["group"], "Roads and footpaths");
    assert_eq!(pothole["metadata"], true);
    // only leaves are services
    assert!(!services
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["service_code"] == "roads"));

    let (status, _, xml) = get(&app, "services/pothole.xml").await;
    assert_eq!(status, 200);
    assert!(xml.contains("<service_definition><service_code>pothole</service_code><attributes><attribute><variable>true</variable><code>ward</code><datatype>singlevaluelist</datatype>"), "{xml}");
    assert!(xml.contains("<values><value><key>1</key><name>Ward 1 — Patia</name></value>"));
    let (_, _, json) = get(&app, "services/pothole.json").await;
    let def: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(def["attributes"][1]["code"], "landmark");
    assert_eq!(def["attributes"][0]["values"].as_array().unwrap().len(), 67);

    let (status, _, xml) = get(&app, "services/unicorns.xml").await;
    assert_eq!(status, 404);
    assert!(xml.contains("<errors><error><code>404</code><description>service_code not found</description></error></errors>"), "{xml}");
    let (status, _, json) = get(&app, "services/unicorns.json").await;
    let errors: Value = serde_json::from_str(&json).unwrap();
    assert_eq!((status, errors[0]["code"].as_i64()), (404, Some(404)));
    let (status, _, _) = get(&app, "services.html").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn posting_a_request_needs_a_key_a_service_and_a_place() {
    let app = spawn_app().await;
    let k = key(&app, "open311").await;
    let (status, body) = post(
        &app,
        "requests.json",
        &[
            ("service_code", "pothole"),
            ("lat", "20.29"),
            ("long", "85.82"),
        ],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let errors: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(errors[0]["code"], 403);
    // a key for another channel is no key here
    let sms = key(&app, "sms").await;
    let (status, _) = post(
        &app,
        "requests.xml",
        &[
            ("api_key", &sms),
            ("service_code", "pothole"),
            ("lat", "20.29"),
            ("long", "85.82"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = post(
        &app,
        "requests.xml",
        &[("api_key", &k), ("lat", "20.29"), ("long", "85.82")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("<description>service_code was not provided</description>"),
        "{body}"
    );
    let (status, _) = post(
        &app,
        "requests.xml",
        &[
            ("api_key", &k),
            ("service_code", "unicorns"),
            ("lat", "20.29"),
            ("long", "85.82"),
        ],
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = post(
        &app,
        "requests.xml",
        &[
            ("api_key", &k),
            ("service_code", "pothole"),
            ("description", "Big hole in the road"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("a location is required"), "{body}");
    let (status, _) = post(
        &app,
        "requests.xml",
        &[
            ("api_key", &k),
            ("service_code", "pothole"),
            ("lat", "20.29"),
        ],
    )
    .await;
    assert_eq!(status, 400);

    let (status, body) = post(
        &app,
        "requests.json",
        &[
            ("api_key", &k),
            ("service_code", "pothole"),
            ("lat", "20.2961"),
            ("long", "85.8245"),
            ("address_string", "Janpath, near Ram Mandir"),
            ("attribute[ward]", "12"),
            ("attribute[landmark]", "bus stop"),
            ("email", "asha@example.in"),
            ("phone", "9861000003"),
            ("first_name", "Asha"),
            ("last_name", "Nayak"),
            ("description", "A large pothole is swallowing scooters"),
            ("media_url", "https://photos.example.in/p/1.jpg"),
        ],
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let id = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(created[0]["service_notice"]
        .as_str()
        .unwrap()
        .contains("Bhubaneswar Municipal Corporation"));
    // it is an ordinary grievance: routed, acknowledged to the person by SMS
    let (channel, ward, mobile): (String, Option<i32>, Option<String>) = sqlx::query_as(
        "SELECT channel, ward_number, contact_mobile FROM grievances WHERE number = $1",
    )
    .bind(&id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (channel.as_str(), ward, mobile.as_deref()),
        ("external", Some(12), Some("9861000003"))
    );

    // read back in both formats, without anyone's contact details
    let (status, _, xml) = get(&app, &format!("requests/{id}.xml")).await;
    assert_eq!(status, 200);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><service_requests><request>"),
        "{xml}"
    );
    assert!(xml.contains(&format!(
        "<service_request_id>{id}</service_request_id><status>open</status>"
    )));
    assert!(xml.contains("<address>bus stop, Janpath, near Ram Mandir, Ward 12 (Satya Nagar), Bhubaneswar</address>"), "{xml}");
    // published to about a hundred metres
    assert!(xml.contains("<lat>20.296</lat><long>85.825</long><media_url>https://photos.example.in/p/1.jpg</media_url>"), "{xml}");
    assert!(!xml.contains("asha@example.in") && !xml.contains("9861000003"));
    let (_, _, json) = get(&app, &format!("requests/{id}.json")).await;
    let one: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(
        one[0]["agency_responsible"],
        "Bhubaneswar Municipal Corporation"
    );
    assert!(one[0]["expected_datetime"].as_str().unwrap().ends_with('Z'));
    let (status, _, _) = get(&app, "requests/GR-26-0000999-1.json").await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&app, "tokens/12345.json").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn listing_requests_with_the_spec_filters_and_the_updates_feed() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let pothole = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    let garbage = file(
        &app,
        &citizen,
        "garbage-not-collected",
        "40",
        "Garbage not lifted for three days",
    )
    .await;
    step(&app, &official, &pothole, "resolved", "Filled and rolled").await;

    let list = |v: &str| -> Vec<String> {
        serde_json::from_str::<Value>(v)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["service_request_id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, _, all) = get(&app, "requests.json").await;
    assert_eq!(list(&all).len(), 2);
    let (_, _, closed) = get(&app, "requests.json?status=closed").await;
    assert_eq!(list(&closed), vec![pothole.clone()]);
    let (_, _, closed) = get(&app, "requests.json?status=closed").await;
    let notes: Value = serde_json::from_str(&closed).unwrap();
    assert_eq!(notes[0]["status_notes"], "Filled and rolled");
    let (_, _, both) = get(
        &app,
        "requests.json?status=open,closed&service_code=garbage-not-collected",
    )
    .await;
    assert_eq!(list(&both), vec![garbage.clone()]);
    // an empty parameter is as good as none
    let (_, _, empty) = get(&app, "requests.json?status=&service_code=").await;
    assert_eq!(list(&empty).len(), 2);
    // service_request_id overrides the other filters
    let (_, _, by_id) = get(
        &app,
        &format!("requests.json?service_request_id={pothole},{garbage}&status=open"),
    )
    .await;
    assert_eq!(list(&by_id).len(), 2);
    // dates: a window of the past finds nothing, a window over 90 days is refused
    let (_, _, old) = get(
        &app,
        "requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z",
    )
    .await;
    assert!(list(&old).is_empty());
    let (status, _, body) = get(
        &app,
        "requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z",
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("may not span more than 90 days"));
    let (status, _, _) = get(&app, "requests.json?start_date=yesterday").await;
    assert_eq!(status, 400);
    let (status, _, _) = get(&app, "requests.json?status=pending").await;
    assert_eq!(status, 400);

    let (_, _, xml) = get(&app, "servicerequestupdates.xml").await;
    assert!(
        xml.contains("<service_request_updates><request_update><update_id>"),
        "{xml}"
    );
    let (_, _, json) = get(&app, "servicerequestupdates.json").await;
    let updates: Value = serde_json::from_str(&json).unwrap();
    let fixed = updates
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["status"] == "fixed")
        .unwrap();
    assert_eq!(fixed["service_request_id"], pothole.as_str());
    assert_eq!(fixed["description"], "Filled and rolled");
}

#[tokio::test]
async fn the_public_view_holds_no_citizens_words_after_filing_and_no_exact_place() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let filed = |anonymous: bool| {
        let (app, citizen) = (&app, &citizen);
        async move {
            // encroachment may be reported anonymously; a pothole is worked by the BMC official
            let slug = if anonymous { "encroachment" } else { "pothole" };
            let cat = crate::grievances::category(app, slug).await;
            let mut form = vec![
                ("form[category]", cat.as_str()),
                (
                    "form[description]",
                    "Shop extended over the footpath near the school",
                ),
                ("form[latitude]", "20.296123"),
                ("form[longitude]", "85.824987"),
                ("form[landmark]", "outside my house, plot 42"),
            ];
            if anonymous {
                form.push(("form[anonymous]", "on"));
            }
            let (_, body) = app.multipart(citizen, "grievances/file", &form).await;
            body["Done"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_string()
        }
    };
    let named = filed(false).await;
    let anonymous = filed(true).await;
    step(&app, &official, &named, "resolved", "Removed the extension").await;
    step(
        &app,
        &citizen,
        &named,
        "reopened",
        "My neighbour Ramesh rebuilt it at night",
    )
    .await;

    let (_, _, json) = get(&app, "requests.json").await;
    let requests: Value = serde_json::from_str(&json).unwrap();
    let find = |n: &str| {
        requests
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["service_request_id"] == n)
            .unwrap()
            .clone()
    };
    let named_view = find(&named);
    // the official's note, not the citizen's reopen reason
    assert_eq!(named_view["status_notes"], "Removed the extension");
    assert!(!json.contains("Ramesh"), "{json}");
    // about a hundred metres, not the doorstep
    assert_eq!(named_view["lat"], 20.296);
    assert_eq!(named_view["long"], 85.825);
    // an anonymous filing: no position and no landmark, only the city
    let anonymous_view = find(&anonymous);
    assert!(
        anonymous_view["lat"].is_null() && anonymous_view["long"].is_null(),
        "{anonymous_view}"
    );
    assert!(!anonymous_view["address"]
        .as_str()
        .unwrap()
        .contains("plot 42"));

    let (_, _, updates) = get(&app, "servicerequestupdates.json").await;
    assert!(updates.contains("Removed the extension"));
    assert!(!updates.contains("Ramesh"), "{updates}");
}
