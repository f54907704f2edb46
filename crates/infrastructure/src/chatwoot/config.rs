use std::time::Duration;

/// Bounds of the Chatwoot check. The check runs inside a user's request, so
/// every bound is short: a slow or hostile server must not hold the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatwootCheckConfig {
    /// Time allowed to open a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed for one request, from sending it to the last byte of the
    /// answer.
    pub timeout: Duration,
    /// The most bytes read from any answer; a larger one is refused, unread.
    pub max_body_bytes: usize,
    /// Refuse URLs whose host resolves to a loopback, private, link-local or
    /// otherwise non-public address, so that tenants of a shared deployment
    /// cannot make the service probe its own network.
    pub refuse_private_addresses: bool,
    /// The operator says Chatwoot runs with
    /// `SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true`, so it calls webhooks at
    /// private addresses too (`CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS`).
    pub allows_private_webhooks: bool,
}

/// 1 MiB: a Chatwoot answer to the three requests is a few KiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

impl ChatwootCheckConfig {
    /// The configured bounds (`[chatwoot]` in `config/default.toml`), and
    /// [`DEFAULT_MAX_BODY_BYTES`], which is not a setting.
    pub fn new(
        connect_timeout: Duration,
        timeout: Duration,
        refuse_private_addresses: bool,
        allows_private_webhooks: bool,
    ) -> Self {
        Self {
            connect_timeout,
            timeout,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            refuse_private_addresses,
            allows_private_webhooks,
        }
    }
}

/// A duration as the milliseconds messages name.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
