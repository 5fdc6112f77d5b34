//! Admins configure escalation ladders and issue intake keys in the app.

use crate::grievances::{category, file};
use crate::helpers::*;

fn ladder<'a>(cat: &'a str, rows: &'a [(&'a str, &'a str, &'a str)]) -> Vec<(String, String)> {
    let mut form = vec![("form[category]".to_string(), cat.to_string())];
    for (i, (assignee, hours, warn)) in rows.iter().enumerate() {
        form.push((format!("form[levels][{i}][assignee]"), assignee.to_string()));
        form.push((format!("form[levels][{i}][hours]"), hours.to_string()));
        form.push((format!("form[levels][{i}][warn]"), warn.to_string()));
    }
    form
}

async fn save(
    app: &TestApp,
    c: &reqwest::Client,
    form: &[(String, String)],
) -> (u16, serde_json::Value) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(c, "grievances/save_ladder", &pairs).await
}

#[tokio::test]
async fn a_department_admin_sets_a_ladder_for_their_own_categories() {
    let app = spawn_app().await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let (_, body) = save(
        &app,
        &admin,
        &ladder("pothole", &[("city_admin", "24", "50")]),
    )
    .await;
    assert_eq!(
        invalid(&body),
        vec![(
            "assignee-1".to_string(),
            "err_first_level_routed".to_string()
        )]
    );
    let (_, body) = save(
        &app,
        &admin,
        &ladder(
            "pothole",
            &[("routed", "24", "50"), ("department_admin", "0", "50")],
        ),
    )
    .await;
    assert_eq!(
        invalid(&body),
        vec![("hours-2".to_string(), "err_hours_invalid".to_string())]
    );
    let (status, body) = save(
        &app,
        &admin,
        &ladder(
            "pothole",
            &[("routed", "24", "50"), ("department_admin", "12", "50")],
        ),
    )
    .await;
    assert_eq!((status, body["Done"].as_str()), (200, Some("pothole")));
    // the saved ladder is in the admin's own chain (the refused ones are not)
    let pothole = category(&app, "pothole").await;
    assert_eq!(
        admin_acts(&app, BMC_ADMIN).await,
        vec![("ladder_saved".to_string(), pothole)]
    );
    // the next pothole gets a day, not three
    let citizen = app.signed_in(CITIZEN).await;
    let number = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    let hours: f64 = sqlx::query_scalar("SELECT extract(epoch FROM deadline_at - created_at)::float8 / 3600 FROM grievances WHERE number = $1")
        .bind(&number)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(hours.round(), 24.0);
    let (_, editor) = app
        .call(
            &admin,
            "grievances/ladder_editor",
            &[("category", "pothole")],
        )
        .await;
    assert_eq!(editor["own"], true);
    assert_eq!(editor["rows"][1]["hours"], "12");
    // another department's category, and anyone but admins, are refused
    assert_eq!(
        save(&app, &admin, &ladder("no-water", &[("routed", "24", "50")]))
            .await
            .0,
        403
    );
    let official = app.signed_in(BMC_OFFICIAL).await;
    assert_eq!(
        save(
            &app,
            &official,
            &ladder("pothole", &[("routed", "24", "50")])
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.call(&citizen, "grievances/ladder_editor", &[]).await.0,
        403
    );
    let _ = category(&app, "pothole").await;
}

/// An admin's acts on what is not an account, from their own security chain: (event, the key,
/// ladder's category, service, department, post or job it names).
pub async fn admin_acts(app: &TestApp, mobile: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT h.kind, coalesce(h.facts->>'key', h.facts->>'category', h.facts->>'service',
                                 h.facts->>'post', h.facts->>'department', h.facts->>'job',
                                 h.facts->>'day')
         FROM history h JOIN users u ON u.id = h.subject_id
         WHERE h.subject = 'account' AND u.mobile = $1 AND h.actor_id = u.id
           AND h.kind NOT IN ('new_device_sign_in', 'second_factor_on', 'password_changed')
         ORDER BY h.seq",
    )
    .bind(mobile)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_city_admin_issues_and_revokes_intake_keys() {
    let app = spawn_app().await;
    let city = app.signed_in(CITY_ADMIN).await;
    let (_, body) = app
        .call(
            &city,
            "grievances/issue_key",
            &[("channel", "fax"), ("label", "x")],
        )
        .await;
    assert_eq!(
        invalid(&body),
        vec![("channel".to_string(), "err_channel_invalid".to_string())]
    );
    let (status, body) = app
        .call(
            &city,
            "grievances/issue_key",
            &[("channel", "sms"), ("label", "Airtel gateway")],
        )
        .await;
    assert_eq!(status, 200);
    let key = body["Done"].as_str().unwrap().to_string();
    let send = || async {
        client()
            .post(format!("{}/api/v1/intake/sms", app.base))
            .bearer_auth(&key)
            .form(&[
                ("from", "9876543210"),
                ("text", "Garbage not collected, ward 3"),
            ])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(send().await, 201);
    let (_, keys) = app.call(&city, "grievances/intake_keys", &[]).await;
    let row = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["label"] == "Airtel gateway")
        .unwrap()
        .clone();
    assert!(row["last_used"].is_string());
    let res = app
        .form_post(
            &city,
            "grievances/revoke_key",
            &[("id", row["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(send().await, 401);
    // both acts are in the admin's own chain, naming the key; the chain verifies
    let acts = admin_acts(&app, CITY_ADMIN).await;
    let key_id = row["id"].as_str().unwrap();
    assert_eq!(
        acts,
        vec![
            ("intake_key_issued".to_string(), key_id.to_string()),
            ("intake_key_revoked".to_string(), key_id.to_string()),
        ]
    );
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    // only city admins hold the keys
    let dept = app.signed_in(BMC_ADMIN).await;
    assert_eq!(app.call(&dept, "grievances/intake_keys", &[]).await.0, 403);
    assert_eq!(
        app.call(
            &dept,
            "grievances/issue_key",
            &[("channel", "sms"), ("label", "mine")]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.call(
            &dept,
            "grievances/revoke_key",
            &[("id", row["id"].as_str().unwrap())]
        )
        .await
        .0,
        403
    );
}

#[tokio::test]
async fn a_ladder_names_only_its_own_departments_staff() {
    let app = spawn_app().await;
    let admin = app.signed_in(BMC_ADMIN).await;
    let staff = |mobile: &'static str| {
        let pool = app.pool.clone();
        async move {
            let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE mobile = $1")
                .bind(mobile)
                .fetch_one(&pool)
                .await
                .unwrap();
            id.to_string()
        }
    };
    let with_official = |official: String| {
        let mut form = ladder(
            "pothole",
            &[("routed", "24", "50"), ("official", "24", "50")],
        );
        form.push(("form[levels][1][official]".to_string(), official));
        form
    };
    // WATCO's official cannot be handed BMC's potholes
    let watco = staff("9000000005").await;
    let (_, body) = save(&app, &admin, &with_official(watco)).await;
    assert_eq!(
        invalid(&body),
        vec![("assignee-2".to_string(), "err_official_unknown".to_string())]
    );
    // BMC's own official can
    let farida = staff("9000000007").await;
    let (_, body) = save(&app, &admin, &with_official(farida)).await;
    assert!(body.get("Done").is_some(), "{body}");
}
