//! Logs: `tracing` to standard output, as text for a person at a terminal or as JSON lines for a
//! log collector (`NAGARIK_LOG_FORMAT=json`), each line with its request's span (`request_id`,
//! method, path) or its job's. With `NAGARIK_LOG_DIR` the lines also go to a file a day in that
//! directory, of which the newest 180 are kept and older ones deleted: CERT-In's directions of
//! 28 April 2022 ask for 180 days of logs, kept in India, with clocks synchronised to NTP.
//! Personal data stays out of logs: paths are logged without their query strings, and no
//! handler logs a person's words or contact.

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Days of logs kept in `NAGARIK_LOG_DIR` (a file a day).
pub const LOG_DAYS_KEPT: usize = 180;

/// Sets up logging from the environment; the guard must live as long as the process (it
/// flushes the file writer's last lines).
pub fn init() -> anyhow::Result<Option<tracing_appender::non_blocking::WorkerGuard>> {
    let filter =
        || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json = std::env::var("NAGARIK_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let stdout = if json {
        fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_filter(filter())
            .boxed()
    } else {
        fmt::layer().with_filter(filter()).boxed()
    };
    let (file, guard) = match std::env::var("NAGARIK_LOG_DIR")
        .ok()
        .filter(|d| !d.is_empty())
    {
        Some(dir) => {
            let appender = tracing_appender::rolling::RollingFileAppender::builder()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix("nagarik")
                .filename_suffix("log")
                .max_log_files(LOG_DAYS_KEPT)
                .build(&dir)
                .map_err(|e| anyhow::anyhow!("NAGARIK_LOG_DIR {dir}: {e}"))?;
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = fmt::layer()
                .json()
                .with_current_span(true)
                .with_span_list(false)
                .with_writer(writer)
                .with_filter(filter())
                .boxed();
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(stdout)
        .with(file)
        .try_init()?;
    Ok(guard)
}

/// Warns when this machine's clock and the database's disagree by more than a second: log lines
/// and history entries are only as good as their timestamps (run chrony or systemd-timesyncd on
/// every machine).
pub async fn check_clock(pool: &sqlx::PgPool) {
    let db: Result<time::OffsetDateTime, _> =
        sqlx::query_scalar("SELECT now()").fetch_one(pool).await;
    if let Ok(db) = db {
        let skew = (time::OffsetDateTime::now_utc() - db).abs();
        if skew > time::Duration::seconds(1) {
            tracing::warn!(
                skew_ms = skew.whole_milliseconds() as i64,
                "this machine's clock and the database's disagree: synchronise both with NTP"
            );
        }
    }
}
