//! Typed row ids. A person's account, a department and a post are all UUIDs in Postgres, but a
//! function that takes a department cannot be handed an account by mistake: each kind of row has
//! its own type. An id is parsed once, where it enters (a form, a URL, a server function's
//! argument), by `FromStr`; past that it is trusted. Postgres reads and writes them as `uuid`
//! (`query_as!` columns say `AS "id: AccountId"`; a `query!` binds `id.uuid()`), and they travel
//! to the browser as the UUID's text.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The text given is not an id of this kind: the answer at the edge is "not found" (an id that
/// cannot be parsed names no row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotAnId;

impl fmt::Display for NotAnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an id")
    }
}

impl std::error::Error for NotAnId {}

macro_rules! typed_ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new id, time-ordered (UUIDv7) so new rows land at the end of their indexes.
            #[cfg(feature = "ssr")]
            #[allow(clippy::new_without_default)]
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            /// The UUID, to bind in a checked query.
            pub fn uuid(self) -> uuid::Uuid {
                self.0
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(id: uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = NotAnId;
            fn from_str(s: &str) -> Result<Self, NotAnId> {
                uuid::Uuid::parse_str(s.trim()).map(Self).map_err(|_| NotAnId)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

typed_ids! {
    /// A person's account (`users.id`): citizen, official or admin.
    AccountId,
    /// A department (`departments.id`).
    DepartmentId,
    /// A post in a department (`posts.id`), which one person holds at a time.
    PostId,
    /// A service of the catalogue (`services.id`).
    ServiceId,
    /// A document in a citizen's locker (`locker_documents.id`).
    DocumentId,
    /// A background job (`jobs.id`).
    JobId,
    /// A signed-in session (`sessions.id`).
    SessionId,
}

/// An id named by a short word, for the rules' unit tests: `named("bmc")` is always the same id,
/// and two different words are two different ids.
#[cfg(test)]
pub(crate) fn named<T: From<uuid::Uuid>>(word: &str) -> T {
    let mut bytes = [0u8; 16];
    bytes[..word.len()].copy_from_slice(word.as_bytes());
    T::from(uuid::Uuid::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_parsed_once_and_shown_as_it_came() {
        let text = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        let id: AccountId = text.parse().unwrap();
        assert_eq!(id.to_string(), text);
        assert_eq!(format!(" {text}\n").parse::<AccountId>(), Ok(id));
        assert_eq!("".parse::<AccountId>(), Err(NotAnId));
        assert_eq!("GR-2026-000001".parse::<DepartmentId>(), Err(NotAnId));
    }

    #[test]
    fn an_id_travels_as_the_uuid_text() {
        let text = "\"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\"";
        let id: PostId = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), text);
        assert!(serde_json::from_str::<PostId>("\"post 7\"").is_err());
    }
}
