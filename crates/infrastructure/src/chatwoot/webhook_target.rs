//! The `webhookTarget` check: would Chatwoot call the webhook URL at all?
//! From 4.14 it sends webhooks through its SSRF filter, which resolves the
//! host and refuses it when no address is public.

use std::net::IpAddr;
use std::time::Duration;

use application::{CheckFailure, Undetermined, SAFE_FETCH_SINCE};
use domain::ChatwootVersion;
use url::Url;

use super::address_policy::{chatwoot_refuses, ip_literal};
use super::config::{millis, ChatwootCheckConfig};

/// `Ok(None)` when Chatwoot `version` may call `webhook_url`; `Ok(Some)`
/// when that cannot be known from here; `Err` when it will refuse it.
pub(crate) async fn judge(
    config: &ChatwootCheckConfig,
    version: &str,
    webhook_url: &str,
) -> Result<Option<Undetermined>, CheckFailure> {
    if config.allows_private_webhooks {
        return Ok(None);
    }
    let Some(parsed) = ChatwootVersion::parse(version) else {
        return Ok(Some(Undetermined::VersionUnreadable {
            version: version.to_owned(),
        }));
    };
    let (major, minor) = SAFE_FETCH_SINCE;
    if !parsed.at_least(major, minor) {
        return Ok(None);
    }
    // The template was checked at start-up, and expands to a URL.
    let Ok(url) = Url::parse(webhook_url) else {
        return Ok(None);
    };
    let (host, addrs) = match (ip_literal(&url), url.host_str()) {
        (Some(ip), _) => (ip.to_string(), vec![ip]),
        (None, Some(domain)) => {
            let port = url.port_or_known_default().unwrap_or(80);
            match resolve(domain, port, config.timeout).await {
                Ok(addrs) => (domain.to_owned(), addrs),
                Err(unknown) => return Ok(Some(unknown)),
            }
        }
        (None, None) => return Ok(None),
    };
    // Chatwoot calls a public address when the host has one.
    let kinds: Option<Vec<_>> = addrs.iter().map(|ip| chatwoot_refuses(*ip)).collect();
    match kinds {
        Some(kinds) if !kinds.is_empty() => Err(CheckFailure::PrivateWebhookTarget {
            host,
            addresses: addrs,
            kind: kinds[0],
            version: version.to_owned(),
        }),
        _ => Ok(None),
    }
}

/// The host's addresses, resolved without blocking the runtime and within
/// `limit`; never empty.
async fn resolve(host: &str, port: u16, limit: Duration) -> Result<Vec<IpAddr>, Undetermined> {
    let looked_up = tokio::time::timeout(limit, tokio::net::lookup_host((host, port))).await;
    let host = host.to_owned();
    match looked_up {
        Err(_elapsed) => Err(Undetermined::LookupTimedOut {
            host,
            timeout_ms: millis(limit),
        }),
        Ok(Err(error)) => {
            log::debug!("chatwoot check: resolving {host} failed: {error}");
            Err(Undetermined::HostUnresolved { host })
        }
        Ok(Ok(addrs)) => {
            let mut ips: Vec<IpAddr> = addrs.map(|addr| addr.ip()).collect();
            ips.dedup();
            log::debug!("chatwoot check: {host} resolves to {ips:?}");
            if ips.is_empty() {
                return Err(Undetermined::HostUnresolved { host });
            }
            Ok(ips)
        }
    }
}
