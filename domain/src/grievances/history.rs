//! A grievance's entry in the shared history (`crate::history`): what each step records, and how
//! it is kept there. Its state (status, assignee, department, level, deadline) and references
//! (channel, category, ward, photos' SHA-256) are chained as facts; what a person wrote and a
//! filing's personal facts (contact, landmark, address, place, recording) as words, by digest.

pub use crate::history::to_micros;
use crate::history::{self, Facts, Private, Subject};
use crate::ids::{AccountId, DepartmentId};
use time::OffsetDateTime;
use uuid::Uuid;

/// One step of a grievance as its history records it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub grievance_id: Uuid,
    pub seq: i32,
    pub at: OffsetDateTime,
    pub actor_id: Option<AccountId>,
    pub actor_kind: String,
    pub kind: String,
    pub status: String,
    pub assignee_id: Option<AccountId>,
    pub department_id: Option<DepartmentId>,
    pub level: i32,
    pub deadline_at: Option<OffsetDateTime>,
    pub note: String,
    /// more of what happened, chained as it is: never personal data
    pub facts: Facts,
    /// a filing's personal facts, chained by digest only
    pub personal: Facts,
    pub public: bool,
}

impl Entry {
    /// The entry as the shared history keeps it, with a fresh salt for its words.
    pub fn to_history(&self) -> history::Entry {
        let mut facts = self
            .facts
            .clone()
            .with("status", &self.status)
            .with("level", self.level);
        if let Some(a) = self.assignee_id {
            facts.set("assignee", a);
        }
        if let Some(d) = self.department_id {
            facts.set("department", d);
        }
        if let Some(t) = self.deadline_at {
            facts.set("deadline", history::time_fact(t));
        }
        let private = Private::new(&self.note, self.personal.clone());
        history::Entry {
            subject: Subject::Grievance,
            subject_id: self.grievance_id,
            seq: self.seq,
            format: history::FORMAT,
            at: self.at,
            actor_id: self.actor_id.map(uuid::Uuid::from),
            actor_kind: self.actor_kind.clone(),
            kind: self.kind.clone(),
            public: self.public,
            facts,
            digest: private.digest(),
            private,
        }
    }
}

/// SQL that reads an entry's state back from the shared history `h`, for timelines and feeds.
pub(crate) const STATE_COLUMNS: &str = "h.facts->>'status' AS status,
    (h.facts->>'assignee')::uuid AS assignee_id, (h.facts->>'department')::uuid AS department_id,
    (h.facts->>'level')::int AS level,
    timestamptz 'epoch' + (h.facts->>'deadline')::bigint * interval '1 microsecond' AS deadline_at,
    COALESCE(h.note, '') AS note";
