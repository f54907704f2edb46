//! Which addresses a multi-tenant deployment refuses to call, and the
//! resolution that vets a host before any connection is made to it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use application::CheckFailure;
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
    let lookup = tokio::net::lookup_host((domain, port));
    let addrs: Vec<SocketAddr> = match tokio::time::timeout(lookup_timeout, lookup).await {
        Err(_elapsed) => {
            return Err(CheckFailure::TimedOut {
                timeout_ms: u64::try_from(lookup_timeout.as_millis()).unwrap_or(u64::MAX),
            })
        }
        Ok(Err(error)) => {
            log::debug!("chatwoot check: resolving {domain} failed: {error}");
            return Err(host_not_found());
        }
        Ok(Ok(addrs)) => addrs.collect(),
    };
    if addrs.is_empty() {
        return Err(host_not_found());
    }
    log::debug!("chatwoot check: {domain} resolves to {addrs:?}");
    Ok(addrs)
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

/// Why `ip` is not a public unicast address, or `None` when it is one.
pub(crate) fn refusal_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_refusal(v4),
        IpAddr::V6(v6) => v6_refusal(v6),
    }
}

fn v4_refusal(ip: Ipv4Addr) -> Option<&'static str> {
    let bits = u32::from(ip);
    let within = |net: [u8; 4], len: u32| {
        let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
        bits & mask == u32::from(Ipv4Addr::from(net)) & mask
    };
    if ip.is_broadcast() {
        Some("broadcast")
    } else if within([0, 0, 0, 0], 8) {
        // 0.0.0.0 reaches the local host on Linux; the whole block is "this network".
        Some("unspecified")
    } else if within([127, 0, 0, 0], 8) {
        Some("loopback")
    } else if within([10, 0, 0, 0], 8)
        || within([172, 16, 0, 0], 12)
        || within([192, 168, 0, 0], 16)
    {
        Some("private")
    } else if within([100, 64, 0, 0], 10) {
        Some("carrier-grade NAT")
    } else if within([169, 254, 0, 0], 16) {
        // Home of cloud metadata services (169.254.169.254).
        Some("link-local")
    } else if within([192, 0, 2, 0], 24)
        || within([198, 51, 100, 0], 24)
        || within([203, 0, 113, 0], 24)
    {
        Some("documentation")
    } else if within([192, 0, 0, 0], 24) || within([198, 18, 0, 0], 15) || within([240, 0, 0, 0], 4)
    {
        Some("reserved")
    } else if within([224, 0, 0, 0], 4) {
        Some("multicast")
    } else {
        None
    }
}

fn v6_refusal(ip: Ipv6Addr) -> Option<&'static str> {
    let bits = u128::from(ip);
    let within = |net: Ipv6Addr, len: u32| {
        let mask = if len == 0 {
            0
        } else {
            u128::MAX << (128 - len)
        };
        bits & mask == u128::from(net) & mask
    };
    // Low 32 bits as IPv4, for the prefixes that embed an IPv4 address.
    let embedded_v4 = Ipv4Addr::from((bits & 0xffff_ffff) as u32);

    if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if within(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96) {
        // IPv4-mapped: the kernel connects to the IPv4 address itself.
        v4_refusal(embedded_v4)
    } else if within(Ipv6Addr::UNSPECIFIED, 96) {
        // Deprecated IPv4-compatible form, still routed by some stacks.
        v4_refusal(embedded_v4)
    } else if within(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96) {
        // Well-known NAT64 prefix: the translator connects to the IPv4 address.
        v4_refusal(embedded_v4)
    } else if within(Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16) {
        // 6to4 carries the IPv4 address in bits 16..48.
        v4_refusal(Ipv4Addr::from(((bits >> 80) & 0xffff_ffff) as u32))
    } else if within(Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0), 48)
        || within(Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7)
        || within(Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0), 10)
    {
        Some("private")
    } else if within(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10) {
        Some("link-local")
    } else if within(Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8) {
        Some("multicast")
    } else if within(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32) {
        Some("documentation")
    } else if within(Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0), 64) {
        Some("reserved")
    } else {
        None
    }
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
            "64:ff9b::808:808",
            "2002:0808:0808::1",
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
            ("64:ff9b::a00:1", "private"),
            ("2002:7f00:0001::1", "loopback"),
        ] {
            assert_eq!(reason(raw), Some(kind), "{raw}");
        }
    }
}
