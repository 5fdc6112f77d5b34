//! The shared, tamper-evident history of every subject the city keeps (grievances today;
//! applications, bookings, payments and document access as they come): one append-only table,
//! one chain per subject, one check over all of them.
//!
//! Each entry's hash covers its fields and the hash of the entry before it, so changing or
//! removing any entry breaks every hash after it; the subject's own row keeps the newest hash
//! (the head), so dropping the last entries shows too.
//!
//! What an entry chains as it is, its `facts`, are states and references only (a status, an
//! official's id, a ward number, a photo's SHA-256), never personal data. What a person wrote
//! (`note`) and personal facts (a contact, an address, a place) are chained by a keyed digest:
//! SHA-256 over a random salt kept beside them and the words. Erasing an account's words clears
//! the words and the salt together; the digest stays, the chain still verifies, and without the
//! salt the digest gives nothing away.
//!
//! Entries carry the `format` their hash was computed in, so the chains written in an older
//! format still verify after a newer one (a signature, a key id) is added: 1 is the grievance
//! history as first written (every field in the clear), 2 is today's.

pub mod anchor;
mod legacy;
pub mod store;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// The hash before the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// The format entries are written in today.
pub const FORMAT: i16 = 2;

/// What a chain is the history of. Each names the table that keeps its head
/// (`history_seq`, `history_head`) and how its rows are named in the audit check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    Grievance,
    /// an account's security events (`identity::store::security_log`)
    Account,
    Application,
    /// a payment's life: started, pending, captured, failed, refunded (`payments::store`)
    Payment,
    /// a facility's booking: held, confirmed, cancelled (`bookings::store`)
    Booking,
    /// a bill's payment: paying, paid, confirmed or refused by the biller (`bills::store`)
    BillPayment,
}

impl Subject {
    pub const ALL: [Subject; 6] = [
        Subject::Grievance,
        Subject::Account,
        Subject::Application,
        Subject::Payment,
        Subject::Booking,
        Subject::BillPayment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Grievance => "grievance",
            Subject::Account => "account",
            Subject::Application => "application",
            Subject::Payment => "payment",
            Subject::Booking => "booking",
            Subject::BillPayment => "bill_payment",
        }
    }

    /// The table of its rows, which keep its head (`history_seq`, `history_head`).
    pub(crate) fn table(self) -> &'static str {
        match self {
            Subject::Grievance => "grievances",
            // not `users`: the chain outlives a closed account
            Subject::Account => "account_chains",
            Subject::Application => "applications",
            Subject::Payment => "payments",
            Subject::Booking => "bookings",
            Subject::BillPayment => "bill_payments",
        }
    }

    /// The column that holds the name people know a row by.
    pub(crate) fn name_column(self) -> &'static str {
        match self {
            Subject::Grievance => "number",
            Subject::Account => "label",
            Subject::Application => "number",
            // a payment is known by its gateway order (none if the gateway never made one)
            Subject::Payment => "COALESCE(order_id, id::text)",
            Subject::Booking | Subject::BillPayment => "number",
        }
    }
}

/// Named values, kept sorted so they hash the same however they were built.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Facts(BTreeMap<String, String>);

impl Facts {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a value; an empty one is left out, so "not given" has one form.
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.set(name, value);
        self
    }
    pub fn set(&mut self, name: &str, value: impl ToString) {
        let value = value.to_string();
        if value.is_empty() {
            self.0.remove(name);
        } else {
            self.0.insert(name.to_string(), value);
        }
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The canonical form: compact JSON, names sorted. What is stored and what is hashed.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("a map of strings serialises")
    }
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json).map(Facts)
    }
}

/// What a person wrote and personal facts: chained only by a salted digest, and erasable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Private {
    pub note: Option<String>,
    pub personal: Option<Facts>,
    /// The digest's key; `None` once the words are erased.
    pub salt: Option<Vec<u8>>,
}

impl Private {
    /// Words to keep with a fresh random salt; nothing to keep when both are empty.
    pub fn new(note: &str, personal: Facts) -> Self {
        let note = (!note.is_empty()).then(|| note.to_string());
        let personal = (!personal.is_empty()).then_some(personal);
        let salt = (note.is_some() || personal.is_some()).then(|| {
            use rand::RngCore;
            let mut salt = vec![0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut salt);
            salt
        });
        Private {
            note,
            personal,
            salt,
        }
    }

    /// The keyed digest the chain covers; `None` when there were no words.
    pub fn digest(&self) -> Option<Vec<u8>> {
        let salt = self.salt.as_ref()?;
        let mut h = Sha256::new();
        length_prefixed(&mut h, salt);
        length_prefixed(&mut h, self.note.as_deref().unwrap_or("").as_bytes());
        length_prefixed(
            &mut h,
            self.personal
                .as_ref()
                .map(Facts::to_json)
                .unwrap_or_default()
                .as_bytes(),
        );
        Some(h.finalize().to_vec())
    }
}

/// One entry as it is hashed and stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub subject: Subject,
    pub subject_id: Uuid,
    pub seq: i32,
    pub format: i16,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    /// who acted, as a timeline names them: citizen, official, system, or a channel
    pub actor_kind: String,
    /// what happened, in the subject's own words (`filed`, `assign`, `escalated`)
    pub kind: String,
    /// internal entries are for staff only
    pub public: bool,
    pub facts: Facts,
    pub private: Private,
    /// the digest as stored (what the hash covered); for a new entry, `private.digest()`
    pub digest: Option<Vec<u8>>,
}

/// Postgres keeps microseconds: hash what will read back.
pub fn to_micros(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1_000 * 1_000)
        .expect("nanoseconds in range")
}

pub(crate) fn micros(t: OffsetDateTime) -> i128 {
    t.unix_timestamp_nanos() / 1_000
}

/// A time as facts keep it: microseconds since the epoch (SQL reads it back with
/// `timestamptz 'epoch' + (facts->>'name')::bigint * interval '1 microsecond'`).
pub fn time_fact(t: OffsetDateTime) -> String {
    micros(t).to_string()
}

fn length_prefixed(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

pub(crate) fn uuid_bytes(id: Option<Uuid>) -> Vec<u8> {
    id.map(|u| u.as_bytes().to_vec()).unwrap_or_default()
}

/// The entry's hash in its own format: SHA-256 over the previous hash and every field, each
/// length-prefixed so no two different entries encode alike.
pub fn entry_hash(prev: &[u8], e: &Entry) -> Vec<u8> {
    if e.format == 1 {
        return legacy::entry_hash(prev, e);
    }
    let mut h = Sha256::new();
    for field in [
        prev,
        &e.format.to_be_bytes(),
        e.subject.as_str().as_bytes(),
        e.subject_id.as_bytes(),
        &e.seq.to_be_bytes(),
        &micros(e.at).to_be_bytes(),
        &uuid_bytes(e.actor_id),
        e.actor_kind.as_bytes(),
        e.kind.as_bytes(),
        &[e.public as u8],
        e.facts.to_json().as_bytes(),
        e.digest.as_deref().unwrap_or(&[]),
    ] {
        length_prefixed(&mut h, field);
    }
    h.finalize().to_vec()
}

/// Where a chain is broken, if it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// An entry is missing (the numbers skip) or out of order.
    Gap { expected_seq: i32, found_seq: i32 },
    /// An entry does not point at the one before it.
    Link { seq: i32 },
    /// An entry's fields no longer match its hash, or its words their digest.
    Altered { seq: i32 },
    /// The subject's head does not match its newest entry (entries removed at the end).
    Head { entries: i32, head_seq: i32 },
    /// History entries whose subject is gone (its row was removed).
    Orphaned { entries: i64 },
}

/// Whether the words still match the digest the chain covers. Erased words (no salt, no words)
/// match; words without their salt, or a digest that moved, do not.
fn words_match(e: &Entry) -> bool {
    if e.format == 1 {
        return true; // in the clear: the hash itself covers them
    }
    match &e.private.salt {
        Some(_) => e.private.digest() == e.digest,
        None => e.private.note.is_none() && e.private.personal.is_none(),
    }
}

/// Checks one chain: entries in `seq` order, with their stored hashes.
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
        if entry_hash(&prev, e) != *hash || !words_match(e) {
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
mod tests;
