//! The client's address. Behind a reverse proxy the peer is the proxy; its
//! `X-Forwarded-For` or `Forwarded` header is believed only when the peer is a configured
//! trusted proxy (`[proxy] trusted`), and then only as far back as the chain of trusted
//! proxies goes: the first address from the right that is not a trusted proxy is the
//! client. Anything that does not parse leaves the peer as the client.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The client's address, given the peer and the trusted proxies.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let Some(hops) = forwarded(headers).or_else(|| x_forwarded_for(headers)) else {
        return Some(peer);
    };
    Some(hops.iter().rev().find(|ip| !is_trusted(ip)).or(hops.first()).copied().unwrap_or(peer))
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711`,
/// `"[2001:db8::1]"`, `2001:db8::1`.
fn address(raw: &str) -> Option<IpAddr> {
    let s = raw.trim().trim_matches('"');
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    s.rsplit_once(':').and_then(|(ip, port)| port.parse::<u16>().ok().and(ip.parse().ok()))
}

/// The hops of `X-Forwarded-For` (every header line, in order); `None` when absent or
/// when any hop does not parse.
fn x_forwarded_for(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let mut hops = Vec::new();
    for v in headers.get_all("x-forwarded-for") {
        for part in v.to_str().ok()?.split(',') {
            hops.push(address(part)?);
        }
    }
    (!hops.is_empty()).then_some(hops)
}

/// The `for=` hops of `Forwarded` (RFC 7239); `None` when absent or when any hop does not
/// name an address (`unknown`, obfuscated identifiers).
fn forwarded(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let mut hops = Vec::new();
    for v in headers.get_all("forwarded") {
        for element in v.to_str().ok()?.split(',') {
            let for_ = element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .map(|(_, v)| v)?;
            hops.push(address(for_)?);
        }
    }
    (!hops.is_empty()).then_some(hops)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(client_ip(Some(ip("203.0.113.9")), &h, &[]), Some(ip("203.0.113.9")));
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        assert_eq!(client_ip(Some(ip("203.0.113.9")), &h, &trusted), Some(ip("203.0.113.9")));
    }

    #[test]
    fn a_trusted_proxy_tells_the_client_and_a_spoofed_first_hop_does_not_win() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        // The client claimed 6.6.6.6 itself; the proxy appended the real address.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.2")]);
        assert_eq!(client_ip(Some(ip("10.0.0.1")), &h, &trusted), Some(ip("198.51.100.7")));
        let f = headers(&[("forwarded", r#"for=198.51.100.7;proto=https, for="[2001:db8::1]:4711""#)]);
        assert_eq!(client_ip(Some(ip("10.0.0.1")), &f, &trusted), Some(ip("2001:db8::1")));
    }

    #[test]
    fn unparsable_forwarding_leaves_the_peer_as_the_client() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        for h in [headers(&[("x-forwarded-for", "not-an-ip")]), headers(&[("forwarded", "for=unknown")])] {
            assert_eq!(client_ip(Some(ip("10.0.0.1")), &h, &trusted), Some(ip("10.0.0.1")));
        }
        assert_eq!(client_ip(Some(ip("10.0.0.1")), &HeaderMap::new(), &trusted), Some(ip("10.0.0.1")));
    }
}
