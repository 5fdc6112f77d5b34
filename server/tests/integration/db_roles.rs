//! The database roles: the server connects as a role that reads and writes rows and nothing more.
//! It cannot rewrite, delete or empty the history, switch off its guard, change the schema or
//! forge a migration; the one change it may make to the history is erasing a person's words.
//! Every other integration test runs its server as that role too.

use crate::helpers::*;
use sqlx::{Connection, PgConnection, PgPool};

fn refused_for_privilege(r: &Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> bool {
    match r {
        // insufficient_privilege (42501)
        Err(sqlx::Error::Database(e)) => e.code().as_deref() == Some("42501"),
        _ => false,
    }
}

#[tokio::test]
async fn the_app_role_cannot_rewrite_or_empty_the_history_nor_change_the_schema() {
    let app = spawn_app().await;
    // a grievance filed through the app gives the history an entry with a person's words
    let c = app.signed_in(CITIZEN).await;
    let number = crate::grievances::file(
        &app,
        &c,
        "streetlight-out",
        "7",
        "The light outside house 12 has been dark for a week",
    )
    .await;
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM history")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(entries > 0);
    let role = PgPool::connect(&app_url_for(&app.db)).await.unwrap();
    let who: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&role)
        .await
        .unwrap();
    assert_eq!(who, APP_ROLE);
    for statement in [
        "UPDATE history SET kind = 'rewritten'",
        "UPDATE history SET hash = prev_hash",
        "DELETE FROM history",
        "TRUNCATE history",
        "ALTER TABLE history DISABLE TRIGGER history_no_change",
        "DROP TRIGGER history_no_change ON history",
        "DROP TABLE history",
        "CREATE TABLE shadow (id int)",
        "DELETE FROM _sqlx_migrations",
        "UPDATE _sqlx_migrations SET success = false",
    ] {
        let r = sqlx::raw_sql(statement).execute(&role).await;
        assert!(refused_for_privilege(&r), "{statement}: {r:?}");
    }
    // what the app does need: erasing a person's words from their entries (account closure)
    let erased = sqlx::raw_sql(
        "UPDATE history SET note = NULL, personal = NULL, salt = NULL
         WHERE subject = 'grievance' AND (note IS NOT NULL OR personal IS NOT NULL)",
    )
    .execute(&role)
    .await
    .unwrap();
    assert!(erased.rows_affected() > 0);
    // every entry is still there and every chain still verifies
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM history")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, entries);
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    // and the grievance's page still shows its timeline
    let page = app.page(&c, &format!("/grievances/{number}")).await;
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn a_server_will_not_start_on_a_database_that_lacks_a_migration() {
    let mut admin = PgConnection::connect(&admin_url()).await.unwrap();
    let db = format!("t_unmigrated_{}", std::process::id());
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::raw_sql(&format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let pool = PgPool::connect(&url_for(&db)).await.unwrap();
    let refused = domain::db::check_migrated(&pool).await.unwrap_err();
    assert!(refused.to_string().contains("nagarik migrate"), "{refused}");
    pool.close().await;
    sqlx::raw_sql(&format!("DROP DATABASE {db} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    // a migrated one is served
    let app = spawn_app().await;
    domain::db::check_migrated(&app.pool).await.unwrap();
}
