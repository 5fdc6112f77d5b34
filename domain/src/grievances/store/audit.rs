//! The history check: every grievance's chain is walked and each break named.

use crate::grievances::history::{self, Entry};
use sqlx::PgPool;
use uuid::Uuid;

/// A grievance whose history no longer checks, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenChain {
    pub number: String,
    pub problem: history::Break,
}

/// Verifies every grievance's chain; returns how many were checked and those that are broken.
pub async fn verify_history(pool: &PgPool) -> Result<(usize, Vec<BrokenChain>), sqlx::Error> {
    let heads: Vec<(Uuid, String, i32, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT id, number, history_seq, history_head FROM grievances ORDER BY id")
            .fetch_all(pool)
            .await?;
    let mut broken = Vec::new();
    for (id, number, head_seq, head) in &heads {
        let rows: Vec<(Entry, Vec<u8>, Vec<u8>)> = sqlx::query_as::<_, HashedEntry>(
            "SELECT grievance_id, seq, at, actor_id, actor_kind, kind, status, assignee_id, department_id,
                    level, deadline_at, note, facts, public, prev_hash, hash
             FROM grievance_history WHERE grievance_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|h| (h.entry, h.prev_hash, h.hash))
        .collect();
        if let Some(problem) = history::check_chain(&rows, *head_seq, head.as_deref()) {
            broken.push(BrokenChain {
                number: number.clone(),
                problem,
            });
        }
    }
    // History whose grievance row is gone: named by the number its first entry was filed under.
    let orphans: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT h.grievance_id, count(*) FROM grievance_history h
         WHERE NOT EXISTS (SELECT 1 FROM grievances g WHERE g.id = h.grievance_id)
         GROUP BY h.grievance_id ORDER BY h.grievance_id",
    )
    .fetch_all(pool)
    .await?;
    for (id, entries) in orphans {
        broken.push(BrokenChain {
            number: format!("(removed grievance {id})"),
            problem: history::Break::Orphaned { entries },
        });
    }
    Ok((heads.len(), broken))
}

#[derive(sqlx::FromRow)]
struct HashedEntry {
    #[sqlx(flatten)]
    entry: Entry,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}
