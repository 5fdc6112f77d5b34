use crate::helpers::*;
use domain::notifications::{self, Channel, Notification, Provider};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Counting(Arc<Mutex<HashMap<uuid::Uuid, u32>>>);

impl Provider for Counting {
    async fn deliver(&self, n: &Notification) -> Result<(), String> {
        *self.0.lock().unwrap().entry(n.id).or_default() += 1;
        tokio::task::yield_now().await;
        Ok(())
    }
}

#[tokio::test]
async fn two_workers_deliver_every_message_exactly_once() {
    let app = spawn_app().await;
    for i in 0..300 {
        notifications::enqueue(
            &app.pool,
            Channel::Sms,
            "9876543210",
            "",
            &format!("message {i}"),
        )
        .await
        .unwrap();
    }
    let provider = Counting::default();
    let worker = |pool: sqlx::PgPool, p: Counting| async move {
        loop {
            if notifications::deliver_due(&pool, &p, 20).await.unwrap() == 0 {
                break;
            }
        }
    };
    let a = tokio::spawn(worker(app.pool.clone(), provider.clone()));
    let b = tokio::spawn(worker(app.pool.clone(), provider.clone()));
    a.await.unwrap();
    b.await.unwrap();
    let counts = provider.0.lock().unwrap();
    assert_eq!(counts.len(), 300);
    assert!(counts.values().all(|&n| n == 1));
}

struct Failing;
impl Provider for Failing {
    async fn deliver(&self, _n: &Notification) -> Result<(), String> {
        Err("gateway down".into())
    }
}

#[tokio::test]
async fn a_failed_delivery_is_retried_later_not_lost() {
    let app = spawn_app().await;
    let id = notifications::enqueue(&app.pool, Channel::Sms, "9876543210", "", "hello")
        .await
        .unwrap();
    notifications::deliver_due(&app.pool, &Failing, 10)
        .await
        .unwrap();
    let (status, attempts, later): (String, i32, bool) = sqlx::query_as(
        "SELECT status, attempts, next_attempt_at > now() FROM notifications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts, later), ("queued", 1, true));
    // Not due yet: nothing to do.
    assert_eq!(
        notifications::deliver_due(&app.pool, &Counting::default(), 10)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn the_dev_inbox_shows_delivered_codes() {
    let app = spawn_app().await;
    notifications::enqueue(
        &app.pool,
        Channel::Sms,
        "9876543210",
        "",
        "123456 is your Nagarik code",
    )
    .await
    .unwrap();
    let delivered = notifications::deliver_due(&app.pool, &notifications::DevInbox, 10)
        .await
        .unwrap();
    assert_eq!(delivered, 1);
    let res = client()
        .get(format!("{}/dev/messages", app.base))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let html = res.text().await.unwrap();
    assert!(
        status == 200 && html.contains("123456 is your Nagarik code"),
        "status {status}: {html}"
    );
}
