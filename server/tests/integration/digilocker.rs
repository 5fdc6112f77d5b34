//! DigiLocker pulling a citizen's certificate from the city, over HTTP as DigiLocker does: each
//! request signed with the issuer's key (`x-digilocker-hmac`), fresh and never replayed.

use crate::helpers::*;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;

fn now_ist() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+5:30));
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn pull_uri(number: &str, name: &str, ts: &str, txn: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PullURIRequest xmlns:ns2="http://tempuri.org/" ver="1.0" ts="{ts}" txn="{txn}" orgId="in.gov.bhubaneswar" format="both">
<DocDetails><DocType>BTCER</DocType><DigiLockerId>123e4567-e89b-12d3-a456-426655440000</DigiLockerId><FullName>{name}</FullName><UDF1>{number}</UDF1></DocDetails>
</PullURIRequest>"#
    )
}

fn hmac(key: &str, body: &str) -> String {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

async fn send(app: &TestApp, path: &str, body: &str, signature: &str) -> (u16, String) {
    let res = client()
        .post(format!("{}/api/v1/digilocker/{path}", app.base))
        .header("content-type", "application/xml")
        .header("x-digilocker-hmac", signature)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

fn element(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("<{name}>"))? + name.len() + 2;
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    Some(xml[start..end].to_string())
}

fn b64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[tokio::test]
async fn digilocker_pulls_a_certificate_with_the_right_hmac_and_is_refused_otherwise() {
    let app = spawn_app().await;
    let number = crate::certificates::issued(&app, "Manaswini Sahu").await;
    let key = domain::certificates::digilocker::api_key(&app.pool, &data_key())
        .await
        .unwrap();
    // (kept sealed: the settings table does not hold it in clear)
    let stored: String =
        sqlx::query_scalar("SELECT value FROM server_settings WHERE name = 'digilocker_api_key'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(!stored.contains(&key));

    let body = pull_uri(&number, "Deepak Sahu", &now_ist(), "TXN-1");
    // a wrong signature, or none, is refused before anything is looked up
    let (status, answer) = send(&app, "pull-uri", &body, &hmac("not the key", &body)).await;
    assert_eq!(status, 401);
    assert!(answer.contains(r#"Status="0""#) && !answer.contains("DocContent"));
    assert_eq!(send(&app, "pull-uri", &body, "").await.0, 401);

    // the right one answers with the URI, the PDF and the metadata
    let (status, answer) = send(&app, "pull-uri", &body, &hmac(&key, &body)).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains(r#"<ResponseStatus Status="1""#), "{answer}");
    assert!(answer.contains(r#"txn="TXN-1""#));
    let uri = element(&answer, "URI").unwrap();
    assert_eq!(
        uri,
        format!("in.gov.bhubaneswar-BTCER-{}", number.replace('-', ""))
    );
    assert!(b64(&element(&answer, "DocContent").unwrap()).starts_with(b"%PDF-"));
    let metadata = String::from_utf8(b64(&element(&answer, "DataContent").unwrap())).unwrap();
    assert!(metadata.contains("Manaswini Sahu") && metadata.contains(r#"type="BTCER""#));
    // the metadata carries the signed code, which verifies
    let start = metadata.find(r#"code=""#).unwrap() + 6;
    let code = &metadata[start..start + metadata[start..].find('"').unwrap()];
    let verdict: Value = client()
        .post(format!("{}/api/v1/certificates/verify", app.base))
        .json(&serde_json::json!({ "code": code.replace("&#37;", "%") }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verdict["verdict"], "valid", "{verdict}");

    // the same request again is a replay; an old one is stale
    let (status, answer) = send(&app, "pull-uri", &body, &hmac(&key, &body)).await;
    assert_eq!(status, 400);
    assert!(answer.contains(r#"Status="0""#));
    let old = pull_uri(&number, "Deepak Sahu", "2026-01-01T10:00:00+05:30", "TXN-2");
    assert_eq!(send(&app, "pull-uri", &old, &hmac(&key, &old)).await.0, 400);

    // another person's name finds nothing
    let other = pull_uri(&number, "Someone Else", &now_ist(), "TXN-3");
    let (status, answer) = send(&app, "pull-uri", &other, &hmac(&key, &other)).await;
    assert_eq!(status, 200);
    assert!(answer.contains(r#"Status="0""#) && !answer.contains("<URI>"));

    // Pull Doc by the URI returns the PDF (the format absent: PDF alone)
    let doc = format!(
        r#"<PullDocRequest ver="1.0" ts="{}" txn="TXN-4" orgId="in.gov.bhubaneswar"><DocDetails><URI>{uri}</URI><DigiLockerId>123e4567-e89b-12d3-a456-426655440000</DigiLockerId></DocDetails></PullDocRequest>"#,
        now_ist()
    );
    let (status, answer) = send(&app, "pull-doc", &doc, &hmac(&key, &doc)).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.starts_with("<?xml") && answer.contains("<PullDocResponse"));
    assert!(b64(&element(&answer, "DocContent").unwrap()).starts_with(b"%PDF-"));
    assert!(element(&answer, "DataContent").is_none());
    // a Pull URI body sent to Pull Doc is not that API's request
    let again = pull_uri(&number, "Deepak Sahu", &now_ist(), "TXN-5");
    assert_eq!(
        send(&app, "pull-doc", &again, &hmac(&key, &again)).await.0,
        400
    );
}
