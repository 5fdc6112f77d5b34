//! The hash-chained history: append-only, and tampering found by the check.

use crate::grievances::*;
use crate::helpers::*;

#[tokio::test]
async fn the_history_is_append_only_and_tampering_is_found() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let number = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole near the bus stop",
    )
    .await;
    step(&app, &official, &number, "acknowledged", "").await;
    step(&app, &official, &number, "resolved", "Filled").await;
    let _ = file(
        &app,
        &citizen,
        "stray-dogs",
        "5",
        "A pack of dogs chasing children",
    )
    .await;
    let (checked, broken) = domain::grievances::store::verify_history(&app.pool)
        .await
        .unwrap();
    assert_eq!((checked, broken.len()), (2, 0));

    // the database refuses edits and deletions of history
    let edit = sqlx::query("UPDATE grievance_history SET note = 'nothing' WHERE seq = 3")
        .execute(&app.pool)
        .await;
    assert!(edit.is_err());
    let delete = sqlx::query("DELETE FROM grievance_history WHERE seq = 3")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err());

    // someone with the power to drop the guard still cannot hide a change
    sqlx::query("ALTER TABLE grievance_history DISABLE TRIGGER grievance_history_no_change")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE grievance_history h SET note = 'Nothing to do' FROM grievances g WHERE g.id = h.grievance_id AND g.number = $1 AND h.seq = 3")
        .bind(&number)
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, broken) = domain::grievances::store::verify_history(&app.pool)
        .await
        .unwrap();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].number, number);
    assert_eq!(
        broken[0].problem,
        domain::grievances::history::Break::Altered { seq: 3 }
    );

    // removing a grievance row leaves its history behind, and the check names it
    let second: uuid::Uuid = sqlx::query_scalar("SELECT id FROM grievances WHERE number <> $1")
        .bind(&number)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM grievances WHERE id = $1")
        .bind(second)
        .execute(&app.pool)
        .await
        .unwrap();
    let (checked, broken) = domain::grievances::store::verify_history(&app.pool)
        .await
        .unwrap();
    assert_eq!((checked, broken.len()), (1, 2));
    assert_eq!(
        broken[1].problem,
        domain::grievances::history::Break::Orphaned { entries: 1 }
    );
    assert!(broken[1].number.contains(&second.to_string()));
}
