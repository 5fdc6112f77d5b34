//! Builds the router: static assets, the service worker, Leptos pages and server functions, and
//! the middleware every request passes through.

use app::request::{body_guard, identify, same_origin, security_headers, AppState, Config};
use app::{shell, App};
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

static REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

fn env_flag(name: &str, default: bool) -> bool {
    std::env::var(name)
        .map(|v| matches!(v.as_str(), "1" | "true" | "yes"))
        .unwrap_or(default)
}

pub fn router(pool: PgPool, leptos_options: LeptosOptions, config: Config) -> Router {
    let state = AppState {
        leptos_options: leptos_options.clone(),
        pool,
        config: Arc::new(config),
    };
    let routes = generate_route_list(App);
    let site_root = leptos_options.site_root.to_string();
    let pkg_dir = format!("{site_root}/{}", leptos_options.site_pkg_dir);
    let sw = service_worker_script(&pkg_dir);
    Router::new()
        .route(
            "/sw.js",
            get(move || async move {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript"),
                        (header::CACHE_CONTROL, "no-cache"),
                    ],
                    sw,
                )
            }),
        )
        .route("/healthz", get(health))
        .route("/metrics", get(crate::metrics::scrape))
        .route("/api/v1/openapi.json", get(crate::api::openapi))
        .route("/me/data.json", get(crate::api::my_data::download))
        .route("/.well-known/jwks.json", get(crate::api::certificates::jwks))
        .nest("/api/v1/certificates", crate::api::certificates::routes())
        .nest("/api/v1/digilocker", crate::api::digilocker::routes())
        .route("/VERIFY", get(crate::api::certificates::capitals))
        .route("/payments/return", post(crate::api::payments::returned))
        .route(
            "/receipts/{number}/receipt.pdf",
            get(crate::api::payments::receipt_pdf),
        )
        .route("/api/v1/payments/webhook", post(crate::api::payments::webhook))
        .route(
            "/applications/{number}/certificate.pdf",
            get(crate::api::certificates::pdf),
        )
        .nest("/api/v1/intake", crate::api::intake::routes())
        .nest("/open311/v2", crate::api::open311::routes())
        .route("/grievance-photos/{id}", get(crate::api::photos::photo))
        .route("/locker/documents/{id}", get(crate::api::documents::own))
        .route(
            "/applications/{number}/documents/{field}",
            get(crate::api::documents::shared),
        )
        .nest("/pkg", static_files(&pkg_dir))
        .leptos_routes(&state, routes, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            identify,
        ))
        .layer(axum::middleware::from_fn(body_guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(axum::middleware::from_fn(same_origin))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        // Every request carries an id into its span, so each log line (an unexpected error
        // included) names the request; the answer carries it back in `x-request-id`. Only the
        // path is logged: a query string may hold personal data.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .extensions()
                    .get::<RequestId>()
                    .and_then(|id| id.header_value().to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(state)
}

/// The built files. Hashed file names change with every build, so they are cached for good.
fn static_files(pkg_dir: &str) -> Router<AppState> {
    Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query("SELECT 1").execute(&state.pool).await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unreachable",
        ),
    }
}

/// The service worker, with this build's assets in its precache list and a cache name derived
/// from them, so a new build replaces the old cache.
fn service_worker_script(pkg_dir: &str) -> String {
    let mut assets: Vec<String> = std::fs::read_dir(pkg_dir)
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
                .map(|n| format!("/pkg/{n}"))
                .collect()
        })
        .unwrap_or_default();
    assets.sort();
    let mut version: u64 = 1469598103934665603;
    for b in assets.join(",").bytes() {
        version = (version ^ b as u64).wrapping_mul(1099511628211);
    }
    let list = serde_json::to_string(&assets).unwrap_or_else(|_| "[]".into());
    include_str!("sw.js")
        .replace("__VERSION__", &format!("{version:x}"))
        .replace("__ASSETS__", &list)
}

/// The key that seals the secrets kept in the database (`domain::sealed`), from
/// `NAGARIK_DATA_KEY`. Required: without it a database dump would yield every sign-in code.
pub fn data_key() -> anyhow::Result<domain::sealed::DataKey> {
    let text = std::env::var("NAGARIK_DATA_KEY").map_err(|_| {
        anyhow::anyhow!(
            "set NAGARIK_DATA_KEY to 32 random bytes in Base64 (`nagarik data-key` makes one; \
             keep it in the host's secret store, not in the database or its backups)"
        )
    })?;
    domain::sealed::DataKey::from_text(&text).map_err(|e| anyhow::anyhow!("NAGARIK_DATA_KEY: {e}"))
}

/// Job runner loops per instance: a long sweep does not hold up the outbox.
const JOB_LOOPS: usize = 2;

pub async fn serve(pool: PgPool) -> anyhow::Result<()> {
    let conf = get_configuration(None)?;
    let options = conf.leptos_options;
    let addr = options.site_addr;
    let dev_inbox = env_flag("NAGARIK_DEV_INBOX", false);
    let settings = crate::notifications::ProviderSettings::from_env();
    if !dev_inbox && (settings.sms_gateway_url.is_none() || settings.smtp_url.is_none()) {
        anyhow::bail!("set NAGARIK_SMS_GATEWAY_URL and NAGARIK_SMTP_URL (see README.md)");
    }
    // The development inbox shows every code sent: never on an address others can reach.
    if dev_inbox && !addr.ip().is_loopback() {
        anyhow::bail!(
            "NAGARIK_DEV_INBOX shows every one-time code: it runs on a loopback address only"
        );
    }
    let data_key = data_key()?;
    let sealed =
        domain::identity::store::second_factor::seal_plain_secrets(&pool, &data_key).await?;
    if sealed > 0 {
        tracing::info!(
            sealed,
            "second-factor secrets kept in plain text are sealed now"
        );
    }
    let providers =
        crate::notifications::Providers::new(pool.clone(), &data_key, &settings, dev_inbox).await?;
    let config = Config {
        dev_inbox,
        // Behind a TLS proxy the server itself listens on a local address: the public address
        // says whether people reach it over HTTPS.
        secure_cookies: env_flag(
            "NAGARIK_SECURE_COOKIES",
            std::env::var("NAGARIK_PUBLIC_URL")
                .map_or(!addr.ip().is_loopback(), |u| u.starts_with("https://")),
        ),
        vapid_public_key: providers.vapid_public_key(),
        push_services: domain::notifications::KNOWN_PUSH_SERVICES
            .iter()
            .map(|s| s.to_string())
            .chain(
                std::env::var("NAGARIK_PUSH_SERVICES")
                    .unwrap_or_default()
                    .split(',')
                    .map(|s| s.trim().trim_end_matches('/').to_string())
                    .filter(|s| !s.is_empty()),
            )
            .collect(),
        metrics_key: std::env::var("NAGARIK_METRICS_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty()),
        data_key,
        public_url: settings.public_url.trim_end_matches('/').to_string(),
        digilocker_issuer: std::env::var("NAGARIK_DIGILOCKER_ISSUER")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| "in.gov.bhubaneswar".into()),
        payments: domain::payments::razorpay::Razorpay::new(payment_gateway()),
        billers: billers(),
    };
    let jobs = crate::jobs::nagarik(providers, config.payments.clone(), config.billers.clone())
        .start(pool.clone(), JOB_LOOPS)
        .await?;
    let app = router(pool.clone(), options, config);
    // Nagle's algorithm with delayed ACKs holds small responses back ~40 ms: turn it off.
    use axum::serve::ListenerExt;
    let listener = tokio::net::TcpListener::bind(&addr).await?.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!("listening on http://{addr}");
    // On SIGTERM (systemd, Kubernetes, a rolling deploy) or Ctrl-C: stop accepting, let the
    // requests in flight finish, then the jobs in hand, then close the pool.
    // The peer's address reaches `identify`, for the limits kept per client.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("no requests left in flight; finishing the jobs in hand");
    if !jobs.stop(SHUTDOWN_GRACE).await {
        tracing::warn!("a job was still running after the grace period; its lease will pass to another instance");
    }
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// How long the jobs in hand may take to finish once the server is told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(25);

/// Resolves when the process is told to stop: SIGTERM or SIGINT.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("told to stop: finishing the requests in flight");
}

/// The billers: each at `NAGARIK_BILLERS_URL`/{its code} (default the sandbox billers on this
/// machine), or at `NAGARIK_BILLER_WATCO_URL`, `_TPCODL_URL`, `_BMC_HOLDING_TAX_URL` where set.
pub fn billers() -> domain::bills::biller::Billers {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let base = var("NAGARIK_BILLERS_URL").unwrap_or_else(|| {
        tracing::warn!("bills come from the sandbox billers (set NAGARIK_BILLERS_URL to go live)");
        "http://127.0.0.1:3027".into()
    });
    domain::bills::biller::Billers::at(&base, |b| {
        let code = b.code().to_ascii_uppercase().replace('-', "_");
        var(&format!("NAGARIK_BILLER_{code}_URL"))
    })
}

/// The payment gateway: Razorpay's API at `NAGARIK_RAZORPAY_URL` with the city's keys
/// (`NAGARIK_RAZORPAY_KEY_ID`, `_KEY_SECRET`, `_WEBHOOK_SECRET`); without them, the project's
/// sandbox on this machine with its fixed test keys (said in the log, so no city goes live on it
/// unawares).
pub fn payment_gateway() -> domain::payments::razorpay::Settings {
    use domain::payments::razorpay::Settings;
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    match (
        var("NAGARIK_RAZORPAY_URL"),
        var("NAGARIK_RAZORPAY_KEY_ID"),
        var("NAGARIK_RAZORPAY_KEY_SECRET"),
        var("NAGARIK_RAZORPAY_WEBHOOK_SECRET"),
    ) {
        (Some(url), Some(key_id), Some(key_secret), Some(webhook_secret)) => Settings {
            url: url.trim_end_matches('/').to_string(),
            key_id,
            key_secret,
            webhook_secret,
        },
        (url, _, _, _) => {
            let url = url.unwrap_or_else(|| "http://127.0.0.1:3026".into());
            tracing::warn!(%url, "payments go to the sandbox gateway with its test keys (set NAGARIK_RAZORPAY_KEY_ID, _KEY_SECRET and _WEBHOOK_SECRET to go live)");
            Settings::sandbox(&url)
        }
    }
}
