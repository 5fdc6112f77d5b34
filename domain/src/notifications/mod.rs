//! The notification outbox: SMS and email are written in the same transaction as the change that
//! causes them, then delivered by a worker, retried with backoff when a provider fails.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub use store::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

/// Delivery attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// Seconds to wait before attempt `attempts + 1`: 5 s, 10 s, 20 s … capped at an hour.
pub fn retry_delay_seconds(attempts: i32) -> i64 {
    let exp = attempts.clamp(0, 20) as u32;
    (5i64 << exp).min(3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps() {
        assert_eq!(retry_delay_seconds(0), 5);
        assert_eq!(retry_delay_seconds(1), 10);
        assert_eq!(retry_delay_seconds(3), 40);
        assert_eq!(retry_delay_seconds(12), 3600);
        assert_eq!(retry_delay_seconds(100), 3600);
    }
}
