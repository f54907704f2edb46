//! The HTTP client settings every Chatwoot request is sent with.

use std::net::SocketAddr;

use reqwest::{redirect, Client, ClientBuilder};

use super::config::ChatwootCheckConfig;

const USER_AGENT: &str = concat!(
    "chatwoot-integration/",
    env!("CARGO_PKG_VERSION"),
    " (settings check)"
);

fn builder(config: &ChatwootCheckConfig) -> ClientBuilder {
    Client::builder()
        // A redirect could carry the token to a host that never proved to be
        // Chatwoot; the user is told where it points instead.
        .redirect(redirect::Policy::none())
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .user_agent(USER_AGENT)
        // An HTTP(S)_PROXY meant for other traffic must not see the token or
        // answer in Chatwoot's place.
        .no_proxy()
}

/// The client shared by all checks.
pub(crate) fn shared(config: &ChatwootCheckConfig) -> reqwest::Result<Client> {
    builder(config).build()
}

/// A client for one check that connects to `host` only at `addrs`, the
/// addresses already vetted, whatever DNS answers later.
pub(crate) fn pinned(
    config: &ChatwootCheckConfig,
    host: &str,
    addrs: &[SocketAddr],
) -> reqwest::Result<Client> {
    builder(config).resolve_to_addrs(host, addrs).build()
}
