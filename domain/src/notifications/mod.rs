//! The notification outbox: SMS, email and web push are written in the same transaction as the
//! change that causes them, then delivered by a worker through real providers, retried with
//! backoff when a provider fails, and handed to the next channel when one cannot deliver.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub use store::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sms,
    Email,
    /// To every device the person has subscribed; the recipient is their account id.
    Push,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Push => "push",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "sms" => Some(Channel::Sms),
            "email" => Some(Channel::Email),
            "push" => Some(Channel::Push),
            _ => None,
        }
    }
}

/// One way to reach a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub channel: Channel,
    pub recipient: String,
}

/// What is known of how to reach the person a notice is for.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    /// Their account, when they have one and at least one device subscribed to push.
    pub push_account: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

/// The channels a notice tries, best first: web push where a device is subscribed (instant and
/// free), then SMS (every phone has it), then email. The first is sent; the rest wait as
/// fallbacks and are used only if it cannot be delivered.
pub fn delivery_chain(reach: &Reach) -> Vec<Address> {
    let present = |v: &Option<String>| v.as_ref().filter(|s| !s.trim().is_empty()).cloned();
    [
        (Channel::Push, present(&reach.push_account)),
        (Channel::Sms, present(&reach.mobile)),
        (Channel::Email, present(&reach.email)),
    ]
    .into_iter()
    .filter_map(|(channel, recipient)| recipient.map(|recipient| Address { channel, recipient }))
    .collect()
}

/// Why a provider could not deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Worth trying again later: the provider is down, busy or timed out.
    Retry(String),
    /// Trying again cannot help (no such number, mailbox refused, no device subscribed): the next
    /// channel is tried at once.
    Permanent(String),
}

impl Failure {
    pub fn reason(&self) -> &str {
        match self {
            Failure::Retry(r) | Failure::Permanent(r) => r,
        }
    }
}

/// Delivery attempts on one channel before the next channel is tried (about 75 s in all).
pub const MAX_ATTEMPTS: i32 = 5;

/// Seconds to wait before attempt `attempts + 1`: 5 s, 10 s, 20 s … capped at an hour.
pub fn retry_delay_seconds(attempts: i32) -> i64 {
    let exp = attempts.clamp(0, 20) as u32;
    (5i64 << exp).min(3600)
}

/// What happens to a message after a failed attempt number `attempts` (counting this one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    RetryIn(i64),
    /// Given up on this channel; the next in the chain (if any) takes over.
    GiveUp,
}

pub fn after_failure(failure: &Failure, attempts: i32) -> AfterFailure {
    match failure {
        Failure::Permanent(_) => AfterFailure::GiveUp,
        Failure::Retry(_) if attempts >= MAX_ATTEMPTS => AfterFailure::GiveUp,
        Failure::Retry(_) => AfterFailure::RetryIn(retry_delay_seconds(attempts - 1)),
    }
}

/// Push services every browser uses (Chrome and Android, Firefox, Safari, Edge). The server
/// posts only to these, and to any the operator adds, so a subscription cannot aim the server at
/// an address of the city's own network.
pub const KNOWN_PUSH_SERVICES: [&str; 4] = [
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.notify.windows.com",
];

/// Checks a browser's push subscription before it is kept: an endpoint at an allowed push
/// service, and keys of the sizes RFC 8291 gives (a 65-byte P-256 point, a 16-byte secret), in
/// base64url.
pub fn check_push_subscription(
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    services: &[String],
) -> Result<(), &'static str> {
    if endpoint.len() > 2048 || !services.iter().any(|s| at_service(endpoint, s)) {
        return Err("err_push_service");
    }
    let b64url = |v: &str, bytes: usize| {
        let v = v.trim_end_matches('=');
        v.len() == (bytes * 4).div_ceil(3)
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !b64url(p256dh, 65) || !p256dh.starts_with("B") || !b64url(auth, 16) {
        return Err("err_push_keys");
    }
    Ok(())
}

/// Whether `endpoint` is at `service`, an origin (any port when it names none), or
/// `https://*.domain` for any host under that domain.
fn at_service(endpoint: &str, service: &str) -> bool {
    let Some((scheme, rest)) = endpoint.split_once("://") else {
        return false;
    };
    let Some((service_scheme, service_host)) = service.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if scheme != service_scheme
        || authority.contains('@')
        || !rest[authority.len()..].starts_with('/')
    {
        return false;
    }
    let host = authority.split(':').next().unwrap_or("");
    let wanted_port = service_host.split_once(':').map(|(_, p)| p);
    let service_host = service_host.split(':').next().unwrap_or("");
    let port_ok =
        wanted_port.is_none_or(|p| authority.split_once(':').map(|(_, ap)| ap) == Some(p));
    let host_ok = match service_host.strip_prefix("*.") {
        Some(domain) => host.len() > domain.len() + 1 && host.ends_with(&format!(".{domain}")),
        None => host == service_host,
    };
    host_ok && port_ok
}

/// A recipient as staff may see it: the last digits of a mobile, the first letter and domain of
/// an email, "their devices" for push, and nothing at all of an anonymous filer.
pub fn masked_recipient(
    channel: Channel,
    recipient: &str,
    anonymous: bool,
    l: crate::Locale,
) -> String {
    if anonymous {
        return "—".into();
    }
    match channel {
        Channel::Sms => crate::identity::MobileNumber::parse(recipient)
            .map(|m| m.masked())
            .unwrap_or_else(|_| "—".into()),
        Channel::Email => match recipient.split_once('@') {
            Some((name, domain)) => {
                format!("{}•••@{domain}", name.chars().next().unwrap_or('•'))
            }
            None => "—".into(),
        },
        Channel::Push => i18n::t::message_to_devices(l).to_string(),
    }
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

    #[test]
    fn push_first_then_sms_then_email_and_blanks_are_skipped() {
        let all = delivery_chain(&Reach {
            push_account: Some("acc".into()),
            mobile: Some("9437012345".into()),
            email: Some("a@b.in".into()),
        });
        let channels: Vec<_> = all.iter().map(|a| a.channel).collect();
        assert_eq!(channels, [Channel::Push, Channel::Sms, Channel::Email]);
        let sms_only = delivery_chain(&Reach {
            push_account: None,
            mobile: Some("9437012345".into()),
            email: Some("  ".into()),
        });
        assert_eq!(
            sms_only,
            [Address {
                channel: Channel::Sms,
                recipient: "9437012345".into()
            }]
        );
        assert!(delivery_chain(&Reach::default()).is_empty());
    }

    #[test]
    fn a_permanent_failure_gives_up_at_once_and_a_passing_one_after_the_last_attempt() {
        let down = Failure::Retry("503".into());
        assert_eq!(after_failure(&down, 1), AfterFailure::RetryIn(5));
        assert_eq!(after_failure(&down, 2), AfterFailure::RetryIn(10));
        assert_eq!(after_failure(&down, MAX_ATTEMPTS), AfterFailure::GiveUp);
        let gone = Failure::Permanent("410".into());
        assert_eq!(after_failure(&gone, 1), AfterFailure::GiveUp);
    }

    #[test]
    fn push_subscriptions_must_point_at_a_push_service_with_keys_of_the_right_size() {
        let services: Vec<String> = KNOWN_PUSH_SERVICES
            .iter()
            .map(|s| s.to_string())
            .chain(["http://127.0.0.1".to_string()])
            .collect();
        let p256dh = format!("B{}", "A".repeat(86));
        let auth = "A".repeat(22);
        let ok = |e: &str| check_push_subscription(e, &p256dh, &auth, &services);
        assert_eq!(ok("https://fcm.googleapis.com/fcm/send/abc"), Ok(()));
        assert_eq!(
            ok("https://wns2-par02p.notify.windows.com/w/?token=x"),
            Ok(())
        );
        assert_eq!(ok("http://127.0.0.1:3125/push/phone-1"), Ok(()));
        for bad in [
            "javascript:alert(1)",
            "https://fcm.googleapis.com.evil.in/x",
            "https://evil.in/?https://fcm.googleapis.com/",
            "https://user@fcm.googleapis.com/x",
            "http://fcm.googleapis.com/x",
            "https://notify.windows.com/x",
            "http://10.0.0.5/push",
            "https://fcm.googleapis.com",
        ] {
            assert_eq!(ok(bad), Err("err_push_service"), "{bad}");
        }
        let endpoint = "https://fcm.googleapis.com/fcm/send/abc";
        assert_eq!(
            check_push_subscription(endpoint, "BBBB", &auth, &services),
            Err("err_push_keys")
        );
        assert_eq!(
            check_push_subscription(endpoint, &p256dh, "a+b/", &services),
            Err("err_push_keys")
        );
    }

    #[test]
    fn staff_see_recipients_masked_and_anonymous_filers_not_at_all() {
        use crate::Locale;
        assert_eq!(
            masked_recipient(Channel::Sms, "9876543210", false, Locale::En),
            "••••••3210"
        );
        assert_eq!(
            masked_recipient(Channel::Email, "sita@example.in", false, Locale::En),
            "s•••@example.in"
        );
        assert_eq!(
            masked_recipient(Channel::Email, "nonsense", false, Locale::En),
            "—"
        );
        assert_eq!(
            masked_recipient(Channel::Sms, "9876543210", true, Locale::En),
            "—"
        );
        assert!(!masked_recipient(Channel::Push, "acct", false, Locale::En).contains("acct"));
    }
}
