//! The one Postgres that every server instance shares.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    // JIT compilation costs 5–200 ms on the catalogue's small queries and saves nothing. Planning
    // a six-way join for each call cost 2–3 ms, more than running it: prepared statements keep
    // one generic plan per connection instead.
    let options = PgConnectOptions::from_str(url)?
        .application_name("nagarik")
        .options([
            ("jit", "off"),
            ("plan_cache_mode", "force_generic_plan"),
            // how near a catalogue word must be to a query word (see catalogue::search); set here
            // so that search needs no transaction to set it
            (
                "pg_trgm.similarity_threshold",
                crate::catalogue::SPELLING_THRESHOLD_TEXT,
            ),
        ]);
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// Applies the migrations, as the schema's owner (`nagarik migrate`). With `app_role`, that role
/// is then given what the app needs and nothing more (see `grant_app_role`).
pub async fn migrate(pool: &PgPool, app_role: Option<&str>) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    if let Some(role) = app_role {
        grant_app_role(pool, role).await?;
    }
    Ok(())
}

/// The app's own role reads and writes rows, and nothing else: no DDL (it cannot drop or disable
/// the history's trigger), no `TRUNCATE`, and the history only appended to, its one permitted
/// change being the erasure of a person's words. Run after every migration, as the owner.
pub async fn grant_app_role(pool: &PgPool, role: &str) -> anyhow::Result<()> {
    let valid = !role.is_empty()
        && role.len() <= 63
        && role.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && role
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    anyhow::ensure!(
        valid,
        "the app role must be a plain lower-case name, not {role:?}"
    );
    let mut tx = pool.begin().await?;
    // (privileges name roles as identifiers, which cannot be bound as parameters; the name is
    // checked above)
    for statement in [
        "GRANT USAGE ON SCHEMA public TO {role}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        "REVOKE INSERT, UPDATE, DELETE ON _sqlx_migrations FROM {role}",
        "REVOKE UPDATE, DELETE ON history FROM {role}",
        "GRANT UPDATE (note, personal, salt) ON history TO {role}",
    ] {
        sqlx::raw_sql(&statement.replace("{role}", &format!("\"{role}\"")))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Refuses to serve from a database that lacks a migration of this build: the app's role cannot
/// migrate, and a server on an older schema would fail request by request. A database ahead of
/// this build (a newer instance migrated it during a rolling upgrade) is served.
pub async fn check_migrated(pool: &PgPool) -> anyhow::Result<()> {
    // (not a checked statement: `_sqlx_migrations` is sqlx's own table, not in the migrations)
    // (a database never migrated has no such table: nothing applied; any other failure, an
    // unreachable database say, is told as it is)
    let applied: Vec<i64> =
        match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(pool)
            .await
        {
            Ok(applied) => applied,
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => Vec::new(),
            Err(e) => return Err(e.into()),
        };
    let missing: Vec<_> = MIGRATOR
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .collect();
    if let Some(first) = missing.first() {
        anyhow::bail!(
            "the database lacks {} migration(s) of this build, the first {} ({}): run `nagarik \
             migrate` as the schema's owner first",
            missing.len(),
            first.version,
            first.description
        );
    }
    Ok(())
}

/// A new UUIDv7: time-ordered, so new rows land at the end of their indexes.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// Lets Postgres read and write a Rust enum kept in a `text` column, by the enum's `as_str` and
/// `parse`: a value the code does not know is an error when it is read, never a guess.
#[macro_export]
macro_rules! text_enum {
    ($t:ty) => {
        impl sqlx::Type<sqlx::Postgres> for $t {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $t {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                <$t>::parse(text)
                    .ok_or_else(|| format!("unknown {} {text:?}", stringify!($t)).into())
            }
        }
        impl<'q> sqlx::Encode<'q, sqlx::Postgres> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.as_str(), buf)
            }
        }
    };
}
