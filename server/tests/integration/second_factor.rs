//! Two-step sign-in: staff must pass a code from their authenticator app after the password, each
//! code works once, wrong codes are limited, recovery codes work once, admins reset a lost factor
//! only for staff they manage, and citizens may turn it on and off. Each event lands in the
//! account's chained security history.

use crate::helpers::*;

async fn password_step(app: &TestApp, c: &reqwest::Client, login: &str) -> String {
    let (status, body) = app
        .call(
            c,
            "identity/sign_in",
            &[("login", login), ("password", PASSWORD), ("next", "/work")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["Done"].as_str().expect("a place to go").to_string()
}

async fn code_step(app: &TestApp, c: &reqwest::Client, code: &str) -> (u16, serde_json::Value) {
    app.call(c, "identity/second_step", &[("code", code)]).await
}

async fn signed_in_now(app: &TestApp, c: &reqwest::Client) -> bool {
    app.call(c, "identity/profile", &[]).await.0 == 200
}

/// The kinds of an account's security history, oldest first, but for sign-ins from new browsers
/// (each test client is one: `devices.rs` tests those).
async fn security_events(app: &TestApp, mobile: &str) -> Vec<(String, Option<uuid::Uuid>)> {
    sqlx::query_as(
        "SELECT h.kind, h.actor_id FROM history h JOIN users u ON u.id = h.subject_id
         WHERE h.subject = 'account' AND u.mobile = $1 AND h.kind <> 'new_device_sign_in'
         ORDER BY h.seq",
    )
    .bind(mobile)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

async fn notices_to(app: &TestApp, mobile: &str, words: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM notifications WHERE recipient = $1 AND body LIKE $2")
        .bind(mobile)
        .bind(format!("%{words}%"))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn id_of(app: &TestApp, mobile: &str) -> uuid::Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(mobile)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_staff_password_alone_signs_nobody_in_and_each_code_works_once() {
    let app = spawn_app().await;
    let c = client();
    let go = password_step(&app, &c, BMC_OFFICIAL).await;
    assert_eq!(go, "/sign-in/second-step?next=/work");
    assert!(!signed_in_now(&app, &c).await, "no session before the code");
    let (_, view) = app.call(&c, "identity/second_step_view", &[]).await;
    assert_eq!(
        view,
        serde_json::json!("Code"),
        "the factor is on: no key shown"
    );
    // Neither the browser's cache nor the service worker keeps the page (it can show a key).
    let page = app.page(&c, "/sign-in/second-step?next=/work").await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["x-offline-copy"], "none");

    let (_, wrong) = code_step(&app, &c, "000000").await;
    assert_eq!(
        invalid(&wrong),
        vec![("code".into(), "err_second_factor_wrong".into())]
    );
    let (_, typo) = code_step(&app, &c, "12345").await;
    assert_eq!(
        invalid(&typo),
        vec![("code".into(), "err_second_factor_format".into())]
    );
    let secret = app.secret_of(BMC_OFFICIAL).await;
    let code = app.fresh_code(BMC_OFFICIAL, &secret).await;
    let (status, body) = code_step(&app, &c, &code).await;
    assert_eq!(status, 200, "{body}");
    assert!(signed_in_now(&app, &c).await);

    // The same code, seen over a shoulder, does not open a second sign-in.
    let thief = client();
    password_step(&app, &thief, BMC_OFFICIAL).await;
    let (_, replay) = code_step(&app, &thief, &code).await;
    assert_eq!(
        invalid(&replay),
        vec![("code".into(), "err_second_factor_wrong".into())]
    );
    assert!(!signed_in_now(&app, &thief).await);

    // No waiting sign-in, no second step.
    let (_, none) = code_step(&app, &client(), &code).await;
    assert_eq!(
        invalid(&none),
        vec![("code".into(), "err_second_step_expired".into())]
    );
}

#[tokio::test]
async fn wrong_codes_end_the_sign_in_and_count_against_the_account() {
    let app = spawn_app().await;
    let c = client();
    password_step(&app, &c, BMC_OFFICIAL).await;
    for _ in 0..5 {
        code_step(&app, &c, "000000").await;
    }
    let secret = app.secret_of(BMC_OFFICIAL).await;
    let code = app.fresh_code(BMC_OFFICIAL, &secret).await;
    let (_, ended) = code_step(&app, &c, &code).await;
    assert_eq!(
        invalid(&ended),
        vec![("code".into(), "err_second_step_expired".into())],
        "five wrong codes end the challenge; a right one after is no use"
    );
    // A new challenge with the password: the account's limit (10 tries in 15 minutes) counts
    // passwords and codes together, so the right code is now refused too.
    let again = client();
    password_step(&app, &again, BMC_OFFICIAL).await;
    for _ in 0..3 {
        code_step(&app, &again, "000000").await;
    }
    let (status, body) = code_step(&app, &again, &code).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(
        invalid(&body),
        vec![("code".into(), "err_sign_in_throttled".into())]
    );
    assert!(!signed_in_now(&app, &again).await);
}

#[tokio::test]
async fn a_new_official_sets_the_factor_up_at_first_sign_in_and_recovery_codes_work_once() {
    let app = spawn_app().await;
    let admin = app.signed_in(CITY_ADMIN).await;
    let bmc: uuid::Uuid = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'bmc'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (status, body) = app
        .call(
            &admin,
            "admin/create_staff",
            &[
                ("name", "Ravi Jena"),
                ("mobile", "9822222222"),
                ("email", ""),
                ("password", PASSWORD),
                ("role", "official"),
                ("department", &bmc.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let c = client();
    password_step(&app, &c, "9822222222").await;
    let (_, view) = app.call(&c, "identity/second_step_view", &[]).await;
    let key = view["SetUp"]["key"].as_str().expect("a key to set up");
    let (_, again) = app.call(&c, "identity/second_step_view", &[]).await;
    assert_eq!(
        again["SetUp"]["key"], key,
        "a reload shows the key already scanned"
    );
    assert!(view["SetUp"]["qr"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    let secret = domain::identity::second_factor::secret_from_text(key).unwrap();
    let code = app.fresh_code("9822222222", &secret).await;
    let (status, body) = code_step(&app, &c, &code).await;
    assert_eq!(status, 200, "{body}");
    let codes: Vec<String> = body["Done"]["recovery_codes"]
        .as_str()
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(codes.len(), 10);
    assert!(signed_in_now(&app, &c).await);
    assert_eq!(notices_to(&app, "9822222222", "now on").await, 1);

    // A lost phone: a recovery code signs in once.
    let lost = client();
    password_step(&app, &lost, "9822222222").await;
    let (status, body) = code_step(&app, &lost, &codes[3].to_uppercase()).await;
    assert_eq!(status, 200, "{body}");
    assert!(signed_in_now(&app, &lost).await);
    let again = client();
    password_step(&app, &again, "9822222222").await;
    let (_, spent) = code_step(&app, &again, &codes[3]).await;
    assert_eq!(
        invalid(&spent),
        vec![("code".into(), "err_second_factor_wrong".into())]
    );
    assert_eq!(
        notices_to(&app, "9822222222", "recovery code was used").await,
        1
    );
    let (_, profile) = app.call(&lost, "identity/profile", &[]).await;
    assert_eq!(profile["two_step"]["codes_left"], 9);
    assert_eq!(profile["two_step"]["required"], true);

    let kinds: Vec<String> = security_events(&app, "9822222222")
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        kinds,
        ["staff_appointed", "second_factor_on", "recovery_code_used"]
    );
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
}

#[tokio::test]
async fn a_lost_factor_is_reset_only_by_an_admin_who_manages_that_person() {
    let app = spawn_app().await;
    let official_id = id_of(&app, BMC_OFFICIAL).await.to_string();
    let bmc_admin_id = id_of(&app, BMC_ADMIN).await.to_string();
    // A WATCO official: not the BMC admin's to manage.
    let watco_official = id_of(&app, "9000000005").await.to_string();
    let official_session = app.signed_in(BMC_OFFICIAL).await;
    let bmc_admin = app.signed_in(BMC_ADMIN).await;
    let refused = [
        (client(), official_id.clone(), 401),
        (app.signed_in(CITIZEN).await, official_id.clone(), 403),
        (official_session.clone(), official_id.clone(), 403),
        (bmc_admin.clone(), watco_official.clone(), 403),
        (bmc_admin.clone(), bmc_admin_id.clone(), 403),
    ];
    for (caller, target, status) in refused {
        let (got, body) = app
            .call(
                &caller,
                "admin/reset_second_factor",
                &[("user_id", &target)],
            )
            .await;
        assert_eq!(got, status, "{body}");
    }
    assert!(signed_in_now(&app, &official_session).await);

    let (status, _) = app
        .call(
            &bmc_admin,
            "admin/reset_second_factor",
            &[("user_id", &official_id)],
        )
        .await;
    assert!(status < 400, "{status}");
    assert!(
        !signed_in_now(&app, &official_session).await,
        "every session of theirs ended"
    );
    assert_eq!(
        notices_to(&app, BMC_OFFICIAL, "administrator reset two-step").await,
        1
    );
    let events = security_events(&app, BMC_OFFICIAL).await;
    assert_eq!(
        events.last().unwrap(),
        &(
            "second_factor_reset".to_string(),
            Some(uuid::Uuid::parse_str(&bmc_admin_id).unwrap())
        )
    );
    // At the next sign-in they set a new key up; the old one is gone.
    let c = client();
    password_step(&app, &c, BMC_OFFICIAL).await;
    let (_, view) = app.call(&c, "identity/second_step_view", &[]).await;
    assert!(view["SetUp"]["key"].is_string(), "{view}");
}

#[tokio::test]
async fn a_citizen_may_turn_two_step_sign_in_on_and_off_and_staff_may_not_turn_it_off() {
    let app = spawn_app().await;
    for path in [
        "identity/two_step_begin",
        "identity/two_step_confirm",
        "identity/two_step_new_codes",
        "identity/two_step_off",
    ] {
        let (status, _) = app.call(&client(), path, &[("code", "123456")]).await;
        assert_eq!(status, 401, "{path} refuses an anonymous caller");
    }
    let citizen = app.signed_in(CITIZEN).await;
    let (_, begun) = app.call(&citizen, "identity/two_step_begin", &[]).await;
    let secret =
        domain::identity::second_factor::secret_from_text(begun["Done"]["key"].as_str().unwrap())
            .unwrap();
    let (_, wrong) = app
        .call(&citizen, "identity/two_step_confirm", &[("code", "000000")])
        .await;
    assert_eq!(
        invalid(&wrong),
        vec![("code".into(), "err_second_factor_wrong".into())]
    );
    let code = app.fresh_code(CITIZEN, &secret).await;
    let (_, done) = app
        .call(&citizen, "identity/two_step_confirm", &[("code", &code)])
        .await;
    assert_eq!(
        done["Done"]["recovery_codes"]
            .as_str()
            .unwrap()
            .lines()
            .count(),
        10
    );
    let (_, again) = app.call(&citizen, "identity/two_step_begin", &[]).await;
    assert_eq!(
        invalid(&again),
        vec![("form".into(), "err_second_factor_already_on".into())]
    );

    // Now the citizen's sign-in has a second step too.
    let phone = client();
    assert!(password_step(&app, &phone, CITIZEN)
        .await
        .starts_with("/sign-in/second-step"));
    app.second_step(&phone, CITIZEN).await;
    assert!(signed_in_now(&app, &phone).await);

    let code = app.fresh_code(CITIZEN, &secret).await;
    let (status, body) = app
        .call(&phone, "identity/two_step_off", &[("code", &code)])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(password_step(&app, &client(), CITIZEN).await, "/work");

    // Staff cannot turn theirs off.
    let official = app.signed_in(BMC_OFFICIAL).await;
    let secret = app.secret_of(BMC_OFFICIAL).await;
    let code = app.fresh_code(BMC_OFFICIAL, &secret).await;
    let (status, _) = app
        .call(&official, "identity/two_step_off", &[("code", &code)])
        .await;
    assert_eq!(status, 403);
    let kinds: Vec<String> = security_events(&app, CITIZEN)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kinds, ["second_factor_on", "second_factor_off"]);
}

#[tokio::test]
async fn second_factor_keys_and_the_push_key_are_kept_sealed_in_the_database() {
    use domain::identity::second_factor::secret_from_text;
    use domain::sealed::OVERHEAD;
    let app = spawn_app().await;
    // The demo staff's key is published, so it is known here: the row holds no trace of it.
    let plain = secret_from_text(server::seed::DEMO_TOTP_KEY).unwrap();
    let official = id_of(&app, BMC_OFFICIAL).await;
    let stored = || async {
        sqlx::query_scalar::<_, Vec<u8>>("SELECT secret FROM second_factors WHERE user_id = $1")
            .bind(official)
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let sealed = stored().await;
    assert_eq!(sealed.len(), plain.len() + OVERHEAD);
    assert!(!sealed.windows(4).any(|w| plain.windows(4).any(|p| p == w)));
    // Copied to another account's row it opens nowhere: bound to its own account.
    let admin = id_of(&app, BMC_ADMIN).await;
    let bound = |user: uuid::Uuid| [&b"second_factors:"[..], user.as_bytes()].concat();
    assert_eq!(
        data_key().open(&sealed, &bound(official)),
        Some(plain.clone())
    );
    assert_eq!(data_key().open(&sealed, &bound(admin)), None);

    // A key kept in plain text from before sealing is sealed when a server starts, once.
    sqlx::query("UPDATE second_factors SET secret = $2 WHERE user_id = $1")
        .bind(official)
        .bind(&plain)
        .execute(&app.pool)
        .await
        .unwrap();
    let seal = domain::identity::store::second_factor::seal_plain_secrets;
    assert_eq!(seal(&app.pool, &data_key()).await.unwrap(), 1);
    assert_eq!(seal(&app.pool, &data_key()).await.unwrap(), 0);
    assert_ne!(stored().await, plain);
    // and the official still signs in with the codes of their app
    let c = app.signed_in(BMC_OFFICIAL).await;
    assert!(signed_in_now(&app, &c).await);

    // The push key the instances share is sealed too, and a plain one from before is sealed
    // in place; another data key cannot open it.
    use domain::notifications::shared_secret;
    let first = shared_secret(&app.pool, &data_key(), "vapid_private_key", || {
        "the push key".into()
    })
    .await
    .unwrap();
    let row: String =
        sqlx::query_scalar("SELECT value FROM server_settings WHERE name = 'vapid_private_key'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(row.starts_with("sealed:") && !row.contains(&first), "{row}");
    sqlx::query(
        "UPDATE server_settings SET value = 'an old plain key' WHERE name = 'vapid_private_key'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let again = shared_secret(
        &app.pool,
        &data_key(),
        "vapid_private_key",
        || unreachable!(),
    )
    .await
    .unwrap();
    assert_eq!(again, "an old plain key");
    let other = domain::sealed::DataKey::from_text(&domain::sealed::DataKey::new_text()).unwrap();
    assert!(
        shared_secret(&app.pool, &other, "vapid_private_key", || unreachable!())
            .await
            .is_err()
    );
}
