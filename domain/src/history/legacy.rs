//! Format 1: the grievance history as first written, every field in the clear. Entries migrated
//! from it keep their hashes; the fields it hashed are read back from the entry's facts (status,
//! assignee, department, level, deadline in microseconds) and its words (the note, and the filing
//! as one line under `facts`).

use super::{length_prefixed, micros, uuid_bytes, Entry};
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn uuid_fact(e: &Entry, name: &str) -> Option<Uuid> {
    e.facts.get(name).and_then(|v| Uuid::parse_str(v).ok())
}

pub(super) fn entry_hash(prev: &[u8], e: &Entry) -> Vec<u8> {
    let level: i32 = e
        .facts
        .get("level")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let deadline: i128 = e
        .facts
        .get("deadline")
        .and_then(|v| v.parse().ok())
        .unwrap_or(i128::MIN);
    let mut h = Sha256::new();
    for field in [
        prev,
        e.subject_id.as_bytes(),
        &e.seq.to_be_bytes(),
        &micros(e.at).to_be_bytes(),
        &uuid_bytes(e.actor_id),
        e.actor_kind.as_bytes(),
        e.kind.as_bytes(),
        e.facts.get("status").unwrap_or("").as_bytes(),
        &uuid_bytes(uuid_fact(e, "assignee")),
        &uuid_bytes(uuid_fact(e, "department")),
        &level.to_be_bytes(),
        &deadline.to_be_bytes(),
        e.private.note.as_deref().unwrap_or("").as_bytes(),
        e.private
            .personal
            .as_ref()
            .and_then(|p| p.get("facts"))
            .unwrap_or("")
            .as_bytes(),
        &[e.public as u8],
    ] {
        length_prefixed(&mut h, field);
    }
    h.finalize().to_vec()
}
