//! Who the client is for the limits kept per client: its address (the peer's, or the one a
//! trusted proxy saw), and a hit on one of its limits.

use super::{parts, pool};
use domain::problem::Problem;

/// Where a request comes from, for the limits kept per client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

/// Proxies whose `X-Forwarded-For` is believed (`NAGARIK_TRUSTED_PROXIES`, addresses separated
/// by commas): the TLS proxy in front of the servers. Anyone else's header is ignored, or a
/// client could name a new address on every request.
pub(super) fn trusted_proxies() -> &'static [std::net::IpAddr] {
    static TRUSTED: std::sync::OnceLock<Vec<std::net::IpAddr>> = std::sync::OnceLock::new();
    TRUSTED.get_or_init(|| {
        std::env::var("NAGARIK_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect()
    })
}

/// The client's address: the peer's, or — when the peer is a trusted proxy — the right-most
/// address in `X-Forwarded-For` that is not itself a trusted proxy (the one the proxy saw).
pub fn client_of(
    peer: Option<std::net::IpAddr>,
    headers: &http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    // An IPv4 client of a dual-stack listener arrives as ::ffff:a.b.c.d: it is that IPv4 address.
    let peer = peer?.to_canonical();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
        .map(|a| a.to_canonical())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or(Some(peer))
}

/// A throttle key for the calling client and `kind` of limit: its address, an IPv6 address by
/// its /64 (one household or phone gets a whole /64).
pub fn client_key(kind: &str) -> String {
    let addr = parts().and_then(|p| p.extensions.get::<ClientAddr>().copied());
    key_for(kind, addr.unwrap_or(ClientAddr(None)))
}

/// The throttle key for `kind` of limit and a client's address (as `client_key`, outside a page).
pub fn key_for(kind: &str, addr: ClientAddr) -> String {
    match addr.0 {
        Some(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{kind}:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(ip) => format!("{kind}:{ip}"),
        None => format!("{kind}:unknown"),
    }
}

/// Counts one hit on this client's `kind` limit; over it, a `Throttled` problem to answer with
/// at `field`.
pub async fn client_limit(
    kind: &str,
    limit: domain::throttle::Limit,
    field: &'static str,
) -> Result<(), Problem> {
    let now = time::OffsetDateTime::now_utc();
    let hit = domain::throttle::hit(&pool(), &client_key(kind), limit, now).await?;
    match hit.refusal(field, "err_too_many_tries") {
        Some(p) => Err(p),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::client_of;
    use http::HeaderMap;
    use std::net::IpAddr;

    #[test]
    fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let proxy = ip("10.0.0.2");
        // anyone else's header is ignored: a client cannot pick a new address per request
        assert_eq!(
            client_of(Some(ip("192.0.2.1")), &headers, &[proxy]),
            Some(ip("192.0.2.1"))
        );
        // from the proxy: the right-most address it saw, not one the client wrote before it
        assert_eq!(
            client_of(Some(proxy), &headers, &[proxy]),
            Some(ip("198.51.100.7"))
        );
        // two proxies in a row: the first one that is not ours
        headers.insert("x-forwarded-for", "198.51.100.7, 10.0.0.3".parse().unwrap());
        assert_eq!(
            client_of(Some(proxy), &headers, &[proxy, ip("10.0.0.3")]),
            Some(ip("198.51.100.7"))
        );
        // no header: the proxy itself
        assert_eq!(
            client_of(Some(proxy), &HeaderMap::new(), &[proxy]),
            Some(proxy)
        );
        assert_eq!(client_of(None, &headers, &[proxy]), None);
    }
}
