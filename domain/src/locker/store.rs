//! The locker's queries: a person's data key (made on first use, kept wrapped under the master
//! key), adding a document within the quota, listing, opening and removing one. Sharing a
//! document with an application is `applications::store` (consent), which reads through here.

use super::numbers::{mask_aadhaar, mask_pan};
use super::{MediaType, Upload, QUOTA_BYTES};
use crate::db::new_id;
use crate::ids::{AccountId, DocumentId};
use crate::problem::Problem;
use crate::sealed::DataKey;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

fn bound(what: &str, id: Uuid) -> Vec<u8> {
    [what.as_bytes(), b":", id.as_bytes()].concat()
}

/// The person's own data key, unwrapped with the master key; made (and wrapped) on first use.
pub async fn owner_key(
    db: &mut sqlx::PgConnection,
    master: &DataKey,
    owner: AccountId,
) -> Result<DataKey, Problem> {
    let (_, fresh) = DataKey::random();
    sqlx::query!(
        "INSERT INTO locker_keys (owner_id, wrapped) VALUES ($1, $2) ON CONFLICT (owner_id) DO NOTHING",
        owner.uuid(),
        master.seal(&fresh, &bound("locker_keys", owner.uuid())),
    )
    .execute(&mut *db)
    .await?;
    let wrapped = sqlx::query_scalar!(
        "SELECT wrapped FROM locker_keys WHERE owner_id = $1",
        owner.uuid()
    )
    .fetch_one(&mut *db)
    .await?;
    unwrap_key(master, owner, &wrapped)
}

fn unwrap_key(master: &DataKey, owner: AccountId, wrapped: &[u8]) -> Result<DataKey, Problem> {
    let bytes: [u8; 32] = master
        .open(wrapped, &bound("locker_keys", owner.uuid()))
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Problem::unexpected("a locker key does not open with the master key"))?;
    Ok(DataKey::from_bytes(&bytes))
}

/// The purpose a number's keyed digest is made for.
fn number_purpose(kind: &str) -> &'static str {
    if kind == "pan" {
        "pan number"
    } else {
        "aadhaar number"
    }
}

/// A document as lists show it (never its content).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub id: DocumentId,
    pub kind: String,
    /// What the person called it (empty: its kind's name).
    pub title: String,
    pub media: MediaType,
    pub size_bytes: i32,
    pub number_masked: Option<String>,
    pub issued: bool,
    pub created_at: OffsetDateTime,
}

/// Keeps an upload in the person's locker, within their quota. Answers its id.
pub async fn add(
    pool: &PgPool,
    master: &DataKey,
    owner: AccountId,
    upload: &Upload,
    bytes: &[u8],
    now: OffsetDateTime,
) -> Result<Uuid, Problem> {
    let mut tx = pool.begin().await?;
    let key = owner_key(&mut tx, master, owner).await?;
    // (the key's row is locked, so two uploads at once do not both fit in the last space)
    sqlx::query!(
        "SELECT owner_id FROM locker_keys WHERE owner_id = $1 FOR UPDATE",
        owner.uuid()
    )
    .fetch_one(&mut *tx)
    .await?;
    let used: i64 = sqlx::query_scalar!(
        r#"SELECT coalesce(sum(size_bytes), 0)::bigint AS "used!" FROM locker_documents WHERE owner_id = $1"#,
        owner.uuid()
    )
    .fetch_one(&mut *tx)
    .await?;
    if used + bytes.len() as i64 > QUOTA_BYTES {
        return Err(Problem::field("file", "err_locker_full"));
    }
    let id = new_id();
    let title = (!upload.title.is_empty())
        .then(|| key.seal(upload.title.as_bytes(), &bound("locker_titles", id)));
    let number = upload.number.as_deref();
    let masked = number.map(|n| {
        if upload.kind == "pan" {
            mask_pan(n)
        } else {
            mask_aadhaar(n)
        }
    });
    sqlx::query!(
        "INSERT INTO locker_documents (id, owner_id, kind, title, media_type, size_bytes, body, number,
             number_digest, number_masked, source, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'upload', $11)",
        id,
        owner.uuid(),
        upload.kind,
        title,
        upload.media.as_str(),
        bytes.len() as i32,
        key.seal(bytes, &bound("locker_documents", id)),
        number.map(|n| key.seal(n.as_bytes(), &bound("locker_numbers", id))),
        number.map(|n| master.digest(number_purpose(&upload.kind), &[n.as_bytes()])),
        masked,
        now,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Puts a certificate the city issued (its PDF) in the holder's locker, in the issuing
/// transaction. The city's own papers do not count against the person's quota.
pub(crate) async fn add_issued(
    tx: &mut sqlx::PgConnection,
    master: &DataKey,
    owner: AccountId,
    kind: &str,
    title: &str,
    pdf: &[u8],
    now: OffsetDateTime,
) -> Result<Uuid, Problem> {
    let key = owner_key(tx, master, owner).await?;
    let id = new_id();
    sqlx::query!(
        "INSERT INTO locker_documents (id, owner_id, kind, title, media_type, size_bytes, body,
             source, created_at)
         VALUES ($1, $2, $3, $4, 'application/pdf', $5, $6, 'issued', $7)",
        id,
        owner.uuid(),
        kind,
        key.seal(title.as_bytes(), &bound("locker_titles", id)),
        pdf.len() as i32,
        key.seal(pdf, &bound("locker_documents", id)),
        now,
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

struct Row {
    id: Uuid,
    kind: String,
    title: Option<Vec<u8>>,
    media_type: String,
    size_bytes: i32,
    number_masked: Option<String>,
    source: String,
    created_at: OffsetDateTime,
}

fn document(key: &DataKey, r: Row) -> Result<Document, Problem> {
    let title = match r.title {
        Some(sealed) => key
            .open(&sealed, &bound("locker_titles", r.id))
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| Problem::unexpected("a document's title does not open"))?,
        None => String::new(),
    };
    Ok(Document {
        id: r.id.into(),
        kind: r.kind,
        title,
        media: MediaType::parse(&r.media_type)
            .ok_or_else(|| Problem::unexpected("a document of an unknown type"))?,
        size_bytes: r.size_bytes,
        number_masked: r.number_masked,
        issued: r.source == "issued",
        created_at: r.created_at,
    })
}

/// A person's documents, newest first (of one kind, when given).
pub async fn list(
    pool: &PgPool,
    master: &DataKey,
    owner: AccountId,
    kind: Option<&str>,
) -> Result<Vec<Document>, Problem> {
    let rows = sqlx::query_as!(
        Row,
        "SELECT id, kind, title, media_type, size_bytes, number_masked, source, created_at
         FROM locker_documents WHERE owner_id = $1 AND ($2::text IS NULL OR kind = $2)
         ORDER BY created_at DESC, id",
        owner.uuid(),
        kind,
    )
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = pool.acquire().await?;
    let key = owner_key(&mut conn, master, owner).await?;
    rows.into_iter().map(|r| document(&key, r)).collect()
}

/// A document and its content, whoever it belongs to (the caller decides who may open it: the
/// owner, or a department through a share).
pub async fn open(
    pool: &PgPool,
    master: &DataKey,
    id: DocumentId,
) -> Result<Option<(AccountId, Document, Vec<u8>)>, Problem> {
    let row = sqlx::query!(
        "SELECT owner_id, kind, title, media_type, size_bytes, number_masked, source, created_at, body
         FROM locker_documents WHERE id = $1",
        id.uuid()
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let mut conn = pool.acquire().await?;
    let key = owner_key(&mut conn, master, r.owner_id.into()).await?;
    let body = key
        .open(&r.body, &bound("locker_documents", id.uuid()))
        .ok_or_else(|| Problem::unexpected("a document does not open with its owner's key"))?;
    let doc = document(
        &key,
        Row {
            id: id.uuid(),
            kind: r.kind,
            title: r.title,
            media_type: r.media_type,
            size_bytes: r.size_bytes,
            number_masked: r.number_masked,
            source: r.source,
            created_at: r.created_at,
        },
    )?;
    Ok(Some((r.owner_id.into(), doc, body)))
}

/// Removes one of the person's documents, unless an application still being decided holds it.
pub async fn remove(pool: &PgPool, owner: AccountId, id: DocumentId) -> Result<(), Problem> {
    let mut tx = pool.begin().await?;
    let found = sqlx::query_scalar!(
        "SELECT id FROM locker_documents WHERE id = $1 AND owner_id = $2 FOR UPDATE",
        id.uuid(),
        owner.uuid()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if found.is_none() {
        return Err(Problem::NotFound);
    }
    let in_use: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM document_shares s JOIN applications a ON a.id = s.application_id
                          WHERE s.document_id = $1 AND s.withdrawn_at IS NULL
                            AND a.status NOT IN ('rejected', 'delivered')) AS "in_use!""#,
        id.uuid()
    )
    .fetch_one(&mut *tx)
    .await?;
    if in_use {
        return Err(Problem::Conflict("err_document_in_use"));
    }
    sqlx::query!("DELETE FROM locker_documents WHERE id = $1", id.uuid())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Which of `ids` are the person's own documents of `kind` (for a form's document fields).
pub async fn owned_of_kind(
    db: impl PgExecutor<'_>,
    owner: AccountId,
    id: DocumentId,
    kind: &str,
) -> Result<bool, Problem> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM locker_documents WHERE id = $1 AND owner_id = $2 AND kind = $3) AS "owned!""#,
        id.uuid(),
        owner.uuid(),
        kind
    )
    .fetch_one(db)
    .await?)
}

/// What "Download my data" says of the locker: each document (what it is, never its content,
/// which the person downloads from the locker itself) and where it was shared.
pub async fn export_of(
    pool: &PgPool,
    master: &DataKey,
    owner: AccountId,
) -> Result<serde_json::Value, Problem> {
    let mut out = Vec::new();
    for d in list(pool, master, owner, None).await? {
        let shares = sqlx::query!(
            "SELECT a.number, s.field_key, s.shared_at, s.first_opened_at, s.withdrawn_at
             FROM document_shares s JOIN applications a ON a.id = s.application_id
             WHERE s.document_id = $1 ORDER BY s.shared_at",
            d.id.uuid()
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|s| {
            serde_json::json!({
                "application": s.number, "field": s.field_key, "shared_at": s.shared_at.to_string(),
                "first_opened_at": s.first_opened_at.map(|t| t.to_string()),
                "withdrawn_at": s.withdrawn_at.map(|t| t.to_string()),
            })
        })
        .collect::<Vec<_>>();
        out.push(serde_json::json!({
            "id": d.id, "kind": d.kind, "title": d.title, "type": d.media.as_str(), "bytes": d.size_bytes,
            "number": d.number_masked, "issued": d.issued, "added_at": d.created_at.to_string(),
            "shared_with": shares,
        }));
    }
    Ok(serde_json::Value::Array(out))
}

/// Re-wraps every person's locker key under `new`, and re-makes the numbers' keyed digests with
/// it (`crate::rotation`). The documents themselves stay as they are: sealed under the persons'
/// own keys, which do not change. Answers how many keys were re-wrapped.
pub async fn reseal(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    old: &DataKey,
    new: &DataKey,
) -> Result<u64, Problem> {
    let keys = sqlx::query!("SELECT owner_id, wrapped FROM locker_keys FOR UPDATE")
        .fetch_all(&mut **tx)
        .await?;
    for k in &keys {
        let bytes: [u8; 32] = old
            .open(&k.wrapped, &bound("locker_keys", k.owner_id))
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                Problem::unexpected("a locker key does not open with the old master key")
            })?;
        sqlx::query!(
            "UPDATE locker_keys SET wrapped = $2 WHERE owner_id = $1",
            k.owner_id,
            new.seal(&bytes, &bound("locker_keys", k.owner_id)),
        )
        .execute(&mut **tx)
        .await?;
        let own = DataKey::from_bytes(&bytes);
        let numbers = sqlx::query!(
            "SELECT id, kind, number FROM locker_documents WHERE owner_id = $1 AND number IS NOT NULL FOR UPDATE",
            k.owner_id
        )
        .fetch_all(&mut **tx)
        .await?;
        for n in numbers {
            let number = n
                .number
                .as_deref()
                .and_then(|sealed| own.open(sealed, &bound("locker_numbers", n.id)))
                .ok_or_else(|| Problem::unexpected("a document's number does not open"))?;
            sqlx::query!(
                "UPDATE locker_documents SET number_digest = $2 WHERE id = $1",
                n.id,
                new.digest(number_purpose(&n.kind), &[&number]),
            )
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(keys.len() as u64)
}
