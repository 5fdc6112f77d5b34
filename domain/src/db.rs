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

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
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
