//! The HTTP client every Chatwoot request is sent with.

use std::sync::Arc;

use reqwest::{redirect, Client};

use super::address_policy::PublicOnly;
use super::config::ChatwootCheckConfig;

const USER_AGENT: &str = concat!(
    "chatwoot-integration/",
    env!("CARGO_PKG_VERSION"),
    " (settings check)"
);

/// The client shared by all checks and provisionings.
pub(crate) fn shared(config: &ChatwootCheckConfig) -> reqwest::Result<Client> {
    let builder = Client::builder()
        // A redirect could carry the token to a host that never proved to be
        // Chatwoot; the user is told where it points instead.
        .redirect(redirect::Policy::none())
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .user_agent(USER_AGENT)
        // An HTTP(S)_PROXY meant for other traffic must not see the token or
        // answer in Chatwoot's place.
        .no_proxy();
    if config.refuse_private_addresses {
        builder.dns_resolver(Arc::new(PublicOnly)).build()
    } else {
        builder.build()
    }
}
