//! Benchmarks that need the database directly: catalogue search latency at UMANG scale.

use domain::catalogue;
use domain::Locale;
use sqlx::PgPool;
use std::time::Instant;

/// Queries people type, typos and other languages included.
const QUERIES: &[&str] = &[
    "water bill",
    "light bill",
    "birth certificate",
    "trade licence",
    "elecricity bil",
    "property tax",
    "kalyan mandap",
    "bus pass",
    "tenant verification",
    "driving licence",
    "ଜଳ ବିଲ୍",
    "पानी का बिल",
    "marriage",
    "building plan",
    "garbage",
    "pension",
    "scholarship",
    "fire safety licence",
    "hostel booking",
    "ration card",
    "mining permit",
    "caste certificate",
    "income certifcate",
    "passport",
];

pub async fn search(pool: &PgPool) -> anyhow::Result<()> {
    let services: i64 = sqlx::query_scalar("SELECT count(*) FROM services")
        .fetch_one(pool)
        .await?;
    // Warm the caches first, as a running server would be.
    for q in QUERIES {
        catalogue::search(pool, q, Locale::En, 30).await?;
    }
    let mut times = Vec::new();
    for round in 0..20 {
        for q in QUERIES {
            let locale = Locale::ALL[round % 3];
            let start = Instant::now();
            catalogue::search(pool, q, locale, 30).await?;
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "catalogue search over {services} services, {} queries: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (target p95 <= 10 ms)",
        times.len(),
        pct(0.50),
        pct(0.95),
        pct(1.0)
    );
    Ok(())
}
