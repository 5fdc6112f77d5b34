//! Certificates through the real server: an approval issues one (its page, its PDF, a copy in the
//! holder's locker, its step in the history); its QR code's link verifies through the JSON API
//! and the page, with our keys and with an independent COSE implementation (pycose); a tampered,
//! a foreign-signed and a revoked one each get their answer; keys rotate without old
//! certificates failing before their end date; only the holder, the department and a city admin
//! get the PDF, only the department's admin revokes.

use crate::helpers::*;
use domain::certificates::{code, keys, store, Claims, Kind, Verdict};
use serde_json::{json, Value};

const CHILD: &str = "Sanjukta Panigrahi";

async fn step(app: &TestApp, c: &reqwest::Client, number: &str, action: &str, note: &str) {
    let (status, body) = app
        .call(
            c,
            "applications/step",
            &[("number", number), ("action", action), ("note", note)],
        )
        .await;
    assert_eq!(status, 200, "{action}: {body}");
}

/// A birth certificate applied for by the demo citizen, verified and approved by the Registrar.
pub async fn issued(app: &TestApp, child: &str) -> String {
    let citizen = app.signed_in(CITIZEN).await;
    let number = crate::applications::apply_for_birth_certificate(app, &citizen, child).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    step(app, &official, &number, "verify", "").await;
    step(app, &official, &number, "approve", "").await;
    number
}

/// The link the certificate's QR code holds, as its page shows it.
async fn link_of(app: &TestApp, c: &reqwest::Client, number: &str) -> String {
    let page = app
        .page(c, &format!("/applications/{number}"))
        .await
        .text()
        .await
        .unwrap();
    let at = page
        .find("data-testid=\"verify-link\"")
        .unwrap_or_else(|| panic!("no verify link: {page}"));
    let start = page[..at].rfind("href=\"").unwrap() + 6;
    let end = start + page[start..].find('"').unwrap();
    page[start..end].replace("&amp;", "&")
}

async fn verify(app: &TestApp, code: &str) -> (u16, Value) {
    let res = client()
        .post(format!("{}/api/v1/certificates/verify", app.base))
        .header("origin", "https://another-site.example")
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_approval_issues_a_certificate_its_qr_verifies_and_a_tampered_copy_does_not() {
    let app = spawn_app().await;
    let number = issued(&app, CHILD).await;
    let citizen = app.signed_in(CITIZEN).await;

    // its page states what it certifies, with the QR code and its link
    let page = app
        .page(&citizen, &format!("/applications/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"certificate\""), "{page}");
    assert!(page.contains(CHILD) && page.contains("02-10-2026"));
    assert!(page.contains("<svg"), "the QR code is drawn on the page");
    let link = link_of(&app, &citizen, &number).await;
    assert!(
        link.starts_with("https://nagarik.test/verify#NC1:"),
        "{link}"
    );

    // anyone checks it, from any site, without an account
    let (status, body) = verify(&app, &link).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["verdict"], "valid", "{body}");
    let c = &body["certificate"];
    assert_eq!(
        (
            c["number"].as_str(),
            c["kind"].as_str(),
            c["holder"].as_str()
        ),
        (Some(number.as_str()), Some("birth"), Some("Deepak Sahu"))
    );
    assert_eq!(c["issuer"], "Bhubaneswar Municipal Corporation");
    let facts: Vec<(String, String)> = c["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["label"].as_str().unwrap().into(),
                f["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        facts[..3],
        [
            ("Child's name".to_string(), CHILD.to_string()),
            ("Date of birth".into(), "02-10-2026".into()),
            ("Place of birth".into(), "At home".into()),
        ]
    );
    assert!(
        c["valid_until"].is_null(),
        "a birth certificate is for good"
    );

    // the key that signed it is published
    let jwks = app.get_json(&client(), "/.well-known/jwks.json").await;
    let published = jwks["keys"].as_array().unwrap();
    assert!(published
        .iter()
        .any(|k| k["kid"] == body["key_id"] && k["crv"] == "Ed25519" && k["kty"] == "OKP"));

    // the verification page says the same, in the reader's language
    let code = domain::certificates::code_in(&link).unwrap();
    let html = client()
        .get(format!("{}/verify", app.base))
        .query(&[("code", &code)])
        .header("cookie", "nagarik_lang=or")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-verdict=\"valid\""), "{html}");
    assert!(html.contains("ଜନ୍ମ ପ୍ରମାଣପତ୍ର") && html.contains(CHILD));

    // a changed fact under the original signature is not genuine
    let opened = code::open(&code).unwrap();
    let mut forged = opened.claims.clone();
    forged.facts[0].1 = "Someone Else".into();
    let tampered = reseal_payload(&code, &forged);
    assert_eq!(verify(&app, &tampered).await.1["verdict"], "tampered");
    // one signed with a key that is not the city's is not ours
    let stranger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let foreign = code::sign(&opened.claims, &stranger);
    assert_eq!(verify(&app, &foreign).await.1["verdict"], "unknown_key");
    // and what is not a code says so; a missing code is the field's problem
    assert_eq!(verify(&app, "hello").await.1["verdict"], "not_a_code");
    let (status, body) = verify(&app, " ").await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (422, Some("err_verify_code"))
    );

    // the history records the issue, and still checks
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT h.kind FROM history h JOIN applications a ON a.id = h.subject_id
         WHERE h.subject = 'application' AND a.number = $1 ORDER BY h.seq",
    )
    .bind(&number)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(kinds.last().map(String::as_str), Some("certificate_issued"));
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
}

/// The code with its payload replaced by `claims`, its signature kept: a forger's edit.
fn reseal_payload(code: &str, claims: &Claims) -> String {
    use coset::TaggedCborSerializable;
    use std::io::{Read, Write};
    let compressed = base45::decode(code.strip_prefix("NC1:").unwrap()).unwrap();
    let mut cose = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice())
        .read_to_end(&mut cose)
        .unwrap();
    let mut sign1 = coset::CoseSign1::from_tagged_slice(&cose).unwrap();
    // the forged claims, signed by anyone: only their payload is kept
    let other = code::sign(claims, &ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
    let other = base45::decode(other.strip_prefix("NC1:").unwrap()).unwrap();
    let mut other_cose = Vec::new();
    flate2::read::ZlibDecoder::new(other.as_slice())
        .read_to_end(&mut other_cose)
        .unwrap();
    sign1.payload = coset::CoseSign1::from_tagged_slice(&other_cose)
        .unwrap()
        .payload;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&sign1.to_tagged_vec().unwrap()).unwrap();
    format!("NC1:{}", base45::encode(z.finish().unwrap()))
}

#[tokio::test]
async fn the_certificate_is_in_the_holders_locker_as_a_pdf_and_only_those_who_may_get_it() {
    let app = spawn_app().await;
    let number = issued(&app, CHILD).await;
    let citizen = app.signed_in(CITIZEN).await;

    // in the locker by itself, as the city's own paper
    let (_, locker) = app.call(&citizen, "locker/list", &[]).await;
    let docs = locker["documents"].as_array().unwrap();
    let doc = docs
        .iter()
        .find(|d| d["kind"] == "birth_certificate")
        .unwrap_or_else(|| panic!("{locker}"));
    assert_eq!(doc["issued"], true);
    let body = app
        .page(
            &citizen,
            &format!("/locker/documents/{}", doc["id"].as_str().unwrap()),
        )
        .await
        .bytes()
        .await
        .unwrap();
    assert!(body.starts_with(b"%PDF-"));

    // the PDF: to the holder and the department; nobody else learns it exists
    let pdf_path = format!("/applications/{number}/certificate.pdf");
    let res = app.page(&citizen, &pdf_path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.unwrap();
    assert!(
        pdf.starts_with(b"%PDF-") && pdf.len() < 400_000,
        "{}",
        pdf.len()
    );
    let official = app.signed_in(BMC_OFFICIAL).await;
    assert_eq!(app.page(&official, &pdf_path).await.status(), 200);
    let stranger = crate::grievances::register_citizen(&app, "9876501299").await;
    assert_eq!(app.page(&stranger, &pdf_path).await.status(), 404);
    let watco = app.signed_in("9000000005").await;
    assert_eq!(app.page(&watco, &pdf_path).await.status(), 404);
    assert_eq!(app.page(&client(), &pdf_path).await.status(), 401);

    // nothing in the tables reads as the certificate
    let raw: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT code FROM certificates UNION ALL SELECT body FROM locker_documents",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for bytes in raw {
        assert!(!String::from_utf8_lossy(&bytes).contains("NC1:"));
        assert!(!bytes.windows(CHILD.len()).any(|w| w == CHILD.as_bytes()));
        assert!(!bytes.starts_with(b"%PDF"));
    }
    // and the holder's export lists it
    let export = app.get_json(&citizen, "/me/data.json").await;
    assert_eq!(export["certificates"][0]["number"], number.as_str());
}

#[tokio::test]
async fn the_departments_admin_revokes_a_certificate_with_a_reason_and_checks_then_say_so() {
    let app = spawn_app().await;
    let number = issued(&app, CHILD).await;
    let citizen = app.signed_in(CITIZEN).await;
    let link = link_of(&app, &citizen, &number).await;
    let reason = "Issued on a forged hospital record";
    let revoke = |c: reqwest::Client, note: &'static str| {
        let (app, number) = (&app, number.clone());
        async move {
            app.call(
                &c,
                "applications/revoke_certificate",
                &[("number", number.as_str()), ("note", note)],
            )
            .await
        }
    };
    // not the holder, not the official, not another department
    assert_eq!(revoke(citizen.clone(), reason).await.0, 403);
    assert_eq!(
        revoke(app.signed_in(BMC_OFFICIAL).await, reason).await.0,
        403
    );
    assert_eq!(revoke(app.signed_in(CITY_ADMIN).await, reason).await.0, 403);
    assert_eq!(revoke(client(), reason).await.0, 401);
    let admin = app.signed_in(BMC_ADMIN).await;
    // a reason is required
    let (_, body) = revoke(admin.clone(), "  ").await;
    assert_eq!(
        invalid(&body),
        vec![("note".into(), "err_note_required".into())]
    );
    assert_eq!(verify(&app, &link).await.1["verdict"], "valid");

    let (status, body) = revoke(admin.clone(), reason).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = verify(&app, &link).await;
    assert_eq!(
        (body["verdict"].as_str(), body["revoked_reason"].as_str()),
        (Some("revoked"), Some(reason))
    );
    assert_eq!(body["certificate"]["number"], number.as_str());
    // once is enough
    let (_, body) = revoke(admin, reason).await;
    assert_eq!(
        invalid(&body),
        vec![("form".into(), "err_certificate_not_revocable".into())]
    );
    // the list for checking offline names it; the holder is told, and the page shows it
    let revoked = app
        .get_json(&client(), "/api/v1/certificates/revoked")
        .await;
    assert_eq!(revoked["numbers"], json!([number]));
    let page = app
        .page(&citizen, &format!("/applications/{number}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"certificate-revoked\"") && page.contains(reason));
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE body LIKE '%' || $1 || '%' AND body LIKE '%revoked%'",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
}

#[tokio::test]
async fn a_retired_key_verifies_until_its_end_date_and_new_certificates_use_the_new_key() {
    let app = spawn_app().await;
    let first = issued(&app, CHILD).await;
    let citizen = app.signed_in(CITIZEN).await;
    let old_code = domain::certificates::code_in(&link_of(&app, &citizen, &first).await).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let until = now + time::Duration::days(30);
    let new_kid = keys::rotate(&app.pool, &data_key(), Some(until), now)
        .await
        .unwrap();

    let second = issued(&app, "Debasish Panigrahi").await;
    let new_code = domain::certificates::code_in(&link_of(&app, &citizen, &second).await).unwrap();
    let kid_of = |c: &str| code::key_id_text(&code::open(c).unwrap().key_id);
    assert_eq!(kid_of(&new_code), new_kid);
    assert_ne!(kid_of(&old_code), new_kid);
    // both verify now, and both keys are published
    for c in [&old_code, &new_code] {
        assert!(matches!(
            store::verify(&app.pool, c, now).await.unwrap(),
            Verdict::Valid { .. }
        ));
    }
    assert_eq!(keys::published(&app.pool, now).await.unwrap().len(), 2);
    // past its end date the old key is no longer trusted, nor published; the new one goes on
    let later = until + time::Duration::days(1);
    assert!(matches!(
        store::verify(&app.pool, &old_code, later).await.unwrap(),
        Verdict::UnknownKey { .. }
    ));
    assert!(matches!(
        store::verify(&app.pool, &new_code, later).await.unwrap(),
        Verdict::Valid { .. }
    ));
    let published = keys::published(&app.pool, later).await.unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(code::key_id_text(&published[0].kid), new_kid);
}

#[tokio::test]
async fn a_trade_licence_is_valid_for_its_year_and_then_expired() {
    let app = spawn_app().await;
    let now = time::OffsetDateTime::now_utc();
    let claims = Claims {
        number: "AP-26-0000099-3".into(),
        kind: Kind::TradeLicence,
        issuer: "Bhubaneswar Municipal Corporation".into(),
        holder: "Priya Das".into(),
        facts: vec![("Name of the business".into(), "Das Tiffin Centre".into())],
        issued_at: now.unix_timestamp() - 400 * 86_400,
        valid_until: Some(now.unix_timestamp() - 35 * 86_400),
    };
    let mut db = app.pool.acquire().await.unwrap();
    let key = keys::signing_key(&mut db, &data_key(), now).await.unwrap();
    let expired = code::sign(&claims, &key);
    assert!(matches!(
        store::verify(&app.pool, &expired, now).await.unwrap(),
        Verdict::Expired { .. }
    ));
    assert_eq!(verify(&app, &expired).await.1["verdict"], "expired");
}

/// The QR's code checked by pycose (an independent COSE implementation) with the key from our
/// JWK set: what we sign is COSE as the standard has it, not only as our code reads it.
#[tokio::test]
async fn an_independent_cose_library_verifies_the_qr_code_with_the_published_key() {
    let app = spawn_app().await;
    let number = issued(&app, CHILD).await;
    let citizen = app.signed_in(CITIZEN).await;
    let code = domain::certificates::code_in(&link_of(&app, &citizen, &number).await).unwrap();
    let jwks = client()
        .get(format!("{}/.well-known/jwks.json", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let opened = code::open(&code).unwrap();
    let mut forged = opened.claims.clone();
    forged.holder = "Someone Else".into();
    let tampered = reseal_payload(&code, &forged);

    let python = std::env::var("NAGARIK_PYTHON").unwrap_or_else(|_| {
        format!(
            "{}/.cache/nagarik/venv/bin/python",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cose_check.py");
    let run = |code: &str| {
        let out = std::process::Command::new(&python)
            .arg(script)
            .arg(code)
            .arg(&jwks)
            .output()
            .unwrap_or_else(|e| panic!("{python} (pycose, installed by ./dev test): {e}"));
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            !stderr.contains("ModuleNotFoundError"),
            "pycose is missing (./dev test installs it): {stderr}"
        );
        let said = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success(), format!("{said}{stderr}"))
    };
    let (ok, said) = run(&code);
    assert!(ok, "{said}");
    assert_eq!(said, format!("verified {number} birth"));
    let (ok, said) = run(&tampered);
    assert!(!ok, "pycose accepted a tampered code: {said}");
}

#[tokio::test]
async fn a_new_master_key_keeps_certificates_signing_and_verifying() {
    let app = spawn_app().await;
    let number = issued(&app, CHILD).await;
    let old = data_key();
    let new = domain::sealed::DataKey::from_text(&domain::sealed::DataKey::new_text()).unwrap();
    let rotated = domain::rotation::rotate_master_key(&app.pool, &old, &new)
        .await
        .unwrap();
    assert_eq!(
        rotated.certificate_values, 2,
        "one signing key, one certificate"
    );
    let issued_now = store::of_application(&app.pool, &new, &number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(issued_now.claims.facts[0].1, CHILD);
    assert!(store::of_application(&app.pool, &old, &number)
        .await
        .is_err());
    assert!(matches!(
        store::verify(&app.pool, &issued_now.code, time::OffsetDateTime::now_utc())
            .await
            .unwrap(),
        Verdict::Valid { .. }
    ));
    // the same key signs on
    let mut db = app.pool.acquire().await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let key = keys::signing_key(&mut db, &new, now).await.unwrap();
    assert_eq!(
        code::key_id(&key.verifying_key()),
        code::open(&issued_now.code).unwrap().key_id
    );
}
