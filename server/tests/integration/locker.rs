//! The document locker and consent: documents kept sealed under a key of the person's own
//! (nothing of them in clear in the tables), checked by content and size, within a quota; served
//! to their owner alone; attached to an application they are shared with its department for
//! that application, each opening recorded, withdrawable until used.

use crate::grievances::register_citizen;
use crate::helpers::*;
use domain::identity::citizen_id::verhoeff_check_digit;
use serde_json::Value;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Owner consent: Sri Bijay Kumar Das lets shop 3\n%%EOF\n";

fn aadhaar() -> String {
    let body = "39876543210";
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!("{body}{}", verhoeff_check_digit(&digits))
}

pub async fn add(
    app: &TestApp,
    c: &reqwest::Client,
    kind: &str,
    title: &str,
    number: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let parts = reqwest::multipart::Form::new()
        .text("kind", kind.to_string())
        .text("title", title.to_string())
        .text("number", number.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("scan.pdf"),
        );
    let res = c
        .post(format!("{}/api/locker/add", app.base))
        .header("Accept", "application/json")
        .multipart(parts)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn documents_are_sealed_checked_by_content_and_served_to_their_owner_alone() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = aadhaar();
    let (status, body) = add(&app, &citizen, "aadhaar", "My Aadhaar card", &number, PDF).await;
    assert_eq!(status, 200, "{body}");
    let id = body["Done"].as_str().unwrap().to_string();

    // Nothing in the table reads as the document, its name or the number.
    type Sealed = (Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>, Option<String>);
    let rows: Vec<Sealed> =
        sqlx::query_as("SELECT body, title, number, number_masked FROM locker_documents")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    let (body_raw, title_raw, number_raw, masked) = &rows[0];
    let everything = [
        body_raw.clone(),
        title_raw.clone().unwrap(),
        number_raw.clone().unwrap(),
    ]
    .concat();
    let text = String::from_utf8_lossy(&everything);
    assert!(!text.contains("Bijay") && !text.contains("Aadhaar card") && !text.contains(&number));
    assert!(!text.contains(&number[..8]));
    assert_eq!(
        masked.as_deref(),
        Some(format!("XXXX XXXX {}", &number[8..]).as_str())
    );
    let key_raw: Vec<u8> = sqlx::query_scalar("SELECT wrapped FROM locker_keys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        key_raw.len(),
        32 + domain::sealed::OVERHEAD,
        "the person's key is kept only wrapped"
    );
    // the number is found by its keyed digest, never by the number
    let digest = data_key().digest("aadhaar number", &[number.as_bytes()]);
    let found: i64 =
        sqlx::query_scalar("SELECT count(*) FROM locker_documents WHERE number_digest = $1")
            .bind(digest)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(found, 1);

    // Its owner downloads exactly what they added; nobody else learns it exists.
    let res = citizen
        .get(format!("{}/locker/documents/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let other = register_citizen(&app, "9876502001").await;
    let res = other
        .get(format!("{}/locker/documents/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let official = app.signed_in(BMC_OFFICIAL).await;
    let res = official
        .get(format!("{}/locker/documents/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        404,
        "not even staff, without an application that shares it"
    );
    let res = client()
        .get(format!("{}/locker/documents/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let (status, _) = app.call(&other, "locker/remove", &[("id", &id)]).await;
    assert_eq!(status, 404, "nor remove it");

    // A program named .pdf, a file too large, a wrong number: each refused at its field.
    let (_, body) = add(
        &app,
        &citizen,
        "rent_agreement",
        "",
        "",
        b"MZ\x90\x00\x03 this is a program",
    )
    .await;
    assert_eq!(
        invalid(&body),
        vec![("file".into(), "err_document_type".into())]
    );
    let big = [PDF.to_vec(), vec![b' '; domain::locker::MAX_BYTES]].concat();
    let (_, body) = add(&app, &citizen, "rent_agreement", "", "", &big).await;
    assert_eq!(
        invalid(&body),
        vec![("file".into(), "err_document_too_big".into())]
    );
    let (_, body) = add(&app, &citizen, "aadhaar", "", "1234 5678 9012", PDF).await;
    assert_eq!(
        invalid(&body),
        vec![("number".into(), "err_aadhaar_invalid".into())]
    );
    let (_, body) = add(&app, &citizen, "passport", "", "", PDF).await;
    assert_eq!(
        invalid(&body),
        vec![("kind".into(), "err_document_kind".into())]
    );
    // nobody signed in has no locker (refused before the upload is read)
    let (status, _) = add(&app, &client(), "other", "", "", PDF).await;
    assert_eq!(status, 401);

    // The page lists it, masked; removing it removes it.
    let page = app.page(&citizen, "/locker").await.text().await.unwrap();
    assert!(
        page.contains("My Aadhaar card") && page.contains(&format!("XXXX XXXX {}", &number[8..]))
    );
    assert!(!page.contains(&number));
    let (status, body) = app.call(&citizen, "locker/remove", &[("id", &id)]).await;
    assert_eq!((status, &body), (200, &serde_json::json!({"Done": null})));
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM locker_documents")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_locker_holds_fifty_megabytes_at_most() {
    let app = spawn_app().await;
    let owner: domain::ids::AccountId =
        sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
            .bind(CITIZEN)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let four_mb = [PDF.to_vec(), vec![b' '; 4 * 1024 * 1024]].concat();
    let upload = domain::locker::check_upload("other", "", "", &four_mb).unwrap();
    let now = time::OffsetDateTime::now_utc();
    for _ in 0..12 {
        domain::locker::store::add(&app.pool, &data_key(), owner, &upload, &four_mb, now)
            .await
            .unwrap();
    }
    let refused =
        domain::locker::store::add(&app.pool, &data_key(), owner, &upload, &four_mb, now).await;
    match refused {
        Err(domain::problem::Problem::Invalid(f)) => assert_eq!(f[0].code, "err_locker_full"),
        other => panic!("{other:?}"),
    }
}

async fn trade_licence(app: &TestApp, c: &reqwest::Client, consent: &str) -> (u16, Value) {
    let form: Vec<(&str, &str)> = vec![
        ("slug", "trade-licence-new"),
        ("answers[business_name]", "Maa Tarini Tailors"),
        ("answers[trade]", "tailoring"),
        ("answers[area_sq_m]", "30"),
        ("answers[rented]", "yes"),
        ("answers[owner_consent]", consent),
        ("answers[address]", "Shop 3, Unit 2 Market, Bhubaneswar"),
    ];
    let (status, body) = app.call(c, "applications/continue", &form).await;
    if status != 200 || body.get("Invalid").is_some() {
        return (status, body);
    }
    let (_, data) = app
        .call(c, "applications/form", &[("slug", "trade-licence-new")])
        .await;
    app.call(
        c,
        "applications/submit",
        &[
            ("slug", "trade-licence-new"),
            ("token", data["token"].as_str().unwrap()),
        ],
    )
    .await
}

#[tokio::test]
async fn an_attached_document_is_shared_with_the_department_for_that_application_alone() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let other = register_citizen(&app, "9876502002").await;
    let (_, mine) = add(
        &app,
        &citizen,
        "owner_consent",
        "Consent of Sri Das",
        "",
        PDF,
    )
    .await;
    let mine = mine["Done"].as_str().unwrap().to_string();
    let (_, photo) = add(
        &app,
        &citizen,
        "photograph",
        "",
        "",
        &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
    )
    .await;
    let photo = photo["Done"].as_str().unwrap().to_string();
    let (_, theirs) = add(&app, &other, "owner_consent", "", "", PDF).await;
    let theirs = theirs["Done"].as_str().unwrap().to_string();

    // Only one's own document, of the kind the field asks for.
    for wrong in [theirs.as_str(), photo.as_str(), "not-a-document"] {
        let (_, body) = trade_licence(&app, &citizen, wrong).await;
        assert_eq!(
            invalid(&body),
            vec![("owner_consent".into(), "err_answer_document".into())],
            "{wrong}"
        );
    }
    let (status, body) = trade_licence(&app, &citizen, &mine).await;
    assert_eq!(status, 200, "{body}");
    let number = body["Done"].as_str().unwrap().to_string();
    let doc_url = format!("{}/applications/{number}/documents/owner_consent", app.base);

    // The department opens it; the opening is recorded, and the applicant sees it.
    let official = app.signed_in(BMC_OFFICIAL).await;
    let res = official.get(&doc_url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let (_, view) = app
        .call(&citizen, "applications/view", &[("number", &number)])
        .await;
    assert!(view["documents"][0]["opened"].is_string(), "{view}");
    assert_eq!(view["documents"][0]["may_withdraw"], false);
    let whats: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(whats, vec!["Applied", "Opened an attached document"]);
    assert_eq!(view["timeline"][1]["who"], "Chitra Das");
    // Used: it can no longer be withdrawn.
    let (_, body) = app
        .call(
            &citizen,
            "applications/withdraw_share",
            &[("number", &number), ("field", "owner_consent")],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("form".into(), "err_share_used".into())]
    );

    // Another department, another citizen: refused; nobody signed in: refused.
    let watco = app.signed_in("9000000005").await;
    assert_eq!(watco.get(&doc_url).send().await.unwrap().status(), 404);
    assert_eq!(other.get(&doc_url).send().await.unwrap().status(), 404);
    assert_eq!(client().get(&doc_url).send().await.unwrap().status(), 401);
    // the document itself stays the owner's: the share gives no way to it outside the application
    let res = official
        .get(format!("{}/locker/documents/{mine}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // and it cannot be removed while the application is being decided
    let (_, body) = app.call(&citizen, "locker/remove", &[("id", &mine)]).await;
    assert_eq!(
        invalid(&body),
        vec![("form".into(), "err_document_in_use".into())]
    );

    // Once decided, the department's share ends.
    for (action, note) in [
        ("verify", ""),
        ("reject", "The shop is in a residential zone"),
    ] {
        let (_, body) = app
            .call(
                &official,
                "applications/step",
                &[("number", &number), ("action", action), ("note", note)],
            )
            .await;
        assert!(body.get("Done").is_some(), "{body}");
    }
    assert_eq!(official.get(&doc_url).send().await.unwrap().status(), 403);
    assert_eq!(
        citizen.get(&doc_url).send().await.unwrap().status(),
        200,
        "the applicant still has it"
    );
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty());
}

#[tokio::test]
async fn a_share_nobody_has_used_can_be_withdrawn_and_then_the_department_is_refused() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let (_, consent) = add(&app, &citizen, "owner_consent", "", "", PDF).await;
    let (_, body) = trade_licence(&app, &citizen, consent["Done"].as_str().unwrap()).await;
    let number = body["Done"].as_str().unwrap().to_string();
    let (status, body) = app
        .call(
            &citizen,
            "applications/withdraw_share",
            &[("number", &number), ("field", "owner_consent")],
        )
        .await;
    assert_eq!((status, &body), (200, &serde_json::json!({"Done": null})));
    let official = app.signed_in(BMC_OFFICIAL).await;
    let res = official
        .get(format!(
            "{}/applications/{number}/documents/owner_consent",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // another citizen cannot withdraw someone's share
    let other = register_citizen(&app, "9876502003").await;
    let (status, _) = app
        .call(
            &other,
            "applications/withdraw_share",
            &[("number", &number), ("field", "owner_consent")],
        )
        .await;
    assert_eq!(status, 404);
    // "Download my data" lists the document and where it was shared
    let export: Value = citizen
        .get(format!("{}/me/data.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let doc = &export["documents"][0];
    assert_eq!(doc["kind"], "owner_consent");
    assert_eq!(doc["shared_with"][0]["application"], number.as_str());
    assert!(doc["shared_with"][0]["withdrawn_at"].is_string());
}

#[tokio::test]
async fn a_new_master_key_keeps_every_document_answer_and_secret_readable() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let number = aadhaar();
    let (_, body) = add(&app, &citizen, "aadhaar", "Aadhaar", &number, PDF).await;
    let id = uuid::Uuid::parse_str(body["Done"].as_str().unwrap()).unwrap();
    let application =
        crate::applications::apply_for_birth_certificate(&app, &citizen, "Lopamudra Das").await;
    let (status, _) = app
        .call(
            &citizen,
            "applications/keep",
            &[
                ("slug", "marriage-registration"),
                ("answers[groom_name]", "Rakesh Jena"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    // a second factor (staff set theirs up at sign-in) and the push key, sealed too
    app.signed_in(BMC_OFFICIAL).await;
    let push_key =
        domain::notifications::shared_secret(&app.pool, &data_key(), "vapid_private_key", || {
            "a push key".into()
        })
        .await
        .unwrap();

    let old = data_key();
    let new = domain::sealed::DataKey::from_text(&domain::sealed::DataKey::new_text()).unwrap();
    let rotated = domain::rotation::rotate_master_key(&app.pool, &old, &new)
        .await
        .unwrap();
    assert!(
        rotated.second_factors >= 1 && rotated.settings >= 1,
        "{rotated:?}"
    );
    assert_eq!((rotated.application_values, rotated.locker_keys), (2, 1));

    // Everything opens with the new key, and nothing with the old.
    let (_, doc, body) = domain::locker::store::open(&app.pool, &new, id.into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((body.as_slice(), doc.title.as_str()), (PDF, "Aadhaar"));
    assert!(domain::locker::store::open(&app.pool, &old, id.into())
        .await
        .is_err());
    let digest = new.digest("aadhaar number", &[number.as_bytes()]);
    let found: i64 =
        sqlx::query_scalar("SELECT count(*) FROM locker_documents WHERE number_digest = $1")
            .bind(digest)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(found, 1, "the number is still found by its keyed digest");
    let n = domain::applications::ApplicationNumber::parse(&application).unwrap();
    let read = domain::applications::store::by_number(&app.pool, &new, &n, domain::Locale::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.answers.unwrap()["child_name"], "Lopamudra Das");
    let owner: domain::ids::AccountId =
        sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
            .bind(CITIZEN)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let service: domain::ids::ServiceId =
        sqlx::query_scalar("SELECT id FROM services WHERE slug = 'marriage-registration'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let draft = domain::applications::store::draft(&app.pool, &new, owner, service)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.answers["groom_name"], "Rakesh Jena");
    let push_again =
        domain::notifications::shared_secret(&app.pool, &new, "vapid_private_key", || {
            "another".into()
        })
        .await
        .unwrap();
    assert_eq!(push_again, push_key);
    // A server started with the new key signs staff in with their second factor as before.
    let mut config = test_config();
    config.data_key = new.clone();
    let restarted = app.second_instance_with(config).await;
    restarted.signed_in(BMC_OFFICIAL).await;
}
