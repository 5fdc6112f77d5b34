//! The shared hash-chained history, through grievances: append-only, tampering found by the
//! check, and a person's words erasable without breaking a chain.

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
    let (checked, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert_eq!((checked - account_chains(&app).await, broken.len()), (2, 0));

    // the database refuses edits and deletions of history
    let edit = sqlx::query("UPDATE history SET note = 'nothing' WHERE seq = 3")
        .execute(&app.pool)
        .await;
    assert!(edit.is_err());
    let delete = sqlx::query("DELETE FROM history WHERE seq = 3")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err());

    // someone with the power to drop the guard still cannot hide a change
    sqlx::query("ALTER TABLE history DISABLE TRIGGER history_no_change")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE history h SET note = 'Nothing to do' FROM grievances g WHERE g.id = h.subject_id AND g.number = $1 AND h.seq = 3")
        .bind(&number)
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].name, number);
    assert_eq!(
        broken[0].problem,
        domain::history::Break::Altered { seq: 3 }
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
    let (checked, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert_eq!((checked - account_chains(&app).await, broken.len()), (1, 2));
    assert_eq!(
        broken[1].problem,
        domain::history::Break::Orphaned { entries: 1 }
    );
    assert!(broken[1].name.contains(&second.to_string()));
}

#[tokio::test]
async fn personal_data_stays_out_of_the_chain_and_a_persons_words_can_be_erased() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let words = "Sewage on my doorstep at 14 Lane";
    let number = file(&app, &citizen, "pothole", "12", words).await;
    step(&app, &official, &number, "acknowledged", "Team on the way").await;
    let (filer, mobile): (uuid::Uuid, String) =
        sqlx::query_as("SELECT filer_id, contact_mobile FROM grievances WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.pool)
            .await
            .unwrap();

    // what the chain covers as it is holds no contact and no words, only references and states
    let (facts, personal): (String, String) = sqlx::query_as(
        "SELECT h.facts::text, h.personal::text FROM history h JOIN grievances g ON g.id = h.subject_id
         WHERE g.number = $1 AND h.seq = 1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        !facts.contains(&mobile) && !facts.contains("Sewage"),
        "{facts}"
    );
    assert!(facts.contains("\"ward\": \"12\""), "{facts}");
    assert!(personal.contains(&mobile), "{personal}");

    // the citizen's words go; the official's stay; every chain still checks
    let erased = domain::history::store::erase_words_of(&app.pool, filer.into())
        .await
        .unwrap();
    assert_eq!(erased, 1);
    let notes: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT h.note FROM history h JOIN grievances g ON g.id = h.subject_id
         WHERE g.number = $1 ORDER BY h.seq",
    )
    .bind(&number)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(notes, vec![None, Some("Team on the way".to_string())]);
    let (checked, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert_eq!((checked - account_chains(&app).await, broken), (1, vec![]));

    // erasing is all the guard lets through: not a change of state, not words without their salt
    let changed = sqlx::query(
        "UPDATE history SET note = NULL, personal = NULL, salt = NULL, public = false WHERE seq = 2",
    )
    .execute(&app.pool)
    .await;
    assert!(changed.is_err());
    let half = sqlx::query("UPDATE history SET note = NULL WHERE seq = 2")
        .execute(&app.pool)
        .await;
    assert!(half.is_err());
}

/// The accounts' security histories (the demo staff's appointments), checked beside the
/// grievances'.
async fn account_chains(app: &TestApp) -> usize {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM account_chains")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    n as usize
}

#[tokio::test]
async fn an_anchor_kept_outside_finds_a_chain_rewritten_whole_with_its_head() {
    let app = spawn_app().await;
    let citizen = app.signed_in(CITIZEN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let number = file(
        &app,
        &citizen,
        "pothole",
        "12",
        "A deep pothole by the bus stop",
    )
    .await;
    step(&app, &official, &number, "acknowledged", "").await;
    let anchor = domain::history::anchor::write(&app.pool, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    let heads = domain::history::anchor::read(&anchor).unwrap();
    assert!(heads.iter().any(|h| h.subject == "grievance" && h.seq == 2));
    assert!(domain::history::anchor::check(&app.pool, &heads)
        .await
        .unwrap()
        .is_empty());

    // Someone with the database's owner role rewrites the last step (now "resolved") and
    // recomputes its hash and the head, so the chain itself still checks.
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM grievances WHERE number = $1")
        .bind(&number)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let chain = domain::history::store::chain(&app.pool, domain::history::Subject::Grievance, id)
        .await
        .unwrap();
    let (mut last, prev_hash, _) = chain.last().unwrap().clone();
    last.facts.set("status", "resolved");
    let forged = domain::history::entry_hash(&prev_hash, &last);
    let mut tx = app.pool.begin().await.unwrap();
    for sql in [
        "ALTER TABLE history DISABLE TRIGGER history_no_change",
        "UPDATE history SET facts = $2::jsonb, hash = $3 WHERE subject_id = $1 AND seq = 2",
        "UPDATE grievances SET history_head = $3 WHERE id = $1",
        "ALTER TABLE history ENABLE TRIGGER history_no_change",
    ] {
        sqlx::query(sql)
            .bind(id)
            .bind(last.facts.to_json())
            .bind(&forged)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let (_, broken) = domain::history::store::verify(&app.pool).await.unwrap();
    assert!(broken.is_empty(), "the rewrite is consistent: {broken:?}");
    let moved = domain::history::anchor::check(&app.pool, &heads)
        .await
        .unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!((moved[0].head.id, moved[0].head.seq), (id, 2));
    assert_eq!(moved[0].now.as_deref(), Some(forged.as_slice()));
}
