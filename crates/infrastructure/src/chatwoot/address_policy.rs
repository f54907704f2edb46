//! Which addresses a multi-tenant deployment refuses to call, and the DNS
//! resolver that refuses them before any connection is made.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::LazyLock;

use application::{AddressKind, CheckFailure};
use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};
use AddressKind::*;

/// Resolves names for the client of a deployment that refuses private
/// addresses. Every address must pass, not just one: the client may try
/// any of them. Each connection resolves through it, so a DNS server that
/// answers a public address first and a private one later is refused too.
pub(crate) struct PublicOnly;

/// The address [`PublicOnly`] refused, which the failure names.
#[derive(Debug, thiserror::Error)]
#[error("{0} is not a public address")]
pub(crate) struct NotPublic(pub(crate) IpAddr);

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            log::debug!("chatwoot check: {} resolves to {addrs:?}", name.as_str());
            for addr in &addrs {
                vet(addr.ip())?;
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Refuses a URL whose host is a non-public IP address: the client
/// resolves names only, so [`PublicOnly`] never sees these.
pub(crate) fn vet_literal(url: &Url) -> Result<(), CheckFailure> {
    match ip_literal(url).map(vet) {
        Some(Err(NotPublic(ip))) => Err(CheckFailure::AddressNotAllowed {
            address: ip.to_string(),
        }),
        Some(Ok(())) | None => Ok(()),
    }
}

/// The IP address a URL names as its host, if it names one.
pub(crate) fn ip_literal(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        Host::Domain(_) => None,
    }
}

fn vet(ip: IpAddr) -> Result<(), NotPublic> {
    let Some(reason) = refusal_reason(ip) else {
        return Ok(());
    };
    log::debug!("chatwoot check: refusing {ip}, a {reason:?} address");
    Err(NotPublic(ip))
}

/// The networks that are not public: each with the kind of addresses it
/// holds and whether Chatwoot's SSRF filter refuses it too. The first
/// range that holds an address names it.
///
/// The ranges Chatwoot refuses are its SSRF filter's, which webhooks go
/// through from 4.14 (`lib/safe_fetch.rb` uses the `ssrf_filter` gem:
/// `SsrfFilter::IPV4_BLACKLIST` and `IPV6_BLACKLIST`), one for one; its
/// IPv4-mapped and IPv4-compatible IPv6 forms are judged as the IPv4
/// address they carry. The last two only `refuse_private_addresses`
/// refuses: site-local and the local-use NAT64 prefix, both routed
/// inwards by some networks.
const RANGES: [(&str, AddressKind, bool); 29] = [
    ("0.0.0.0/8", Unspecified, true),
    ("10.0.0.0/8", Private, true),
    ("100.64.0.0/10", CarrierGradeNat, true),
    ("127.0.0.0/8", Loopback, true),
    // Home of cloud metadata services (169.254.169.254).
    ("169.254.0.0/16", LinkLocal, true),
    ("172.16.0.0/12", Private, true),
    ("192.0.0.0/24", Reserved, true),
    ("192.0.2.0/24", Documentation, true),
    ("192.88.99.0/24", Reserved, true),
    ("192.168.0.0/16", Private, true),
    ("198.18.0.0/15", Reserved, true),
    ("198.51.100.0/24", Documentation, true),
    ("203.0.113.0/24", Documentation, true),
    ("224.0.0.0/4", Multicast, true),
    // Before 240.0.0.0/4, which holds it.
    ("255.255.255.255/32", Broadcast, true),
    ("240.0.0.0/4", Reserved, true),
    ("::1/128", Loopback, true),
    ("64:ff9b::/96", Nat64, true),
    ("100::/64", Reserved, true),
    ("2001::/32", Teredo, true),
    ("2001:10::/28", Reserved, true),
    ("2001:20::/28", Reserved, true),
    ("2001:db8::/32", Documentation, true),
    ("2002::/16", SixToFour, true),
    ("fc00::/7", Private, true),
    ("fe80::/10", LinkLocal, true),
    ("ff00::/8", Multicast, true),
    ("fec0::/10", Private, false),
    ("64:ff9b:1::/48", Private, false),
];

/// The kind of the range `ip` falls in and whether Chatwoot refuses it;
/// an IPv6 address that carries an IPv4 one (`::ffff:a.b.c.d`,
/// `::a.b.c.d`) is judged as that address.
fn range_of(ip: IpAddr) -> Option<(AddressKind, bool)> {
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
    NETWORKS
        .iter()
        .find(|(net, _, _)| net.contains(&ip))
        .map(|&(_, kind, chatwoot)| (kind, chatwoot))
}

/// [`RANGES`] parsed once, at the first address judged.
static NETWORKS: LazyLock<Vec<(IpNet, AddressKind, bool)>> = LazyLock::new(|| {
    RANGES
        .iter()
        .map(|&(net, kind, chatwoot)| {
            let net = net.parse().expect("RANGES holds networks in CIDR notation");
            (net, kind, chatwoot)
        })
        .collect()
});

/// Why `ip` is not a public unicast address, or `None` when it is one:
/// the ranges Chatwoot refuses and two more.
pub fn refusal_reason(ip: IpAddr) -> Option<AddressKind> {
    range_of(ip).map(|(kind, _)| kind)
}

/// The kind of `ip` when Chatwoot's SSRF filter refuses to call it.
pub fn chatwoot_refuses(ip: IpAddr) -> Option<AddressKind> {
    range_of(ip).and_then(|(kind, chatwoot)| chatwoot.then_some(kind))
}
