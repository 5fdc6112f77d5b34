//! `/metrics` in the Prometheus text format, for the city's monitoring: request counts and
//! latency by route, the outbox's depth and age, how far the job queue and the grievance clock
//! lag, the database pool, and refused (throttled) requests. Behind a key
//! (`NAGARIK_METRICS_KEY`, sent as `Authorization: Bearer …`); without one the route is off.
//!
//! Request metrics are this instance's own (Prometheus scrapes each instance and sums them);
//! the queue gauges are read from Postgres at each scrape, so any instance reports the same.

use app::request::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

const LATENCY: &str = "nagarik_http_request_duration_seconds";

fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(LATENCY.into()),
                &[
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ],
            )
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder already set (a test process with several servers) keeps its own.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Counts every request by route, method and status, and times it. The route is the pattern
/// that matched (`/grievances/{number}`), a server function's own path, or `unmatched`: never a
/// path a caller made up, so the labels stay few.
pub async fn track(req: Request, next: Next) -> Response {
    recorder();
    let started = Instant::now();
    // A made-up method is `other`: a caller cannot mint label values (and series) at will.
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "HEAD" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m,
        _ => "other",
    }
    .to_string();
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let status = res.status();
    let route = match matched {
        Some(m)
            if m.contains("{*") && status != StatusCode::NOT_FOUND && path.starts_with("/api/") =>
        {
            path
        }
        Some(m) => m,
        None => "unmatched".into(),
    };
    let labels = [
        ("route", route.clone()),
        ("method", method.clone()),
        ("status", status.as_u16().to_string()),
    ];
    metrics::counter!("nagarik_http_requests_total", &labels).increment(1);
    if status == StatusCode::TOO_MANY_REQUESTS {
        metrics::counter!("nagarik_throttled_requests_total", "route" => route.clone())
            .increment(1);
    }
    metrics::histogram!(LATENCY, "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    res
}

/// The scrape: 404 while no key is set, 401 without the key.
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(key) = state.config.metrics_key.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_secret(given, key) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    let handle = recorder();
    if let Err(e) = queue_gauges(&state.pool).await {
        tracing::warn!(error = %e, "metrics: the queue gauges could not be read");
    }
    let pool = &state.pool;
    metrics::gauge!("nagarik_db_pool_connections", "state" => "idle").set(pool.num_idle() as f64);
    metrics::gauge!("nagarik_db_pool_connections", "state" => "in_use")
        .set(pool.size().saturating_sub(pool.num_idle() as u32) as f64);
    metrics::gauge!("nagarik_db_pool_max_connections")
        .set(pool.options().get_max_connections() as f64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

/// Compares a presented key with the configured one without an early exit on the first
/// differing byte (their digests are compared, so length does not show either).
fn same_secret(given: &str, key: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (a, b) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(key.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// The outbox, the job queue and the grievance clock, as Postgres sees them now.
async fn queue_gauges(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
    let (depth, oldest): (i64, f64) = sqlx::query_as(
        "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at))::float8, 0)
         FROM notifications WHERE status = 'queued'",
    )
    .fetch_one(pool)
    .await?;
    metrics::gauge!("nagarik_outbox_depth").set(depth as f64);
    metrics::gauge!("nagarik_outbox_oldest_age_seconds").set(oldest);
    // How long the most overdue job of each kind (and of any kind) has waited past its time.
    let lags: Vec<(String, f64)> = sqlx::query_as(
        "SELECT COALESCE(kind, 'any'),
                COALESCE(EXTRACT(EPOCH FROM max(now() - run_at) FILTER (WHERE run_at <= now())), 0)::float8
         FROM jobs WHERE state IN ('queued', 'running') GROUP BY ROLLUP (kind)",
    )
    .fetch_all(pool)
    .await?;
    for (kind, lag) in lags {
        metrics::gauge!("nagarik_job_lag_seconds", "kind" => kind).set(lag);
    }
    let (failed,): (i64,) = sqlx::query_as("SELECT count(*) FROM jobs WHERE state = 'failed'")
        .fetch_one(pool)
        .await?;
    metrics::gauge!("nagarik_jobs_failed").set(failed as f64);
    // How long the oldest breached deadline has waited for the sweep to escalate it.
    let (sweep_lag,): (f64,) = sqlx::query_as(&format!(
        "SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(deadline_at))::float8, 0) FROM grievances
         WHERE status IN {} AND overdue_since IS NULL AND deadline_at <= now()",
        domain::grievances::store::OPEN
    ))
    .fetch_one(pool)
    .await?;
    metrics::gauge!("nagarik_grievance_sweep_lag_seconds").set(sweep_lag);
    Ok(())
}
