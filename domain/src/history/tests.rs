use super::*;

fn entry(seq: i32, note: &str) -> Entry {
    let private = Private::new(note, Facts::new().with("contact", "Asha, 98xxxxxx01"));
    Entry {
        subject: Subject::Grievance,
        subject_id: Uuid::from_u128(7),
        seq,
        format: FORMAT,
        at: to_micros(OffsetDateTime::from_unix_timestamp(1_790_000_000 + seq as i64).unwrap()),
        actor_id: None,
        actor_kind: "system".into(),
        kind: "comment".into(),
        public: true,
        facts: Facts::new()
            .with("status", "assigned")
            .with("assignee", Uuid::from_u128(9)),
        digest: private.digest(),
        private,
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

fn head(c: &[(Entry, Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    c.last().unwrap().2.clone()
}

#[test]
fn an_untouched_chain_checks() {
    let c = chain(4);
    assert_eq!(check_chain(&c, 4, Some(&head(&c))), None);
}

#[test]
fn any_change_is_found() {
    let c = chain(4);
    let head = head(&c);

    let mut altered = c.clone();
    altered[1].0.private.note = Some("nothing happened".into());
    assert_eq!(
        check_chain(&altered, 4, Some(&head)),
        Some(Break::Altered { seq: 2 })
    );

    let mut facts = c.clone();
    facts[1].0.facts.set("status", "resolved");
    assert_eq!(
        check_chain(&facts, 4, Some(&head)),
        Some(Break::Altered { seq: 2 })
    );

    let mut public = c.clone();
    public[2].0.public = false;
    assert_eq!(
        check_chain(&public, 4, Some(&head)),
        Some(Break::Altered { seq: 3 })
    );

    // words kept while their salt is dropped cannot be told from altered ones
    let mut unsalted = c.clone();
    unsalted[0].0.private.salt = None;
    assert_eq!(
        check_chain(&unsalted, 4, Some(&head)),
        Some(Break::Altered { seq: 1 })
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
    rehashed[1].0.facts.set("status", "closed");
    rehashed[1].2 = entry_hash(&rehashed[1].1, &rehashed[1].0);
    assert_eq!(
        check_chain(&rehashed, 4, Some(&head)),
        Some(Break::Link { seq: 3 })
    );
}

#[test]
fn erased_words_leave_a_chain_that_still_checks() {
    let mut c = chain(3);
    let head = head(&c);
    c[1].0.private = Private {
        note: None,
        personal: None,
        salt: None,
    };
    assert_eq!(check_chain(&c, 3, Some(&head)), None);
}

#[test]
fn the_digest_is_keyed_so_the_same_words_digest_differently() {
    let a = Private::new("Water leak at my house", Facts::new());
    let b = Private::new("Water leak at my house", Facts::new());
    assert_ne!(a.digest(), b.digest());
    assert_eq!(Private::new("", Facts::new()).digest(), None);
}

#[test]
fn facts_hash_alike_however_they_were_built() {
    let a = Facts::new().with("b", 2).with("a", 1).with("empty", "");
    let b = Facts::new().with("a", 1).with("b", 2);
    assert_eq!(a, b);
    assert_eq!(a.to_json(), r#"{"a":"1","b":"2"}"#);
    assert_eq!(Facts::from_json(&a.to_json()).unwrap(), a);
}

/// An entry written in format 1 (before the history was shared) keeps the hash it was written
/// with: this one was computed by that format's rules, field by field.
#[test]
fn format_one_entries_still_verify() {
    let e = Entry {
        subject: Subject::Grievance,
        subject_id: Uuid::from_u128(7),
        seq: 1,
        format: 1,
        at: OffsetDateTime::from_unix_timestamp(1_790_000_001).unwrap(),
        actor_id: None,
        actor_kind: "system".into(),
        kind: "comment".into(),
        public: true,
        facts: Facts::new()
            .with("status", "assigned")
            .with("assignee", Uuid::from_u128(9))
            .with("department", Uuid::from_u128(3))
            .with("level", 1)
            .with(
                "deadline",
                time_fact(OffsetDateTime::from_unix_timestamp(1_790_003_600).unwrap()),
            ),
        private: Private {
            note: Some("Streetlight out near the temple".into()),
            personal: Some(Facts::new().with("facts", "channel=web;ward=8")),
            salt: None,
        },
        digest: None,
    };
    let hash = entry_hash(&GENESIS, &e);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "3d22dd1349d3cbddf04c25667b9b309ccba6de026f060a9271815064812c2b49"
    );
    assert_eq!(
        check_chain(&[(e, GENESIS.to_vec(), hash.clone())], 1, Some(&hash)),
        None
    );
}
