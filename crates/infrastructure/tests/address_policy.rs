//! Which addresses a deployment that refuses private ones refuses, and
//! which of them Chatwoot's SSRF filter refuses too.

use http_adapter::wording::address_kind;
use infrastructure::chatwoot::address_policy::{chatwoot_refuses, refusal_reason};

/// The kind of `raw` when it is refused, as messages word it.
fn reason(raw: &str) -> Option<&'static str> {
    refusal_reason(raw.parse().unwrap()).map(address_kind)
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
