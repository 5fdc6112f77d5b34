//! The city's signing keys. One key signs at a time; it is made on first use (once, however many
//! servers run: under a lock in Postgres) and kept sealed under the master key. Rotating retires
//! it: it signs no more, but codes it signed keep verifying until the end date given (none: for
//! as long as what it signed is valid — a birth certificate is for good). The public halves of the
//! keys that still verify are published as a JWK set (RFC 7517, OKP keys of RFC 8037).

use super::code::{key_id, key_id_text};
use crate::problem::Problem;
use crate::sealed::DataKey;
use base64::Engine;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;

fn bound(kid: &[u8]) -> Vec<u8> {
    [b"certificate_keys:".as_slice(), kid].concat()
}

/// The key that signs now, made if there is none.
pub async fn signing_key(
    db: &mut PgConnection,
    master: &DataKey,
    now: OffsetDateTime,
) -> Result<SigningKey, Problem> {
    if let Some(key) = current(db, master).await? {
        return Ok(key);
    }
    // one server makes it; the others wait here, then read it
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('certificate_keys'))")
        .execute(&mut *db)
        .await?;
    if let Some(key) = current(db, master).await? {
        return Ok(key);
    }
    make(db, master, now).await
}

async fn current(db: &mut PgConnection, master: &DataKey) -> Result<Option<SigningKey>, Problem> {
    let row =
        sqlx::query!("SELECT kid, private_key FROM certificate_keys WHERE retired_at IS NULL")
            .fetch_optional(&mut *db)
            .await?;
    row.map(|r| unseal(master, &r.kid, &r.private_key))
        .transpose()
}

fn unseal(master: &DataKey, kid: &[u8], sealed: &[u8]) -> Result<SigningKey, Problem> {
    let bytes: [u8; 32] = master
        .open(sealed, &bound(kid))
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Problem::unexpected("a signing key does not open with the master key"))?;
    Ok(SigningKey::from_bytes(&bytes))
}

async fn make(
    db: &mut PgConnection,
    master: &DataKey,
    now: OffsetDateTime,
) -> Result<SigningKey, Problem> {
    let (_, seed) = DataKey::random();
    let key = SigningKey::from_bytes(&seed);
    let public = key.verifying_key();
    let kid = key_id(&public);
    sqlx::query!(
        "INSERT INTO certificate_keys (kid, public_key, private_key, created_at)
         VALUES ($1, $2, $3, $4)",
        kid,
        public.as_bytes().as_slice(),
        master.seal(&seed, &bound(&kid)),
        now,
    )
    .execute(&mut *db)
    .await?;
    Ok(key)
}

/// Retires the key that signs (its codes verify until `old_verifies_until`, none: no end) and
/// makes a new one. Answers the new key's id.
pub async fn rotate(
    pool: &PgPool,
    master: &DataKey,
    old_verifies_until: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<String, Problem> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('certificate_keys'))")
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "UPDATE certificate_keys SET retired_at = $1, verifies_until = $2 WHERE retired_at IS NULL",
        now,
        old_verifies_until,
    )
    .execute(&mut *tx)
    .await?;
    let key = make(&mut tx, master, now).await?;
    tx.commit().await?;
    Ok(key_id_text(&key_id(&key.verifying_key())))
}

/// A public key that verifies codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    pub kid: Vec<u8>,
    pub key: [u8; 32],
    pub created_at: OffsetDateTime,
    pub retired_at: Option<OffsetDateTime>,
    pub verifies_until: Option<OffsetDateTime>,
}

/// The keys that verify at `now`, newest first.
pub async fn published(pool: &PgPool, now: OffsetDateTime) -> Result<Vec<PublicKey>, Problem> {
    let rows = sqlx::query!(
        "SELECT kid, public_key, created_at, retired_at, verifies_until FROM certificate_keys
         WHERE verifies_until IS NULL OR verifies_until > $1
         ORDER BY created_at DESC",
        now
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(PublicKey {
                key: r
                    .public_key
                    .try_into()
                    .map_err(|_| Problem::unexpected("a public key is not 32 bytes"))?,
                kid: r.kid,
                created_at: r.created_at,
                retired_at: r.retired_at,
                verifies_until: r.verifies_until,
            })
        })
        .collect()
}

/// The key named `kid`, if it verifies at `now`.
pub async fn verifying_key(
    pool: &PgPool,
    kid: &[u8],
    now: OffsetDateTime,
) -> Result<Option<VerifyingKey>, Problem> {
    let row = sqlx::query_scalar!(
        "SELECT public_key FROM certificate_keys
         WHERE kid = $1 AND (verifies_until IS NULL OR verifies_until > $2)",
        kid,
        now
    )
    .fetch_optional(pool)
    .await?;
    Ok(row
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok()))
}

/// The keys as a JWK set: `kid` as the codes name it, `x` the public key (Base64url); `iat` when
/// it was made and, for a key that will stop verifying, `exp` when.
pub fn jwk_set(keys: &[PublicKey]) -> Value {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| {
            let mut jwk = json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "use": "sig",
                "kid": key_id_text(&k.kid),
                "x": b64.encode(k.key),
                "iat": k.created_at.unix_timestamp(),
            });
            if let Some(until) = k.verifies_until {
                jwk["exp"] = json!(until.unix_timestamp());
            }
            jwk
        })
        .collect();
    json!({ "keys": keys })
}

/// Re-seals every private key from `old` to `new` (master key rotation). Answers how many.
pub async fn reseal(db: &mut PgConnection, old: &DataKey, new: &DataKey) -> Result<usize, Problem> {
    let rows = sqlx::query!("SELECT kid, private_key FROM certificate_keys FOR UPDATE")
        .fetch_all(&mut *db)
        .await?;
    for r in &rows {
        let plain = old
            .open(&r.private_key, &bound(&r.kid))
            .ok_or_else(|| Problem::unexpected("a signing key does not open with the old key"))?;
        sqlx::query!(
            "UPDATE certificate_keys SET private_key = $2 WHERE kid = $1",
            r.kid,
            new.seal(&plain, &bound(&r.kid)),
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(rows.len())
}
