//! The history's queries: appending after a subject's head, erasing a person's words, and the
//! audit check over every subject's chain.

use super::{check_chain, entry_hash, Break, Entry, Facts, Private, Subject, GENESIS};
use crate::ids::AccountId;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

/// The columns an entry is written to, in the order `binds` gives them (`$1`…`$16` in `append`;
/// a statement that writes an entry itself, like the filing's, binds them in the same order).
pub const COLUMNS: &str =
    "subject, subject_id, seq, format, at, actor_id, actor_kind, kind, public,
    facts, note, personal, salt, digest, prev_hash, hash";

/// Appends one entry after the subject's head (`None` before the first); returns the new head,
/// which the caller writes to the subject's row in the same transaction.
pub async fn append(
    db: impl PgExecutor<'_>,
    head: Option<&[u8]>,
    e: &Entry,
) -> Result<Vec<u8>, sqlx::Error> {
    let prev = head.unwrap_or(&GENESIS);
    let hash = entry_hash(prev, e);
    sqlx::query!(
        "INSERT INTO history (subject, subject_id, seq, format, at, actor_id, actor_kind, kind, public,
             facts, note, personal, salt, digest, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12::text::jsonb, $13, $14,
             $15, $16)",
        e.subject.as_str(),
        e.subject_id,
        e.seq,
        e.format,
        e.at,
        e.actor_id,
        e.actor_kind,
        e.kind,
        e.public,
        e.facts.to_json(),
        e.private.note,
        e.private.personal.as_ref().map(Facts::to_json),
        e.private.salt,
        e.digest,
        prev,
        hash,
    )
    .execute(db)
    .await?;
    Ok(hash)
}

/// A step on a subject whose row keeps its head: who took it, what it was, its facts (states and
/// references only: no words, nothing personal).
pub struct Step<'a> {
    pub subject: Subject,
    pub id: Uuid,
    /// the subject's `history_seq` and `history_head` as read under its row's lock
    pub seq: i32,
    pub head: Option<&'a [u8]>,
    pub actor: Option<AccountId>,
    pub kind: &'a str,
    pub facts: Facts,
    pub at: OffsetDateTime,
}

/// Appends `step` to its subject's chain and moves the head on the subject's row, in the caller's
/// transaction (which holds the row's lock).
pub async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    step: Step<'_>,
) -> Result<(), sqlx::Error> {
    let private = Private::new("", Facts::new());
    let entry = Entry {
        subject: step.subject,
        subject_id: step.id,
        seq: step.seq + 1,
        format: super::FORMAT,
        at: super::to_micros(step.at),
        actor_id: step.actor.map(Uuid::from),
        actor_kind: if step.actor.is_some() {
            "citizen"
        } else {
            "system"
        }
        .into(),
        kind: step.kind.into(),
        public: true,
        facts: step.facts,
        digest: private.digest(),
        private,
    };
    let head = append(&mut **tx, step.head, &entry).await?;
    sqlx::query(&format!(
        "UPDATE {} SET history_seq = $2, history_head = $3 WHERE id = $1",
        step.subject.table()
    ))
    .bind(step.id)
    .bind(step.seq + 1)
    .bind(head)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Erases what a person wrote and the personal facts of every entry they acted in, with the
/// salts that keyed their digests: the chains still verify, and the digests say nothing more.
/// Returns how many entries held words.
pub async fn erase_words_of(
    db: impl PgExecutor<'_>,
    account: AccountId,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE history SET note = NULL, personal = NULL, salt = NULL
         WHERE actor_id = $1 AND format >= 2 AND salt IS NOT NULL",
        account.uuid(),
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// A subject whose history no longer checks, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenChain {
    pub subject: Subject,
    /// the name people know it by (a grievance's number), or its id once its row is gone
    pub name: String,
    pub problem: Break,
}

struct Row {
    seq: i32,
    format: i16,
    at: OffsetDateTime,
    actor_id: Option<Uuid>,
    actor_kind: String,
    kind: String,
    public: bool,
    facts: String,
    note: Option<String>,
    personal: Option<String>,
    salt: Option<Vec<u8>>,
    digest: Option<Vec<u8>>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl Row {
    /// Facts that no longer parse are an alteration too: they read back as empty, which no
    /// hash of real facts matches.
    fn entry(self, subject: Subject, subject_id: Uuid) -> (Entry, Vec<u8>, Vec<u8>) {
        let parse = |json: &str| Facts::from_json(json).unwrap_or_default();
        let entry = Entry {
            subject,
            subject_id,
            seq: self.seq,
            format: self.format,
            at: self.at,
            actor_id: self.actor_id,
            actor_kind: self.actor_kind,
            kind: self.kind,
            public: self.public,
            facts: parse(&self.facts),
            private: Private {
                note: self.note,
                personal: self.personal.as_deref().map(parse),
                salt: self.salt,
            },
            digest: self.digest,
        };
        (entry, self.prev_hash, self.hash)
    }
}

/// The chain of one subject, oldest first, as stored.
pub async fn chain(
    db: impl PgExecutor<'_>,
    subject: Subject,
    id: Uuid,
) -> Result<Vec<(Entry, Vec<u8>, Vec<u8>)>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as!(
        Row,
        r#"SELECT seq, format, at, actor_id, actor_kind, kind, public, facts::text AS "facts!", note,
                personal::text AS personal, salt, digest, prev_hash, hash
         FROM history WHERE subject = $1 AND subject_id = $2 ORDER BY seq"#,
        subject.as_str(),
        id,
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.entry(subject, id)).collect())
}

/// Verifies every chain of every subject; returns how many were checked and those broken.
#[tracing::instrument(name = "history::verify", skip_all)]
pub async fn verify(pool: &PgPool) -> Result<(usize, Vec<BrokenChain>), sqlx::Error> {
    let mut checked = 0;
    let mut broken = Vec::new();
    for subject in Subject::ALL {
        let heads: Vec<(Uuid, String, i32, Option<Vec<u8>>)> = sqlx::query_as(&format!(
            "SELECT id, {}, history_seq, history_head FROM {} ORDER BY id",
            subject.name_column(),
            subject.table()
        ))
        .fetch_all(pool)
        .await?;
        checked += heads.len();
        for (id, name, head_seq, head) in heads {
            let entries = chain(pool, subject, id).await?;
            if let Some(problem) = check_chain(&entries, head_seq, head.as_deref()) {
                broken.push(BrokenChain {
                    subject,
                    name,
                    problem,
                });
            }
        }
        // History whose subject's row is gone.
        let orphans: Vec<(Uuid, i64)> = sqlx::query_as(&format!(
            "SELECT h.subject_id, count(*) FROM history h
             WHERE h.subject = $1 AND NOT EXISTS (SELECT 1 FROM {} s WHERE s.id = h.subject_id)
             GROUP BY h.subject_id ORDER BY h.subject_id",
            subject.table()
        ))
        .bind(subject.as_str())
        .fetch_all(pool)
        .await?;
        for (id, entries) in orphans {
            broken.push(BrokenChain {
                subject,
                name: format!("(removed {} {id})", subject.as_str()),
                problem: Break::Orphaned { entries },
            });
        }
    }
    Ok((checked, broken))
}
