//! The job runner: a job runs once however many runners there are, a failing one backs off and
//! then waits, failed, for a city admin, and a runner that stops mid-job loses it to another.

use crate::helpers::*;
use domain::jobs::store;
use server::jobs::Runner;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

fn counting(kind: &'static str, runs: Arc<AtomicUsize>, fail: bool) -> Runner {
    Runner::new().on(kind, move |_, _| {
        let runs = runs.clone();
        async move {
            runs.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
            if fail {
                anyhow::bail!("the biller did not answer");
            }
            Ok(store::Ran::Idle)
        }
    })
}

#[tokio::test]
async fn a_job_runs_once_however_many_runners_reach_for_it() {
    let app = spawn_app().await;
    let runs = Arc::new(AtomicUsize::new(0));
    let now = OffsetDateTime::now_utc();
    let json = serde_json::json!({"hold": "h-1"});
    assert!(
        store::enqueue(&app.pool, "expire_hold", "h-1", &json, now, 3)
            .await
            .unwrap()
    );
    // the same work queued again while it waits is the same job
    assert!(
        !store::enqueue(&app.pool, "expire_hold", "h-1", &json, now, 3)
            .await
            .unwrap()
    );

    let (a, b) = (
        counting("expire_hold", runs.clone(), false),
        counting("expire_hold", runs.clone(), false),
    );
    let (ran_a, ran_b) = tokio::join!(a.run_one(&app.pool, "a"), b.run_one(&app.pool, "b"));
    assert_eq!(
        [ran_a.unwrap(), ran_b.unwrap()]
            .iter()
            .filter(|r| **r)
            .count(),
        1
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    // done: nothing left to run
    assert!(!a.run_one(&app.pool, "a").await.unwrap());
    let state: String = sqlx::query_scalar("SELECT state FROM jobs WHERE kind = 'expire_hold'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "done");
}

#[tokio::test]
async fn a_failing_job_backs_off_then_waits_for_a_city_admin_who_retries_it() {
    let app = spawn_app().await;
    let runs = Arc::new(AtomicUsize::new(0));
    let runner = counting("reconcile", runs.clone(), true);
    let json = serde_json::json!({});
    store::enqueue(
        &app.pool,
        "reconcile",
        "pay-1",
        &json,
        OffsetDateTime::now_utc(),
        2,
    )
    .await
    .unwrap();
    assert!(runner.run_one(&app.pool, "a").await.unwrap());
    // backed off: not due again at once
    assert!(!runner.run_one(&app.pool, "a").await.unwrap());
    let (state, attempts, wait): (String, i32, f64) = sqlx::query_as(
        "SELECT state, attempts, extract(epoch FROM run_at - now())::float8 FROM jobs WHERE key = 'pay-1'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((state.as_str(), attempts), ("queued", 1));
    assert!((3.0..=5.5).contains(&wait), "{wait}");
    sqlx::query("UPDATE jobs SET run_at = now() WHERE key = 'pay-1'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(runner.run_one(&app.pool, "a").await.unwrap());
    assert_eq!(runs.load(Ordering::SeqCst), 2);

    // out of tries: the city admin sees it failed, with its error, and sends it back
    let admin = app.signed_in(CITY_ADMIN).await;
    let page = app.page(&admin, "/admin/jobs").await.text().await.unwrap();
    assert!(page.contains(r#"data-health="failed""#), "{page}");
    assert!(page.contains("the biller did not answer"));
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM jobs WHERE key = 'pay-1'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let id = id.to_string();

    // nobody else may see or touch the queue
    let department_admin = app.signed_in(BMC_ADMIN).await;
    let official = app.signed_in(BMC_OFFICIAL).await;
    let citizen = app.signed_in(CITIZEN).await;
    for path in ["admin/jobs", "admin/retry_job"] {
        let form = [("id", id.as_str())];
        assert_eq!(app.call(&client(), path, &form).await.0, 401, "{path}");
        for (who, c) in [
            ("dept admin", &department_admin),
            ("official", &official),
            ("citizen", &citizen),
        ] {
            assert_eq!(app.call(c, path, &form).await.0, 403, "{who} {path}");
        }
    }
    let state: String = sqlx::query_scalar("SELECT state FROM jobs WHERE key = 'pay-1'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "failed");

    let res = app
        .form_post(&admin, "admin/retry_job", &[("id", &id)])
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    // the retry is in the admin's own chain
    let acts = crate::grievance_admin::admin_acts(&app, CITY_ADMIN).await;
    assert_eq!(acts, vec![("job_retried".to_string(), id.clone())]);
    let fixed = counting("reconcile", runs.clone(), false);
    assert!(fixed.run_one(&app.pool, "a").await.unwrap());
    let page = app.page(&admin, "/admin/jobs").await.text().await.unwrap();
    assert!(
        !page.contains("pay-1"),
        "a done one-off job leaves the list"
    );
    // a job that stands well is not retried: the answer is the list as it is
    let unknown = app
        .form_post(
            &admin,
            "admin/retry_job",
            &[("id", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert_eq!(unknown.status().as_u16(), 404);
}

#[tokio::test]
async fn a_runner_that_stops_mid_job_loses_it_when_its_lease_passes() {
    let app = spawn_app().await;
    let now = domain::history::to_micros(OffsetDateTime::now_utc());
    store::ensure_periodic(&app.pool, "sweep", Duration::from_secs(10), 1, now)
        .await
        .unwrap();
    let kinds = vec!["sweep".to_string()];
    let first = store::claim(&app.pool, &kinds, "a", now)
        .await
        .unwrap()
        .unwrap();
    // held: nobody else takes it
    assert!(
        store::claim(&app.pool, &kinds, "b", now + time::Duration::seconds(60))
            .await
            .unwrap()
            .is_none()
    );
    // "a" died: after its lease another runner takes it, counted as a failed try
    let later = now + time::Duration::seconds(domain::jobs::LEASE_SECONDS + 1);
    let second = store::claim(&app.pool, &kinds, "b", later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((second.id, second.attempts), (first.id, 1));
    // a late answer from the lost claim changes nothing
    assert!(
        !store::succeeded(&app.pool, &first, store::Ran::Idle, later)
            .await
            .unwrap()
    );
    assert!(
        store::succeeded(&app.pool, &second, store::Ran::Idle, later)
            .await
            .unwrap()
    );
    let (state, attempts, next): (String, i32, OffsetDateTime) =
        sqlx::query_as("SELECT state, attempts, run_at FROM jobs WHERE kind = 'sweep'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("queued", 0));
    assert_eq!(next, later + time::Duration::seconds(10));
}
