//! The tamper-evident history: each entry's hash covers its fields and the hash of the entry
//! before it, so changing or removing any entry breaks every hash after it, and the grievance row
//! keeps the newest hash (the head), so dropping the last entries shows too.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// The hash before the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// One history entry as it is hashed and stored.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Entry {
    pub grievance_id: Uuid,
    pub seq: i32,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub actor_kind: String,
    pub kind: String,
    pub status: String,
    pub assignee_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub level: i32,
    pub deadline_at: Option<OffsetDateTime>,
    pub note: String,
    pub facts: String,
    pub public: bool,
}

/// Postgres keeps microseconds: hash what will read back.
pub fn to_micros(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1_000 * 1_000)
        .expect("nanoseconds in range")
}

fn micros(t: OffsetDateTime) -> i128 {
    t.unix_timestamp_nanos() / 1_000
}

/// SHA-256 over the previous hash and every field, each length-prefixed so no two different
/// entries encode alike.
pub fn entry_hash(prev: &[u8], e: &Entry) -> Vec<u8> {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(prev);
    field(e.grievance_id.as_bytes());
    field(&e.seq.to_be_bytes());
    field(&micros(e.at).to_be_bytes());
    field(
        e.actor_id
            .map(|u| *u.as_bytes())
            .as_ref()
            .map_or(&[][..], |b| &b[..]),
    );
    field(e.actor_kind.as_bytes());
    field(e.kind.as_bytes());
    field(e.status.as_bytes());
    field(
        e.assignee_id
            .map(|u| *u.as_bytes())
            .as_ref()
            .map_or(&[][..], |b| &b[..]),
    );
    field(
        e.department_id
            .map(|u| *u.as_bytes())
            .as_ref()
            .map_or(&[][..], |b| &b[..]),
    );
    field(&e.level.to_be_bytes());
    field(&e.deadline_at.map(micros).unwrap_or(i128::MIN).to_be_bytes());
    field(e.note.as_bytes());
    field(e.facts.as_bytes());
    field(&[e.public as u8]);
    h.finalize().to_vec()
}

/// Where a grievance's chain is broken, if it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// An entry is missing (the numbers skip) or out of order.
    Gap { expected_seq: i32, found_seq: i32 },
    /// An entry does not point at the one before it.
    Link { seq: i32 },
    /// An entry's fields no longer match its hash.
    Altered { seq: i32 },
    /// The grievance's head does not match its newest entry (entries removed at the end).
    Head { entries: i32, head_seq: i32 },
    /// History entries whose grievance is gone (the grievance row was removed).
    Orphaned { entries: i64 },
}

/// Checks one grievance's chain: entries in `seq` order, with their stored hashes.
pub fn check_chain(
    entries: &[(Entry, Vec<u8>, Vec<u8>)],
    head_seq: i32,
    head: Option<&[u8]>,
) -> Option<Break> {
    let mut prev: Vec<u8> = GENESIS.to_vec();
    for (i, (e, prev_hash, hash)) in entries.iter().enumerate() {
        let expected_seq = i as i32 + 1;
        if e.seq != expected_seq {
            return Some(Break::Gap {
                expected_seq,
                found_seq: e.seq,
            });
        }
        if *prev_hash != prev {
            return Some(Break::Link { seq: e.seq });
        }
        if entry_hash(&prev, e) != *hash {
            return Some(Break::Altered { seq: e.seq });
        }
        prev = hash.clone();
    }
    let entries_n = entries.len() as i32;
    let head_matches = entries_n == head_seq
        && match head {
            Some(h) => h == prev.as_slice(),
            None => entries_n == 0,
        };
    (!head_matches).then_some(Break::Head {
        entries: entries_n,
        head_seq,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i32, note: &str) -> Entry {
        Entry {
            grievance_id: Uuid::from_u128(7),
            seq,
            at: to_micros(OffsetDateTime::from_unix_timestamp(1_790_000_000 + seq as i64).unwrap()),
            actor_id: None,
            actor_kind: "system".into(),
            kind: "comment".into(),
            status: "assigned".into(),
            assignee_id: Some(Uuid::from_u128(9)),
            department_id: Some(Uuid::from_u128(3)),
            level: 1,
            deadline_at: None,
            note: note.into(),
            facts: String::new(),
            public: true,
        }
    }

    fn chain(n: i32) -> Vec<(Entry, Vec<u8>, Vec<u8>)> {
        let mut prev = GENESIS.to_vec();
        (1..=n)
            .map(|s| {
                let e = entry(s, &format!("note {s}"));
                let h = entry_hash(&prev, &e);
                let out = (e, prev.clone(), h.clone());
                prev = h;
                out
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_checks() {
        let c = chain(4);
        let head = c.last().unwrap().2.clone();
        assert_eq!(check_chain(&c, 4, Some(&head)), None);
    }

    #[test]
    fn any_change_is_found() {
        let c = chain(4);
        let head = c.last().unwrap().2.clone();

        let mut altered = c.clone();
        altered[1].0.note = "nothing happened".into();
        assert_eq!(
            check_chain(&altered, 4, Some(&head)),
            Some(Break::Altered { seq: 2 })
        );

        let mut public = c.clone();
        public[2].0.public = false;
        assert_eq!(
            check_chain(&public, 4, Some(&head)),
            Some(Break::Altered { seq: 3 })
        );

        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(
            check_chain(&removed, 4, Some(&head)),
            Some(Break::Gap {
                expected_seq: 2,
                found_seq: 3
            })
        );

        let truncated = c[..3].to_vec();
        assert_eq!(
            check_chain(&truncated, 4, Some(&head)),
            Some(Break::Head {
                entries: 3,
                head_seq: 4
            })
        );

        // re-hashing one entry after changing it still breaks the link of the next
        let mut rehashed = c.clone();
        rehashed[1].0.note = "changed".into();
        rehashed[1].2 = entry_hash(&rehashed[1].1, &rehashed[1].0);
        assert_eq!(
            check_chain(&rehashed, 4, Some(&head)),
            Some(Break::Link { seq: 3 })
        );
    }
}
