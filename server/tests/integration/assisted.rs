//! Filing for people without the app: the call centre and the kiosk.

use crate::grievances::category;
use crate::helpers::*;

#[tokio::test]
async fn an_agent_files_for_a_caller() {
    let app = spawn_app().await;
    let agent = app.signed_in(BMC_OFFICIAL).await;
    let cat = category(&app, "no-water").await;
    let (_, body) = app
        .call(
            &agent,
            "grievances/assist_file",
            &[
                ("form[category]", &cat),
                ("form[description]", "No water in the colony since morning"),
                ("form[ward]", "21"),
            ],
        )
        .await;
    let problems = invalid(&body);
    assert!(
        problems.contains(&("contact_mobile".into(), "err_mobile_invalid".into())),
        "{problems:?}"
    );
    assert!(problems.contains(&("contact_name".into(), "err_name_required".into())));
    let (status, body) = app
        .call(
            &agent,
            "grievances/assist_file",
            &[
                ("form[category]", &cat),
                ("form[description]", "No water in the colony since morning"),
                ("form[ward]", "21"),
                ("form[contact_name]", "Kamala Sethi"),
                ("form[contact_mobile]", "94370 12345"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let number = body["Done"].as_str().unwrap().to_string();
    let (channel, agent_id, mobile): (String, Option<uuid::Uuid>, Option<String>) = sqlx::query_as(
        "SELECT channel, agent_id, contact_mobile FROM grievances WHERE number = $1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(channel, "phone");
    assert_eq!(
        agent_id,
        Some(crate::grievances::user_id(&app, BMC_OFFICIAL).await)
    );
    assert_eq!(mobile.as_deref(), Some("9437012345"));
    let told: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE recipient = '9437012345' AND body LIKE '%' || $1 || '%'")
        .bind(&number)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(told, 1);
    // citizens and strangers do not file as agents
    let citizen = app.signed_in(CITIZEN).await;
    assert_eq!(
        app.call(
            &citizen,
            "grievances/assist_file",
            &[("form[category]", &cat)]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.call(
            &client(),
            "grievances/assist_file",
            &[("form[category]", &cat)]
        )
        .await
        .0,
        401
    );
}

#[tokio::test]
async fn a_kiosk_files_once_the_code_proves_the_mobile() {
    let app = spawn_app().await;
    let kiosk = client();
    let cat = category(&app, "stray-dogs").await;
    let form = [
        ("form[category]", cat.as_str()),
        (
            "form[description]",
            "Dogs chasing children at the park gate",
        ),
        ("form[ward]", "30"),
        ("form[contact_name]", "Bijay"),
        ("form[contact_mobile]", "8895012345"),
    ];
    let (_, body) = app
        .call(
            &kiosk,
            "grievances/kiosk_start",
            &[
                ("form[description]", "dogs"),
                ("form[contact_mobile]", "123"),
            ],
        )
        .await;
    let problems = invalid(&body);
    assert!(
        problems.contains(&("contact_mobile".into(), "err_mobile_invalid".into())),
        "{problems:?}"
    );
    assert!(problems.contains(&("description".into(), "err_description_short".into())));
    let (status, body) = app.call(&kiosk, "grievances/kiosk_start", &form).await;
    assert_eq!(status, 200, "{body}");
    let id = body["Done"]["kiosk_id"].as_str().unwrap().to_string();
    assert!(body["Done"]["mobile_masked"]
        .as_str()
        .unwrap()
        .ends_with("2345"));
    // nothing is filed before the code
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM grievances")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(before, 0);
    let code = app.last_code("8895012345").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, body) = app
        .call(
            &kiosk,
            "grievances/kiosk_confirm",
            &[("kiosk_id", &id), ("code", wrong)],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("code".to_string(), "err_code_wrong".to_string())]
    );
    let (_, body) = app
        .call(
            &kiosk,
            "grievances/kiosk_confirm",
            &[("kiosk_id", &id), ("code", &code)],
        )
        .await;
    let number = body["Done"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string();
    let (channel, mobile): (String, Option<String>) =
        sqlx::query_as("SELECT channel, contact_mobile FROM grievances WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (channel.as_str(), mobile.as_deref()),
        ("kiosk", Some("8895012345"))
    );
    // pressing confirm again files nothing more
    let (_, body) = app
        .call(
            &kiosk,
            "grievances/kiosk_confirm",
            &[("kiosk_id", &id), ("code", &code)],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("code".to_string(), "err_code_used".to_string())]
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM grievances")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, 1);
}
