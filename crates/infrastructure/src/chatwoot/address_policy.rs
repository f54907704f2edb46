//! Which addresses a multi-tenant deployment refuses to call, and the
//! resolution that vets a host before any connection is made to it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use application::CheckFailure;
use ipnet::IpNet;
use url::{Host, Url};

/// Where the requests of one check may connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Vetted {
    /// The URL names an IP address, already vetted; nothing to resolve.
    IpLiteral,
    /// The host resolved to these addresses, all vetted. The requests must
    /// connect to exactly these: resolving again would let a DNS server
    /// answer a public address now and a private one at connection time.
    Domain {
        host: String,
        addrs: Vec<SocketAddr>,
    },
}

/// Resolves the host of `url` and vets every address it resolves to.
///
/// Every address must pass, not just one: the HTTP client may try any of
/// them, so a single private one is enough to reach the private network.
pub(crate) async fn vet(url: &Url, lookup_timeout: Duration) -> Result<Vetted, CheckFailure> {
    let port = url.port_or_known_default().unwrap_or(80);
    match url.host() {
        Some(Host::Ipv4(ip)) => vet_one(IpAddr::V4(ip)).map(|()| Vetted::IpLiteral),
        Some(Host::Ipv6(ip)) => vet_one(IpAddr::V6(ip)).map(|()| Vetted::IpLiteral),
        Some(Host::Domain(domain)) => {
            let addrs = resolve(domain, port, lookup_timeout).await?;
            for addr in &addrs {
                vet_one(addr.ip())?;
            }
            Ok(Vetted::Domain {
                host: domain.to_owned(),
                addrs,
            })
        }
        None => Err(CheckFailure::Unreachable {
            detail: "the URL has no host".to_owned(),
        }),
    }
}

async fn resolve(
    domain: &str,
    port: u16,
    lookup_timeout: Duration,
) -> Result<Vec<SocketAddr>, CheckFailure> {
    match lookup(domain, port, lookup_timeout).await {
        Ok(addrs) => Ok(addrs),
        Err(Unresolved::TimedOut) => Err(CheckFailure::TimedOut {
            timeout_ms: u64::try_from(lookup_timeout.as_millis()).unwrap_or(u64::MAX),
        }),
        Err(Unresolved::NotFound) => Err(host_not_found()),
    }
}

/// Why [`lookup`] found no address.
pub(super) enum Unresolved {
    TimedOut,
    NotFound,
}

/// The addresses of `host`, resolved without blocking the runtime and
/// within `limit`; never empty.
pub(super) async fn lookup(
    host: &str,
    port: u16,
    limit: Duration,
) -> Result<Vec<SocketAddr>, Unresolved> {
    let lookup = tokio::net::lookup_host((host, port));
    match tokio::time::timeout(limit, lookup).await {
        Err(_elapsed) => Err(Unresolved::TimedOut),
        Ok(Err(error)) => {
            log::debug!("chatwoot check: resolving {host} failed: {error}");
            Err(Unresolved::NotFound)
        }
        Ok(Ok(addrs)) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                return Err(Unresolved::NotFound);
            }
            log::debug!("chatwoot check: {host} resolves to {addrs:?}");
            Ok(addrs)
        }
    }
}

fn host_not_found() -> CheckFailure {
    CheckFailure::Unreachable {
        detail: "host not found".to_owned(),
    }
}

fn vet_one(ip: IpAddr) -> Result<(), CheckFailure> {
    match refusal_reason(ip) {
        None => Ok(()),
        Some(reason) => {
            log::debug!("chatwoot check: refusing {ip}, a {reason} address");
            Err(CheckFailure::AddressNotAllowed {
                address: ip.to_string(),
            })
        }
    }
}

/// A network that is not public, and what kind of addresses it holds.
struct Range {
    net: IpNet,
    kind: &'static str,
    /// Whether Chatwoot's SSRF filter refuses it too.
    chatwoot: bool,
}

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8, kind: &'static str) -> Range {
    Range {
        net: IpNet::new_assert(IpAddr::V4(Ipv4Addr::new(a, b, c, d)), len),
        kind,
        chatwoot: true,
    }
}

const fn v6(segments: [u16; 8], len: u8, kind: &'static str, chatwoot: bool) -> Range {
    let [a, b, c, d, e, f, g, h] = segments;
    Range {
        net: IpNet::new_assert(IpAddr::V6(Ipv6Addr::new(a, b, c, d, e, f, g, h)), len),
        kind,
        chatwoot,
    }
}

/// The IPv4 ranges of Chatwoot's SSRF filter, which webhooks go through
/// from 4.14 (`lib/safe_fetch.rb` uses the `ssrf_filter` gem; its
/// `SsrfFilter::IPV4_BLACKLIST`), one for one.
const IPV4: [Range; 16] = [
    v4(0, 0, 0, 0, 8, "unspecified"),
    v4(10, 0, 0, 0, 8, "private"),
    v4(100, 64, 0, 0, 10, "carrier-grade NAT"),
    v4(127, 0, 0, 0, 8, "loopback"),
    // Home of cloud metadata services (169.254.169.254).
    v4(169, 254, 0, 0, 16, "link-local"),
    v4(172, 16, 0, 0, 12, "private"),
    v4(192, 0, 0, 0, 24, "reserved"),
    v4(192, 0, 2, 0, 24, "documentation"),
    v4(192, 88, 99, 0, 24, "reserved"),
    v4(192, 168, 0, 0, 16, "private"),
    v4(198, 18, 0, 0, 15, "reserved"),
    v4(198, 51, 100, 0, 24, "documentation"),
    v4(203, 0, 113, 0, 24, "documentation"),
    v4(224, 0, 0, 0, 4, "multicast"),
    // Before 240.0.0.0/4, which holds it: the first range found names it.
    v4(255, 255, 255, 255, 32, "broadcast"),
    v4(240, 0, 0, 0, 4, "reserved"),
];

/// The IPv6 ranges of `SsrfFilter::IPV6_BLACKLIST` (its IPv4-mapped and
/// IPv4-compatible forms are judged as the IPv4 address they carry), and
/// two more that only `refuse_private_addresses` refuses: site-local and
/// the local-use NAT64 prefix, both routed inwards by some networks.
const IPV6: [Range; 13] = [
    v6([0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback", true),
    v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96, "NAT64", true),
    v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64, "reserved", true),
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 32, "Teredo", true),
    v6([0x2001, 0x10, 0, 0, 0, 0, 0, 0], 28, "reserved", true),
    v6([0x2001, 0x20, 0, 0, 0, 0, 0, 0], 28, "reserved", true),
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32, "documentation", true),
    v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, "6to4", true),
    v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, "private", true),
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, "link-local", true),
    v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, "multicast", true),
    v6([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10, "private", false),
    v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48, "private", false),
];

/// The range `ip` falls in, an IPv6 address that carries an IPv4 one
/// (`::ffff:a.b.c.d`, `::a.b.c.d`) judged as that address.
fn range_of(ip: IpAddr) -> Option<&'static Range> {
    let ip = match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(mapped) => IpAddr::V4(mapped),
            // `::a.b.c.d`, but not `::1`, which is loopback of its own.
            None if !v6.is_loopback() && v6.segments()[..6] == [0; 6] => {
                IpAddr::V4(Ipv4Addr::from_bits(v6.to_bits() as u32))
            }
            None => ip,
        },
        IpAddr::V4(_) => ip,
    };
    let table: &[Range] = match ip {
        IpAddr::V4(_) => &IPV4,
        IpAddr::V6(_) => &IPV6,
    };
    table.iter().find(|range| range.net.contains(&ip))
}

/// Why `ip` is not a public unicast address, or `None` when it is one:
/// the ranges Chatwoot refuses and two more.
pub(crate) fn refusal_reason(ip: IpAddr) -> Option<&'static str> {
    range_of(ip).map(|range| range.kind)
}

/// The kind of `ip` when Chatwoot's SSRF filter refuses to call it.
pub(crate) fn chatwoot_refuses(ip: IpAddr) -> Option<&'static str> {
    range_of(ip)
        .filter(|range| range.chatwoot)
        .map(|range| range.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(raw: &str) -> Option<&'static str> {
        refusal_reason(raw.parse().unwrap())
    }

    #[test]
    fn public_addresses_are_allowed() {
        for raw in [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "::8.8.8.8",
        ] {
            assert_eq!(reason(raw), None, "{raw}");
        }
    }

    #[test]
    fn internal_ipv4_ranges_are_refused_with_their_kind() {
        for (raw, kind) in [
            ("127.0.0.1", "loopback"),
            ("127.255.255.254", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("100.64.0.1", "carrier-grade NAT"),
            ("100.127.255.255", "carrier-grade NAT"),
            ("169.254.169.254", "link-local"),
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("255.255.255.255", "broadcast"),
            ("224.0.0.1", "multicast"),
            ("192.0.2.1", "documentation"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("240.0.0.1", "reserved"),
            ("192.88.99.1", "reserved"),
            ("198.18.0.1", "reserved"),
            ("192.0.0.8", "reserved"),
        ] {
            assert_eq!(reason(raw), Some(kind), "{raw}");
        }
    }

    #[test]
    fn internal_ipv6_ranges_and_embedded_ipv4_are_refused() {
        for (raw, kind) in [
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fc00::1", "private"),
            ("fd12:3456::1", "private"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("2001:db8::1", "documentation"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:169.254.169.254", "link-local"),
            ("::127.0.0.1", "loopback"),
            ("64:ff9b::a00:1", "NAT64"),
            ("64:ff9b::808:808", "NAT64"),
            ("2002:7f00:0001::1", "6to4"),
            ("2002:0808:0808::1", "6to4"),
            ("2001::1", "Teredo"),
            ("2001:10::1", "reserved"),
            ("2001:20::1", "reserved"),
            ("100::1", "reserved"),
            ("fec0::1", "private"),
            ("64:ff9b:1::a00:1", "private"),
        ] {
            assert_eq!(reason(raw), Some(kind), "{raw}");
        }
    }

    /// `SsrfFilter::IPV4_BLACKLIST` and `IPV6_BLACKLIST`, one address of
    /// each, and the public addresses next to them: the webhook target
    /// check refuses exactly what Chatwoot's filter refuses.
    #[test]
    fn chatwoot_refuses_exactly_the_ranges_of_its_ssrf_filter() {
        let refused = [
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "172.16.0.1",
            "192.0.0.1",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.1",
            "203.0.113.1",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::1",
            "64:ff9b::1.1.1.1",
            "100::1",
            "2001::1",
            "2001:10::1",
            "2001:20::1",
            "2001:db8::1",
            "2002::1",
            "fc00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "::10.0.0.1",
            "::",
        ];
        for raw in refused {
            assert!(chatwoot_refuses(raw.parse().unwrap()).is_some(), "{raw}");
        }
        let allowed = [
            "1.1.1.1",
            "100.128.0.1",
            "172.32.0.1",
            "192.88.100.1",
            "198.20.0.1",
            "2606:4700::1",
            "2001:4860::8888",
            "fec0::1",
            "64:ff9b:1::1",
        ];
        for raw in allowed {
            assert_eq!(chatwoot_refuses(raw.parse().unwrap()), None, "{raw}");
        }
    }
}
