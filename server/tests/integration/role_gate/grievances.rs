//! Grievance functions: signed in to file or list one's own, staff for the call centre's form,
//! department and city admins for ladders, city admins for intake keys.

use crate::helpers::*;

#[tokio::test]
async fn grievance_functions_refuse_callers_outside_their_gate() {
    let app = spawn_app().await;
    let anonymous = client();
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let bmc_admin = app.signed_in(BMC_ADMIN).await;
    let key_before: i64 = sqlx::query_scalar("SELECT count(*) FROM intake_keys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Signed in, whoever they are.
    for path in ["grievances/filing_data", "grievances/mine"] {
        let (status, _) = app.call(&anonymous, path, &[]).await;
        assert_eq!(status, 401, "anonymous {path}");
        let (status, _) = app.call(&citizen, path, &[]).await;
        assert_eq!(status, 200, "citizen {path}");
    }
    // Staff only: the call centre's form.
    let (status, _) = app.call(&anonymous, "grievances/assist_options", &[]).await;
    assert_eq!(status, 401);
    let (status, _) = app.call(&citizen, "grievances/assist_options", &[]).await;
    assert_eq!(status, 403);
    let (status, _) = app.call(&official, "grievances/assist_options", &[]).await;
    assert_eq!(status, 200);
    // Ladders: department and city admins.
    let ladder: [(&str, &[(&str, &str)]); 2] = [
        (
            "grievances/ladder_editor",
            &[("category", "streetlight-out")],
        ),
        (
            "grievances/save_ladder",
            &[
                ("form[category]", "streetlight-out"),
                ("form[levels][0][assignee]", "routed"),
                ("form[levels][0][hours]", "1"),
                ("form[levels][0][warn]", "50"),
            ],
        ),
    ];
    for (path, form) in ladder {
        let (status, _) = app.call(&anonymous, path, form).await;
        assert_eq!(status, 401, "anonymous {path}");
        let (status, _) = app.call(&citizen, path, form).await;
        assert_eq!(status, 403, "citizen {path}");
        let (status, _) = app.call(&official, path, form).await;
        assert_eq!(status, 403, "official {path}");
    }
    let own: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM escalation_levels e JOIN grievance_categories c ON c.id = e.category_id
         WHERE c.slug = 'streetlight-out' AND e.hours = 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(own, 0, "no refused caller changed the ladder");
    // Intake keys: city admins only.
    let keys: [(&str, &[(&str, &str)]); 3] = [
        ("grievances/intake_keys", &[]),
        (
            "grievances/issue_key",
            &[("channel", "sms"), ("label", "rogue")],
        ),
        (
            "grievances/revoke_key",
            &[("id", "00000000-0000-0000-0000-000000000000")],
        ),
    ];
    for (path, form) in keys {
        let (status, _) = app.call(&anonymous, path, form).await;
        assert_eq!(status, 401, "anonymous {path}");
        for (who, caller) in [
            ("citizen", &citizen),
            ("official", &official),
            ("department admin", &bmc_admin),
        ] {
            let (status, _) = app.call(caller, path, form).await;
            assert_eq!(status, 403, "{who} {path}");
        }
    }
    let key_after: i64 = sqlx::query_scalar("SELECT count(*) FROM intake_keys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        key_after, key_before,
        "no key was issued to a refused caller"
    );
}
