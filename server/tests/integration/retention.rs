//! Retention: the hourly sweep removes what is kept only while it is needed (ended sessions,
//! unfinished registrations, expired codes, a code's words in the outbox) and nothing before its
//! time.

use crate::helpers::*;
use domain::retention::sweep;
use time::{Duration, OffsetDateTime};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn what_is_kept_only_while_needed_goes_when_its_time_is_up_and_not_before() {
    let app = spawn_app().await;
    // A registration never finished: its code went by SMS.
    let (status, body) = app
        .call(
            &client(),
            "identity/register",
            &[
                ("name", "Lata Swain"),
                ("mobile", "9811111111"),
                ("email", ""),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let code = app.last_code("9811111111").await;
    // (the gateway took it; the test app runs no delivery job)
    sqlx::query("UPDATE notifications SET status = 'delivered' WHERE recipient = '9811111111'")
        .execute(&app.pool)
        .await
        .unwrap();
    // A citizen with a live session and one ended by signing out.
    let live = app.signed_in(CITIZEN).await;
    let ended = app.signed_in(CITIZEN).await;
    app.call(&ended, "identity/sign_out", &[]).await;

    // Right now nothing is due.
    let now = OffsetDateTime::now_utc();
    assert_eq!(sweep(&app.pool, now).await.unwrap().total(), 0);
    assert_eq!(
        app.last_code("9811111111").await,
        code,
        "the code is still readable while it is good"
    );

    // Eleven minutes on, the code has expired: its words are erased from the outbox.
    let swept = sweep(&app.pool, now + Duration::minutes(11)).await.unwrap();
    assert_eq!(swept.secrets, 1);
    let body: String =
        sqlx::query_scalar("SELECT body FROM notifications WHERE recipient = '9811111111'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(body, "");
    assert_eq!(app.call(&live, "identity/profile", &[]).await.0, 200);

    // Two days on: the unfinished registration (with its password hash) and the code are gone;
    // the ended session is kept for the record.
    let swept = sweep(&app.pool, now + Duration::days(2)).await.unwrap();
    assert_eq!((swept.registrations, swept.codes), (1, 1));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM pending_registrations WHERE mobile = '9811111111'"
        )
        .await,
        0
    );
    assert_eq!(swept.sessions, 0);

    // 200 days on, the session ended today goes; the live one lasts 60 days, so it ended 140
    // days before: it stays until 240 days.
    let swept = sweep(&app.pool, now + Duration::days(200)).await.unwrap();
    assert_eq!(swept.sessions, 1);
    let swept = sweep(&app.pool, now + Duration::days(241)).await.unwrap();
    assert_eq!(swept.sessions, 1);
    assert_eq!(
        count(&app, "SELECT count(*) FROM sessions").await,
        0,
        "no session outlives its retention"
    );
}
