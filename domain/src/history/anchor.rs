//! Anchors: the heads of every chain, written somewhere the app cannot write (a file an operator
//! copies off the database host, a ticket, a printout), so that a chain rewritten whole, with its
//! head, by someone holding the app's database role is still found: the entry an anchor names
//! must still exist with the hash it had.
//!
//! An anchor is plain text: a first line `nagarik-anchor/1 <time>`, then one line per chain,
//! `<subject> <id> <seq> <hash in hex>`, and a last line `sha256 <hex>` over the lines before it
//! (so a truncated or edited anchor is refused rather than trusted).

use super::Subject;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

pub const FORMAT: &str = "nagarik-anchor/1";

/// One chain's head as anchored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub subject: String,
    pub id: Uuid,
    pub seq: i32,
    pub hash: Vec<u8>,
}

/// An anchored head that no longer holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    pub head: Head,
    /// the hash the entry has now, or None when the entry is gone
    pub now: Option<Vec<u8>>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Every chain's head now, as an anchor's text.
pub async fn write(pool: &PgPool, at: time::OffsetDateTime) -> Result<String, sqlx::Error> {
    let mut lines = vec![format!("{FORMAT} {}", super::time_fact(at))];
    for subject in Subject::ALL {
        let heads: Vec<(Uuid, i32, Option<Vec<u8>>)> = sqlx::query_as(&format!(
            "SELECT id, history_seq, history_head FROM {} WHERE history_seq > 0 ORDER BY id",
            subject.table()
        ))
        .fetch_all(pool)
        .await?;
        for (id, seq, head) in heads {
            let Some(head) = head else { continue };
            lines.push(format!("{} {id} {seq} {}", subject.as_str(), hex(&head)));
        }
    }
    let digest = hex(&Sha256::digest(lines.join("\n").as_bytes()));
    lines.push(format!("sha256 {digest}"));
    Ok(lines.join("\n") + "\n")
}

/// Reads an anchor's heads; `Err` names what is wrong with the text.
pub fn read(text: &str) -> Result<Vec<Head>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return Err("empty anchor".into());
    };
    if !first.starts_with(FORMAT) {
        return Err(format!("not a {FORMAT} anchor"));
    }
    let body = &lines[..lines.len() - 1];
    let expected = hex(&Sha256::digest(body.join("\n").as_bytes()));
    if last.strip_prefix("sha256 ") != Some(expected.as_str()) {
        return Err("the anchor's own digest does not match: it was cut or edited".into());
    }
    body[1..]
        .iter()
        .map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            let [subject, id, seq, hash] = parts[..] else {
                return Err(format!("unreadable line: {line}"));
            };
            Ok(Head {
                subject: subject.to_string(),
                id: Uuid::parse_str(id).map_err(|_| format!("bad id: {line}"))?,
                seq: seq.parse().map_err(|_| format!("bad seq: {line}"))?,
                hash: unhex(hash).ok_or_else(|| format!("bad hash: {line}"))?,
            })
        })
        .collect()
}

/// The anchored heads whose entry is gone or has another hash now. Entries after an anchored
/// head are not its concern (the chain check covers them from it).
pub async fn check(pool: &PgPool, heads: &[Head]) -> Result<Vec<Moved>, sqlx::Error> {
    let mut moved = Vec::new();
    for head in heads {
        let now: Option<Vec<u8>> = sqlx::query_scalar!(
            "SELECT hash FROM history WHERE subject = $1 AND subject_id = $2 AND seq = $3",
            head.subject,
            head.id,
            head.seq,
        )
        .fetch_optional(pool)
        .await?;
        if now.as_deref() != Some(head.hash.as_slice()) {
            moved.push(Moved {
                head: head.clone(),
                now,
            });
        }
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(lines: &[&str]) -> String {
        let body = lines.join("\n");
        format!("{body}\nsha256 {}\n", hex(&Sha256::digest(body.as_bytes())))
    }

    #[test]
    fn an_anchor_reads_back_its_heads_and_refuses_an_edit() {
        let id = Uuid::nil();
        let text = anchor(&[
            "nagarik-anchor/1 1764460800000000",
            &format!("grievance {id} 3 00ff10"),
        ]);
        let heads = read(&text).unwrap();
        assert_eq!(
            heads,
            vec![Head {
                subject: "grievance".into(),
                id,
                seq: 3,
                hash: vec![0x00, 0xff, 0x10],
            }]
        );
        let edited = text.replace(" 3 ", " 2 ");
        assert!(read(&edited).unwrap_err().contains("digest"));
        let cut: String = text.lines().take(1).collect::<Vec<_>>().join("\n");
        assert!(read(&cut).is_err());
        assert!(read("something else\nsha256 00").is_err());
    }
}
