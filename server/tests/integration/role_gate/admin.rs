//! The admin functions (services, departments, staff): only admins call them, a department admin
//! only for their own department, and a removed official loses access at once.

use crate::helpers::*;

async fn bda_department(app: &TestApp) -> String {
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'bda'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

/// The status of an appointment of Ravi Jena as `role` in `dept`, made by `c`.
async fn staff(app: &TestApp, c: &reqwest::Client, role: &str, dept: &str) -> u16 {
    let form = [
        ("name", "Ravi Jena"),
        ("mobile", "9822222222"),
        ("email", ""),
        ("password", PASSWORD),
        ("role", role),
        ("department", dept),
    ];
    app.call(c, "admin/create_staff", &form).await.0
}

/// A user's id, by mobile.
async fn id_of(app: &TestApp, mobile: &str) -> String {
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
        .bind(mobile)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

#[tokio::test]
async fn admin_functions_refuse_everyone_but_admins() {
    let app = spawn_app().await;
    let anonymous = client();
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let bda = bda_department(&app).await;
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("admin/overview", vec![]),
        ("admin/services", vec![]),
        ("admin/service_editor", vec![("slug", "birth-certificate")]),
        (
            "admin/create_department",
            vec![
                ("code", "xyz"),
                ("name_en", "X"),
                ("name_or", ""),
                ("name_hi", ""),
            ],
        ),
        (
            "admin/create_staff",
            vec![
                ("name", "A"),
                ("mobile", "9811111111"),
                ("email", ""),
                ("password", PASSWORD),
                ("role", "official"),
                ("department", &bda),
            ],
        ),
        (
            "admin/remove_staff",
            vec![("user_id", "00000000-0000-0000-0000-000000000000")],
        ),
        (
            "admin/save_service",
            vec![
                ("form[slug]", "x-y"),
                ("form[department]", &bda),
                ("form[category]", "certificates"),
                ("form[name_en]", "X"),
            ],
        ),
    ];
    for (path, form) in &calls {
        let (status, _) = app.call(&anonymous, path, form).await;
        assert_eq!(status, 401, "anonymous {path}");
        let (status, _) = app.call(&citizen, path, form).await;
        assert_eq!(status, 403, "citizen {path}");
        let (status, _) = app.call(&official, path, form).await;
        assert_eq!(status, 403, "official {path}");
    }
    // Signed-in-only functions refuse the anonymous caller.
    for path in ["identity/profile", "identity/revoke_session"] {
        let (status, _) = app
            .call(
                &anonymous,
                path,
                &[("session_id", "00000000-0000-0000-0000-000000000000")],
            )
            .await;
        assert_eq!(status, 401, "anonymous {path}");
    }
    let signed_in_only: [(&str, &[(&str, &str)]); 4] = [
        (
            "notifications/push_unsubscribe",
            &[("endpoint", "https://fcm.googleapis.com/x")],
        ),
        ("grievances/me_too", &[("number", "GR-26-0000001-8")]),
        (
            "grievances/similar",
            &[
                ("category", ""),
                ("ward", "1"),
                ("landmark", ""),
                ("description", "a b c d e f g h"),
                ("latitude", ""),
                ("longitude", ""),
            ],
        ),
        (
            "notifications/push_subscribe",
            &[
                ("endpoint", "https://fcm.googleapis.com/x"),
                ("p256dh", "B"),
                ("auth", "A"),
            ],
        ),
    ];
    for (path, form) in signed_in_only {
        let (status, _) = app.call(&anonymous, path, form).await;
        assert_eq!(status, 401, "anonymous {path}");
    }
    // Nothing was created by the refused calls.
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM departments WHERE code = 'xyz'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_department_admin_manages_their_own_department_only() {
    let app = spawn_app().await;
    let bmc_admin = app.signed_in(BMC_ADMIN).await;
    let bda = bda_department(&app).await;
    let bmc: uuid::Uuid = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'bmc'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let bmc = bmc.to_string();

    // Not another department's services…
    let (status, _) = app
        .call(
            &bmc_admin,
            "admin/service_editor",
            &[("slug", "building-plan-approval")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .call(
            &bmc_admin,
            "admin/save_service",
            &[
                ("form[slug]", "building-plan-approval"),
                ("form[department]", &bmc),
                ("form[category]", "certificates"),
                ("form[name_en]", "Taken over"),
            ],
        )
        .await;
    assert_eq!(
        status, 403,
        "moving another department's service into one's own"
    );
    // …nor its officials, nor admins, nor departments.
    assert_eq!(staff(&app, &bmc_admin, "official", &bda).await, 403);
    assert_eq!(staff(&app, &bmc_admin, "department_admin", &bmc).await, 403);
    assert_eq!(staff(&app, &bmc_admin, "city_admin", &bmc).await, 403);
    let (status, _) = app
        .call(
            &bmc_admin,
            "admin/create_department",
            &[
                ("code", "xyz"),
                ("name_en", "X"),
                ("name_or", ""),
                ("name_hi", ""),
            ],
        )
        .await;
    assert_eq!(status, 403);

    // Its own: an official of BMC, and an edit of a BMC service that search then finds.
    assert_eq!(staff(&app, &bmc_admin, "official", &bmc).await, 200);
    let (status, body) = app
        .call(
            &bmc_admin,
            "admin/save_service",
            &[
                ("form[slug]", "birth-certificate"),
                ("form[department]", &bmc),
                ("form[category]", "certificates"),
                ("form[name_en]", "Birth certificate and name inclusion"),
                ("form[summary_en]", "Register a birth."),
                ("form[fee_rupees]", "0"),
                ("form[days]", "7"),
                ("form[apply_mode]", "in_app"),
                ("form[published]", "on"),
                ("form[life_events]", "new-baby"),
                ("form[name_or]", ""),
                ("form[name_hi]", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Done"], "birth-certificate");
    let found = domain::catalogue::search(&app.pool, "name inclusion", domain::Locale::En, 5)
        .await
        .unwrap();
    assert_eq!(found[0].slug, "birth-certificate");
}

#[tokio::test]
async fn a_city_admin_creates_departments_and_appoints_staff() {
    let app = spawn_app().await;
    let admin = app.signed_in(CITY_ADMIN).await;
    let (status, body) = app
        .call(
            &admin,
            "admin/create_department",
            &[
                ("code", "odisha-tourism"),
                ("name_en", "Odisha Tourism"),
                ("name_or", "ଓଡ଼ିଶା ପର୍ଯ୍ୟଟନ"),
                ("name_hi", ""),
                ("is_agency", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = app
        .call(
            &admin,
            "admin/create_department",
            &[
                ("code", "odisha-tourism"),
                ("name_en", "Again"),
                ("name_or", ""),
                ("name_hi", ""),
            ],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("code".into(), "err_code_taken".into())]
    );
    let (_, body) = app
        .call(
            &admin,
            "admin/create_department",
            &[
                ("code", "Bad Code!"),
                ("name_en", ""),
                ("name_or", ""),
                ("name_hi", ""),
            ],
        )
        .await;
    assert_eq!(invalid(&body).len(), 2);
    let dept: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM departments WHERE code = 'odisha-tourism'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let (status, body) = app
        .call(
            &admin,
            "admin/create_staff",
            &[
                ("name", "Mamata Rout"),
                ("mobile", "9833333333"),
                ("email", ""),
                ("password", PASSWORD),
                ("role", "department_admin"),
                ("department", &dept.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let new_admin = app.signed_in("9833333333").await;
    let (status, overview) = app.call(&new_admin, "admin/overview", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(overview["departments"][0]["code"], "odisha-tourism");
}

#[tokio::test]
async fn staff_are_removed_by_those_who_manage_them_and_lose_access_at_once() {
    let app = spawn_app().await;
    // A BDA official, appointed by the city admin.
    let city = app.signed_in(CITY_ADMIN).await;
    let bda = bda_department(&app).await;
    let form = [
        ("name", "Ravi Jena"),
        ("mobile", "9844444444"),
        ("email", ""),
        ("password", PASSWORD),
        ("role", "official"),
        ("department", bda.as_str()),
    ];
    assert_eq!(app.call(&city, "admin/create_staff", &form).await.0, 200);

    let bmc_admin = app.signed_in(BMC_ADMIN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    // Not another department's official, not oneself, not by an official or a citizen.
    let (status, _) = app
        .call(
            &bmc_admin,
            "admin/remove_staff",
            &[("user_id", &id_of(&app, "9844444444").await)],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .call(
            &bmc_admin,
            "admin/remove_staff",
            &[("user_id", &id_of(&app, BMC_ADMIN).await)],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .call(
            &official,
            "admin/remove_staff",
            &[("user_id", &id_of(&app, BMC_ADMIN).await)],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .call(
            &bmc_admin,
            "admin/remove_staff",
            &[("user_id", &id_of(&app, CITIZEN).await)],
        )
        .await;
    assert_eq!(status, 403);

    // Their own official: removed, and signed out everywhere at once.
    let res = app
        .form_post(
            &bmc_admin,
            "admin/remove_staff",
            &[("user_id", &id_of(&app, BMC_OFFICIAL).await)],
        )
        .await;
    assert_eq!(res.status().as_u16(), 302);
    let (status, _) = app.call(&official, "identity/profile", &[]).await;
    assert_eq!(status, 401);
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE mobile = $1")
        .bind(BMC_OFFICIAL)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(role, "citizen");
    // The city admin removes anyone's staff role.
    let (status, _) = app
        .call(
            &city,
            "admin/remove_staff",
            &[("user_id", &id_of(&app, "9844444444").await)],
        )
        .await;
    assert_eq!(status, 200);
}
