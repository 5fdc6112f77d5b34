//! The intake API's keys and the reading of free text: each gateway or external system has its
//! own key, scoped to one channel and stored hashed; an SMS or email is matched to a category by
//! its words and to a ward by "ward 12" / "W12".

use crate::db::new_id;
use crate::ids::AccountId;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// The channels a key may be issued for.
pub const KEY_CHANNELS: [&str; 5] = ["sms", "email", "ivrs", "external", "open311"];

fn key_hash(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

/// The system an external key files for, named by the key's label: lower case, each run of
/// anything but letters and digits a hyphen ("Jana Sampark" → `jana-sampark`).
pub fn system_of_label(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Issues a key for `channel`; the plain key is returned once and never stored. An external
/// system's key is bound to the system its label names (`system_of_label`).
pub async fn issue_key(
    pool: &PgPool,
    channel: &str,
    label: &str,
    created_by: Option<AccountId>,
) -> Result<(Uuid, String), sqlx::Error> {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    let key = format!(
        "ngk_{channel}_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let id = new_id();
    let system = (channel == "external").then(|| system_of_label(label));
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO intake_keys (id, channel, label, key_hash, created_by, system)
         VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        channel,
        label.trim(),
        key_hash(&key),
        created_by.map(uuid::Uuid::from),
        system,
    )
    .execute(&mut *tx)
    .await?;
    crate::identity::store::security_log::record_act(
        &mut tx,
        created_by,
        crate::identity::store::security_log::Event::IntakeKeyIssued,
        crate::history::Facts::new()
            .with("key", id)
            .with("channel", channel),
    )
    .await?;
    tx.commit().await?;
    Ok((id, key))
}

/// What a key presented to the intake API is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyCheck {
    /// no live key has this hash
    Unknown,
    /// a live key of another channel
    OtherChannel,
    /// a live key of this channel, past its rate
    Throttled(crate::throttle::Throttled),
    /// a live key of this channel: its id and, for an external system's key, the system
    Live { id: Uuid, system: Option<String> },
}

/// Checks a key presented for `channel` and counts the filing against its rate, in one
/// statement. The count goes to one of the key's `INTAKE_KEY_SHARDS` rows, chosen by `shard`,
/// and is committed without waiting for the disk: a count lost in a crash of the database costs
/// a few filings of headroom, and the filing itself then waits for one flush, its own, not two,
/// nor holds the shard's row while one runs.
pub async fn use_key(
    pool: &PgPool,
    key: &str,
    channel: &str,
    shard: u32,
    now: OffsetDateTime,
) -> Result<KeyCheck, sqlx::Error> {
    use crate::throttle::{shard as share, INTAKE_KEY, INTAKE_KEY_SHARDS};
    let limit = share(INTAKE_KEY, INTAKE_KEY_SHARDS);
    let found = sqlx::query!(
        r#"WITH k AS (
               SELECT id, channel, system,
                      last_used_at IS NULL OR last_used_at < now() - interval '1 minute' AS stale
               FROM intake_keys WHERE key_hash = $1 AND revoked_at IS NULL
           ),
           asynchronous AS (SELECT set_config('synchronous_commit', 'off', true) AS done),
           hit AS (
               INSERT INTO throttles (key, window_start, hits)
               SELECT 'intake-key:' || k.id || ':' || $3::int, $4, 1 FROM k, asynchronous
               WHERE k.channel = $2
               ON CONFLICT (key) DO UPDATE SET
                   hits = CASE WHEN throttles.window_start <= $5 THEN 1 ELSE throttles.hits + 1 END,
                   window_start = CASE WHEN throttles.window_start <= $5 THEN $4
                                       ELSE throttles.window_start END
               RETURNING hits, window_start
           )
           SELECT k.id, k.channel, k.system, k.stale AS "stale!", hit.hits AS "hits?",
                  hit.window_start AS "window_start?"
           FROM k LEFT JOIN hit ON true"#,
        key_hash(key),
        channel,
        (shard % INTAKE_KEY_SHARDS) as i32,
        now,
        now - limit.window,
    )
    .fetch_optional(pool)
    .await?;
    let Some(k) = found else {
        return Ok(KeyCheck::Unknown);
    };
    if k.channel != channel {
        return Ok(KeyCheck::OtherChannel);
    }
    if k.stale {
        note_use(pool, k.id).await?;
    }
    // (the rate is the same rule as every throttle's, `Limit::judge`, counted in the statement
    // above so that the check costs one round trip)
    let judged = match (k.hits, k.window_start) {
        (Some(hits), Some(start)) => limit.judge(hits, start, now),
        _ => crate::throttle::Throttled::Allowed,
    };
    Ok(match judged {
        crate::throttle::Throttled::Allowed => KeyCheck::Live {
            id: k.id,
            system: k.system,
        },
        refused => KeyCheck::Throttled(refused),
    })
}

/// Notes that a key was used, at most once a minute, so that a busy gateway's requests do not
/// all queue for the lock on its one key row.
async fn note_use(pool: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE intake_keys SET last_used_at = now() WHERE id = $1
           AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Revokes a key, `by` an admin (recorded in their chain) or the operator (`None`).
pub async fn revoke_key(
    pool: &PgPool,
    id: Uuid,
    by: Option<AccountId>,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE intake_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
        id,
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        crate::identity::store::security_log::record_act(
            &mut tx,
            by,
            crate::identity::store::security_log::Event::IntakeKeyRevoked,
            crate::history::Facts::new().with("key", id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct IntakeKey {
    pub id: Uuid,
    pub channel: String,
    pub label: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

pub async fn keys(pool: &PgPool) -> Result<Vec<IntakeKey>, sqlx::Error> {
    sqlx::query_as!(
        IntakeKey,
        "SELECT id, channel, label, created_at, last_used_at, revoked_at FROM intake_keys
         ORDER BY revoked_at IS NOT NULL, created_at DESC",
    )
    .fetch_all(pool)
    .await
}

/// "ward 12", "ward no. 12", "W12", "वार्ड 12", "ୱାର୍ଡ 12": the ward a message names, if any.
pub fn ward_in_text(text: &str) -> Option<i32> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '#' | '-' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if let Some(n) = w.strip_prefix('w').and_then(|r| r.parse::<i32>().ok()) {
            return Some(n);
        }
        if matches!(*w, "ward" | "वार्ड" | "ୱାର୍ଡ") {
            for next in words.iter().skip(i + 1).take(2) {
                if let Ok(n) = next.parse::<i32>() {
                    return Some(n);
                }
            }
        }
    }
    None
}

/// The category whose keywords best match the text: the most keyword hits, then the longest
/// keyword matched. `categories` are (id, keywords separated by commas).
pub fn category_in_text(text: &str, categories: &[(Uuid, String)]) -> Option<Uuid> {
    let lower = text.to_lowercase();
    categories
        .iter()
        .filter_map(|(id, keywords)| {
            let hits: Vec<usize> = keywords
                .split(',')
                .map(|k| k.trim().to_lowercase())
                .filter(|k| !k.is_empty() && lower.contains(k.as_str()))
                .map(|k| k.chars().count())
                .collect();
            (!hits.is_empty()).then(|| (hits.len(), hits.into_iter().max().unwrap_or(0), *id))
        })
        .max_by_key(|(n, longest, _)| (*n, *longest))
        .map(|(_, _, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_external_key_is_bound_to_the_system_its_label_names() {
        assert_eq!(system_of_label("Jana Sampark"), "jana-sampark");
        assert_eq!(system_of_label(" e-Abhijog "), "e-abhijog");
        assert_eq!(
            system_of_label("e-Municipality (BMC)"),
            "e-municipality-bmc"
        );
    }

    #[test]
    fn wards_in_messages() {
        assert_eq!(
            ward_in_text("Streetlight off near temple, ward 12"),
            Some(12)
        );
        assert_eq!(ward_in_text("garbage W7 Saheed Nagar"), Some(7));
        assert_eq!(ward_in_text("Ward No. 33: drain blocked"), Some(33));
        assert_eq!(ward_in_text("वार्ड 5 में पानी नहीं"), Some(5));
        assert_eq!(ward_in_text("water leaking near 12 shops"), None);
        assert_eq!(ward_in_text("we want light"), None);
    }

    #[test]
    fn categories_by_their_words() {
        let light = Uuid::from_u128(1);
        let garbage = Uuid::from_u128(2);
        let water = Uuid::from_u128(3);
        let cats = vec![
            (light, "streetlight, street light, light, बत्ती".to_string()),
            (garbage, "garbage, waste, dustbin, कचरा".to_string()),
            (water, "no water, water supply, पानी".to_string()),
        ];
        assert_eq!(
            category_in_text("Street light not working since Monday", &cats),
            Some(light)
        );
        assert_eq!(
            category_in_text("Garbage not lifted, dustbin full", &cats),
            Some(garbage)
        );
        assert_eq!(
            category_in_text("हमारे मोहल्ले में पानी नहीं आ रहा", &cats),
            Some(water)
        );
        assert_eq!(category_in_text("Dog bite", &cats), None);
    }
}
